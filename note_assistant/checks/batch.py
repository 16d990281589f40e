"""Checking many notes: worker processes when the batch is large enough to pay for them.

The parent loads the pipeline once and forks, so every worker starts warm. Results come back in
input order. Small batches run in-process.

With ``render``, each result is turned into its output (a JSON line, report lines) where it was
checked, and only that output travels back: pickling findings and note texts back to a parent
that then formats them alone was what kept two workers from being twice as fast as one.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from ..models import Finding

_WARM_UP = ("S: Client reports low mood, denies SI/HI; PHQ-9 of 12.\nO: tearful\n"
            "A: MDD, moderate; risk low\nP: CBT weekly, f/u in 1 wk.\n")

#: Below this many notes, worker processes cost more than they save.
PARALLEL_THRESHOLD = 64
CHUNK = 32


@dataclass
class BatchItem:
    path: str
    text: str | None
    error: str | None = None


@dataclass
class BatchResult:
    path: str
    text: str | None
    format: str | None = None
    findings: list[Finding] | None = None
    extras: dict[str, Any] | None = None
    error: str | None = None
    rendered: Any = None
    """What ``render`` made of the result (then ``text``, ``findings`` and ``extras`` are None)."""
    severe: bool | None = None
    """Whether an error-severity finding was found (kept when the findings are not)."""

    @property
    def has_errors(self) -> bool:
        if self.severe is not None:
            return self.severe
        return any(f.severity == "error" for f in self.findings or [])


_WORKER_KWARGS: dict[str, Any] = {}
_WORKER_RENDER: list[Callable[[BatchResult], Any] | None] = [None]


def _check_one(item: BatchItem, kwargs: dict[str, Any],
               render: Callable[[BatchResult], Any] | None = None) -> BatchResult:
    from .engine import NoteTooLong, check_note

    if item.text is None:
        return BatchResult(item.path, None, error=item.error)
    try:
        result = check_note(item.text, **kwargs)
    except NoteTooLong as exc:  # this file only: the rest of the batch is still checked
        return BatchResult(item.path, None, error=f"{item.path}: {exc}")
    full = BatchResult(item.path, item.text, result.format, result.findings, result.extras)
    if render is None:
        return full
    return BatchResult(item.path, None, result.format, error=None, rendered=render(full),
                       severe=full.has_errors)


def _check_chunk(items: list[BatchItem]) -> list[BatchResult]:
    return [_check_one(item, _WORKER_KWARGS, _WORKER_RENDER[0]) for item in items]


def _chunks(items: Iterable[BatchItem], size: int) -> Iterator[list[BatchItem]]:
    chunk: list[BatchItem] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def worker_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def check_batch(
    items: list[BatchItem],
    *,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    render: Callable[[BatchResult], Any] | None = None,
    **check_kwargs: Any,
) -> Iterator[BatchResult]:
    """Check every item (in order). ``check_kwargs`` go to :func:`check_note`.

    ``render`` (a module-level function) turns a full result into its output where the note
    was checked; the result then carries only that (``rendered``), its path, format, error and
    whether it has an error-severity finding.
    """
    workers = workers or worker_count()
    if workers < 2 or len(items) < PARALLEL_THRESHOLD or "fork" not in multiprocessing.get_all_start_methods():
        for item in items:
            yield _check_one(item, check_kwargs, render)
            if progress:
                progress(1)
        return
    from .engine import check_note

    # Warm everything before forking (pipeline, rule data, caches): workers inherit it.
    check_note(_WARM_UP, **check_kwargs)
    _WORKER_KWARGS.clear()
    _WORKER_KWARGS.update(check_kwargs)
    _WORKER_RENDER[0] = render
    context = multiprocessing.get_context("fork")
    gc.freeze()  # inherited objects stay out of the workers' collections (no copy-on-write)
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            for results in pool.map(_check_chunk, _chunks(items, CHUNK)):
                yield from results
                if progress:
                    progress(len(results))
    finally:
        gc.unfreeze()
