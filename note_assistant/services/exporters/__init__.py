"""Exports of the record: Markdown, PDF, FHIR R4 and client-access copies. Every export is
audited (who, when, which client, what, data category) before its file appears.

>>> result = export_record(store, actor, "Avery Quinn", to="pdf")
>>> export_to_file(store, actor, "Avery Quinn", Path("avery.pdf"), to="pdf")
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ...storage.store import Store
from .audit import record_export
from .document import blocks, to_markdown
from .files import OutputExists, staged, write_atomic
from .record import ClientRecord, gather

Target = Literal["markdown", "pdf", "fhir"]
TARGETS: tuple[str, ...] = ("markdown", "pdf", "fhir")
MEDIA_TYPES = {"markdown": "text/markdown", "pdf": "application/pdf", "fhir": "application/fhir+json"}


@dataclass
class ExportResult:
    data: bytes
    media_type: str
    record: ClientRecord
    description: str
    """What was exported, as written to the audit trail (ids and counts, no clinical text)."""

    @property
    def text(self) -> str:
        return self.data.decode("utf-8")


def render(record: ClientRecord, to: str, formats=None) -> bytes:  # noqa: ANN001
    if to == "markdown":
        return to_markdown(blocks(record)).encode("utf-8")
    if to == "pdf":
        from .pdf import render_pdf

        footer = f"{record.client.name} \u2013 confidential"
        return render_pdf(blocks(record), title=blocks(record)[0].text,
                          generated_at=record.generated_at, footer=footer)
    if to == "fhir":
        from .fhir import render_fhir

        return render_fhir(record, formats).encode("utf-8")
    raise ValueError(f"unknown export format {to!r} (choose {', '.join(TARGETS)})")


def _describe(record: ClientRecord, to: str) -> str:
    what = "client-access copy" if record.client_access else ("note" if record.single_note else "record")
    text = f"{to} {what}: {len(record.entries)} progress note(s)"
    if record.single_note and record.entries:
        text += f" ({record.entries[0].note.id})"
    if record.psychotherapy:
        text += f", {len(record.psychotherapy)} psychotherapy note(s) under authorization {record.authorization}"
    return text


def _prepare(
    store: Store, actor, client_ref: str | None, *, to: str, note_id: str | None,
    client_access: bool, include_psychotherapy: bool, authorization: str | None, clinic,  # noqa: ANN001
) -> ExportResult:
    if to not in TARGETS:
        raise ValueError(f"unknown export format {to!r} (choose {', '.join(TARGETS)})")
    if include_psychotherapy and to == "fhir":
        raise ValueError("psychotherapy notes are not exported to FHIR; use --to markdown or pdf")
    expand: Callable[[str], str] | None = None
    if client_access:
        expand = clinic.expand if clinic is not None else _plain_expand
    record = gather(
        store, actor, client_ref, note_id=note_id, client_access=client_access,
        include_psychotherapy=include_psychotherapy, authorization=authorization, expand=expand,
        clinic_name=clinic.name if clinic is not None else "",
    )
    data = render(record, to, clinic.formats if clinic is not None else None)
    return ExportResult(data, MEDIA_TYPES[to], record, _describe(record, to))


def _plain_expand(text: str) -> str:
    from ...clinic import Clinic, ClinicConfig

    return Clinic(ClinicConfig(), None, {}, None).expand(text)  # type: ignore[arg-type]


def _audit(store: Store, actor, result: ExportResult, to: str, output: Path | None) -> None:  # noqa: ANN001
    record = result.record
    detail = {
        "format": to, "client_access": record.client_access,
        "notes": [e.note.id for e in record.entries],
        "destination": "file" if output is not None else "stdout",
    }
    if record.psychotherapy:
        detail["psychotherapy_notes"] = [p.id for p in record.psychotherapy]
        detail["authorization"] = record.authorization
    record_export(store, actor, record.client.id, result.description, record.category, detail)


def export_record(
    store: Store, actor,  # noqa: ANN001 - an auth.Session or a User
    client_ref: str | None = None, *, to: str = "markdown",
    note_id: str | None = None, client_access: bool = False, include_psychotherapy: bool = False,
    authorization: str | None = None, clinic=None,  # noqa: ANN001 - a Clinic
) -> ExportResult:
    """Render and audit an export whose bytes the caller shows or sends (stdout, the app)."""
    result = _prepare(store, actor, client_ref, to=to, note_id=note_id, client_access=client_access,
                      include_psychotherapy=include_psychotherapy, authorization=authorization,
                      clinic=clinic)
    _audit(store, actor, result, to, None)
    return result


def export_to_file(
    store: Store, actor,  # noqa: ANN001 - an auth.Session or a User
    client_ref: str | None, output: Path, *, to: str = "markdown",
    force: bool = False, note_id: str | None = None, client_access: bool = False,
    include_psychotherapy: bool = False, authorization: str | None = None, clinic=None,  # noqa: ANN001
) -> ExportResult:
    """Render, stage the file, audit, then publish it (temp + rename; no overwrite without force)."""
    from .files import check_free

    check_free(output, force)
    result = _prepare(store, actor, client_ref, to=to, note_id=note_id, client_access=client_access,
                      include_psychotherapy=include_psychotherapy, authorization=authorization,
                      clinic=clinic)
    with staged(output, result.data, force=force):
        _audit(store, actor, result, to, output)
    return result


def export_markdown(store: Store, actor, client_ref: str) -> str:  # noqa: ANN001
    """A client's progress-note record as Markdown (audited; never psychotherapy notes)."""
    return export_record(store, actor, client_ref, to="markdown").text


__all__ = [
    "ClientRecord", "ExportResult", "OutputExists", "TARGETS", "export_markdown", "export_record",
    "export_to_file", "gather", "record_export", "render", "write_atomic",
]
