"""Running the checks over many notes, in worker processes when the batch is large enough.

Each worker loads the clinic (formats, profile, the check engine) once, in its initializer, and
then checks chunks of notes; the parent only reads files and merges results. Small batches run
in-process: starting workers costs more than it saves below :data:`PARALLEL_MIN` notes.
"""

from __future__ import annotations

import gc
import multiprocessing
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from ..checks.batch import worker_count
from ..checks.serialize import finding_json
from ..models import Note, TreatmentPlan
from .model import UNKNOWN_CLINICIAN, NoteReport

PARALLEL_MIN = 150
"""Below this many notes the audit runs in-process."""
MAX_CHUNK = 48


@dataclass
class AuditItem:
    """One note to audit, with what the checks may consult beside its text."""

    key: str
    text: str
    path: str | None = None
    note_id: str | None = None
    client: str | None = None
    client_id: str | None = None
    author_id: str | None = None
    clinician: str | None = None
    """The store's author (database audits); folder audits read the note header."""
    date: str | None = None
    format: str | None = None
    plan: TreatmentPlan | None = None
    history: list[Note] = field(default_factory=list)
    preamble: str = ""
    """Header lines checked above the text (a stored note keeps its header in columns);
    findings are reported against ``text`` alone."""


_CLINIC: Any = None


WARM_UP = "Subjective: Client reported feeling better.\nPlan: Next session in one week.\n"


def _init_worker(clinic: Any, warm: bool) -> None:
    global _CLINIC
    _CLINIC = clinic
    if warm:  # spawned workers load the engine (and its NLP pipeline) once, here
        clinic.check(WARM_UP)


def _unshift(finding: Any, offset: int) -> Any:
    """A finding over ``preamble + text`` re-expressed over ``text`` (header ones at 0..0)."""
    if not offset:
        return finding
    if finding.start < offset:
        return finding.model_copy(update={
            "start": 0, "end": 0, "section": "header", "text": "",
            "data": {**finding.data, "header_text": finding.text},
        })
    return finding.model_copy(update={"start": finding.start - offset, "end": finding.end - offset})


def audit_one(clinic: Any, item: AuditItem) -> NoteReport | dict[str, str]:
    """The note's report, or ``{"path", "error"}`` when the checks could not run on it."""
    try:
        result = clinic.check(
            item.preamble + item.text, format=item.format, plan=item.plan, history=item.history,
            client_id=item.client_id, author_id=item.author_id,
        )
    except Exception as exc:  # noqa: BLE001 - one broken note must not stop a clinic-wide audit; it is reported
        return {"path": item.key, "error": f"checks failed: {type(exc).__name__}: {exc}".splitlines()[0]}
    header = result.parsed.header
    return NoteReport(
        key=item.key, path=item.path, note_id=item.note_id,
        client=item.client or header.client,
        date=item.date or (header.date.isoformat() if header.date else None),
        clinician=item.clinician or header.clinician or UNKNOWN_CLINICIAN,
        format=result.parsed.format,
        findings=[finding_json(item.text, _unshift(f, len(item.preamble))) for f in result.findings],
    )


def _audit_chunk(chunk: list[AuditItem]) -> list[NoteReport | dict[str, str]]:
    return [audit_one(_CLINIC, item) for item in chunk]


def _context() -> multiprocessing.context.BaseContext:
    # fork starts workers in milliseconds with the engine already imported; elsewhere spawn.
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def run_items(
    clinic: Any,
    items: Sequence[AuditItem],
    *,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[NoteReport], list[dict[str, str]], int]:
    """(reports in input order, notes the checks failed on, workers used)."""
    jobs = jobs or worker_count()
    results: list[NoteReport | dict[str, str] | None] = [None] * len(items)
    if jobs <= 1 or len(items) < PARALLEL_MIN:
        for index, item in enumerate(items):
            results[index] = audit_one(clinic, item)
            if progress:
                progress(1)
        workers = 1
    else:
        workers = min(jobs, max(1, len(items) // 8))
        size = max(8, min(MAX_CHUNK, len(items) // (workers * 4) or 1))
        starts = list(range(0, len(items), size))
        context = _context()
        forked = context.get_start_method() == "fork"
        if forked:  # load the pipeline once, before forking: every worker inherits it
            clinic.check(WARM_UP)
            gc.freeze()  # keep inherited objects out of the workers' collections (no copy-on-write)
        with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                 initializer=_init_worker, initargs=(clinic, not forked)) as pool:
            pending = {pool.submit(_audit_chunk, list(items[s : s + size])): s for s in starts}
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    start = pending.pop(future)
                    chunk = future.result()
                    results[start : start + len(chunk)] = chunk
                    if progress:
                        progress(len(chunk))
        if forked:
            gc.unfreeze()
    reports = [r for r in results if isinstance(r, NoteReport)]
    failed = [r for r in results if isinstance(r, dict)]
    return reports, failed, workers
