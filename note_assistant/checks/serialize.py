"""Findings as the JSON objects of the ``check --json`` contract (also used by audit reports)."""

from __future__ import annotations

from typing import Any

from ..models import Finding


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def finding_json(text: str, finding: Finding) -> dict[str, Any]:
    """The stable JSON form: offsets index ``text`` and ``text[start:end]`` is the finding's text."""
    line, column = line_col(text, finding.start)
    data: dict[str, Any] = {
        "rule_id": finding.rule_id, "category": finding.category, "severity": finding.severity,
        "start": finding.start, "end": finding.end, "line": line, "column": column,
        "section": finding.section, "text": finding.text, "message": finding.message,
        "suggestion": finding.suggestion,
    }
    if finding.cue:
        data["cue"] = finding.cue
    if finding.source:
        data["source"] = finding.source
    if finding.data:
        data["data"] = finding.data
    return data
