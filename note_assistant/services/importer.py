"""Importing existing plain-text and Markdown notes into the store as drafts.

:func:`plan_import` reads every note (format, date of service, sections, header) and lists
what would stop it; :func:`run_import` creates all the drafts in **one** transaction, so a bad
file means nothing is written. Notes are created through :class:`NoteService` as the acting
user, so the usual permission checks and audit rows apply.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from note_formats import FREE_TEXT, NoteFormat, NoteHeader, builtin_formats, get_format, parse_note

from ..models import Client, Note
from ..storage.store import Store
from .notes import NoteService


class ImportAborted(ValueError):
    """A file cannot be imported; nothing was written. The message names the file."""


@dataclass
class ImportItem:
    path: str
    text: str
    format: str
    date: dt.date | None
    sections: list[str]
    """Section titles in the order written."""
    header: NoteHeader
    problems: list[str] = field(default_factory=list)
    """What stops this file from being imported."""
    warnings: list[str] = field(default_factory=list)
    """Worth knowing, but the file imports."""


@dataclass
class ImportPlan:
    client: Client
    items: list[ImportItem]

    @property
    def problems(self) -> list[str]:
        return [f"{item.path}: {problem}" for item in self.items for problem in item.problems]

    @property
    def ok(self) -> bool:
        return not self.problems


def _item(path: str, text: str, format: str, formats: dict[str, NoteFormat]) -> ImportItem:  # noqa: A002
    forced = format not in ("", "auto")
    parsed = parse_note(text, format=None if not forced else format, formats=formats)
    fmt = formats.get(parsed.format)
    titles = [fmt.section(s.key).title if fmt else s.key for s in parsed.sections]
    item = ImportItem(path, text, parsed.format, parsed.header.date, titles, parsed.header)
    if not text.strip():
        item.problems.append("the file is empty")
    elif parsed.format == FREE_TEXT and not forced:
        item.problems.append(
            "no section headings of a known format found (give --format, e.g. --format free-text)"
        )
    if parsed.header.date is None:
        item.problems.append("no date of service: add a line 'Date: YYYY-MM-DD' above the first section")
    for problem in parsed.problems:
        item.problems.append(f"header: {problem}")
    if fmt is not None:
        missing = [s.title for s in fmt.sections if s.required and s.key not in {p.key for p in parsed.sections}]
        if missing:
            item.warnings.append(f"missing {fmt.name} section(s): {', '.join(missing)}")
    return item


def plan_import(
    store: Store,
    client_ref: str,
    sources: list[tuple[str, str]],
    *,
    format: str = "auto",  # noqa: A002
    formats: dict[str, NoteFormat] | None = None,
    actor_name: str | None = None,
) -> ImportPlan:
    """What importing ``sources`` ((name, text) pairs) for the client would do."""
    formats = formats if formats is not None else builtin_formats()
    if format not in ("", "auto") and format.lower() not in (FREE_TEXT, "free"):
        format = get_format(format, formats).key  # unknown format: FormatError before anything
    client = store.find_client(client_ref)
    existing = {n.text.replace("\r\n", "\n"): n.id for n in store.notes_for_client(client.id)}
    seen: dict[str, str] = {}
    items = []
    for path, text in sources:
        item = _item(path, text, format, formats)
        key = text.replace("\r\n", "\n")
        if key in existing:
            item.problems.append(f"already imported: same text as note {existing[key]}")
        elif key in seen:
            item.problems.append(f"same text as {seen[key]}")
        seen.setdefault(key, path)
        clinician = item.header.clinician
        if actor_name and clinician and clinician.lower() not in actor_name.lower():
            item.warnings.append(f"the header names {clinician!r}; the draft will be yours ({actor_name})")
        items.append(item)
    return ImportPlan(client, items)


def run_import(store: Store, service: NoteService, plan: ImportPlan) -> list[Note]:
    """Create every draft of ``plan`` in one transaction; raise :class:`ImportAborted` (nothing
    written) when any file has a problem."""
    if not plan.items:
        raise ImportAborted("no notes to import")
    problems = plan.problems
    if problems:
        more = f" (and {len(problems) - 1} more problem(s); try --dry-run)" if len(problems) > 1 else ""
        raise ImportAborted(f"{problems[0]}{more}; nothing imported")
    created: list[Note] = []
    with store.write():
        for item in plan.items:
            header = item.header
            assert item.date is not None  # checked by plan_import
            created.append(service.create_draft(
                plan.client.id, item.format, item.text, item.date,
                start_time=header.start, end_time=header.end, cpt=header.cpt,
                modality=header.modality, diagnosis=list(header.diagnosis),
            ))
    return created
