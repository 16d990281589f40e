"""Findings placed on the editor's text, kept in place while the text changes. Plain Python.

A check result indexes the text as it was when the check started. Each edit since then is
logged as (generation, start, old_end, new_end); replaying the log moves marks after an edit by
its length change and drops marks an edit touched (their text changed, a fresh check follows).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Finding
from ..services.findings import HEADER_SECTION

Edit = tuple[int, int, int, int]
"""(generation after the edit, start, end of the replaced text, end of the new text)."""


@dataclass
class Mark:
    finding: Finding
    start: int
    end: int

    @property
    def in_header(self) -> bool:
        return self.finding.section == HEADER_SECTION

    @property
    def has_span(self) -> bool:
        return self.end > self.start and not self.in_header


def shift(marks: list[Mark], start: int, old_end: int, new_end: int) -> list[Mark]:
    """Marks after replacing ``start..old_end`` by text ending at ``new_end``."""
    delta = new_end - old_end
    kept: list[Mark] = []
    for mark in marks:
        if mark.in_header or mark.end <= start:
            kept.append(mark)
        elif mark.start >= old_end:
            kept.append(Mark(mark.finding, mark.start + delta, mark.end + delta))
        # else: the edit touched the marked text; drop the mark until the next check.
    return kept


def replay(marks: list[Mark], log: list[Edit], since: int) -> list[Mark]:
    for generation, start, old_end, new_end in log:
        if generation > since:
            marks = shift(marks, start, old_end, new_end)
    return marks


def marks_for(findings: list[Finding]) -> list[Mark]:
    return [Mark(f, f.start, f.end) for f in findings]
