"""Which fixes a finding offers, and the text edits they make. Plain Python (no Textual).

Fixes are chosen by the finding's category and data, so rule families added later get them
for free: process content -> move the sentence to the psychotherapy note; abbreviation ->
expand or pick an alternative; Do-Not-Use -> apply the replacement; plan alignment -> link an
objective; risk -> insert an assessment block; GIRP goal -> insert a plan goal; any -> dismiss
with a reason.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from note_formats import parse_note

from ..models import Finding, TreatmentPlan

#: Inserted by the risk fix. Deliberately names no instrument, level or plan, so the check
#: keeps firing until the clinician fills the blanks with what was actually assessed.
RISK_TEMPLATE = (
    "Risk - instrument and result: ___. Level (low / moderate / high): ___. "
    "Protective factors: ___. Safety steps, or why none are needed: ___."
)
BLANK = "___"
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*(?=\s|$)")
_BOUNDARY_BEFORE = re.compile(r"[.!?][\"')\]]*\s+|\n")


@dataclass(frozen=True)
class Fix:
    """One action offered for a finding, chosen with ``key`` in the fix dialog."""

    key: str
    label: str
    kind: str
    """move | replace | insert | link | goal | details | dismiss | jump"""
    text: str = ""
    """The replacement (replace) or block (insert)."""


def _replacement_text(finding: Finding) -> str | None:
    data = finding.data
    for key in ("replacement", "expansion"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    suggestion = (finding.suggestion or "").strip()
    if suggestion and len(suggestion) <= 60 and not suggestion.endswith((".", "?", "!")):
        return suggestion
    return None


def _alternatives(finding: Finding) -> list[tuple[str, float | None]]:
    found: list[tuple[str, float | None]] = []
    for alt in finding.data.get("alternatives") or []:
        if isinstance(alt, dict) and isinstance(alt.get("expansion"), str):
            conf = alt.get("confidence")
            found.append((alt["expansion"], float(conf) if isinstance(conf, int | float) else None))
        elif isinstance(alt, str):
            found.append((alt, None))
    return found


def fixes_for(finding: Finding, *, has_plan: bool, format_key: str | None) -> list[Fix]:
    """The fixes this finding offers, in the order the dialog lists them."""
    fixes: list[Fix] = []
    category, has_span = finding.category, finding.end > finding.start
    if category == "process-content" and has_span:
        fixes.append(Fix("m", "Move the sentence to the psychotherapy note (private)", "move"))
    if category == "abbreviation" and has_span:
        expansion = _replacement_text(finding)
        if expansion:
            fixes.append(Fix("e", f'Expand to "{expansion}"', "replace", expansion))
        digit = 1
        for alt, conf in _alternatives(finding):
            if alt == expansion or digit > 9:
                continue
            share = f" ({conf:.0%})" if conf is not None else ""
            fixes.append(Fix(str(digit), f'Use "{alt}"{share}', "replace", alt))
            digit += 1
    if category in ("do-not-use", "stigmatizing-language") and has_span:
        replacement = _replacement_text(finding)
        if replacement:
            fixes.append(Fix("r", f'Replace with "{replacement}"', "replace", replacement))
        digit = 1
        for alt, _ in _alternatives(finding):
            if alt != replacement and digit <= 9:
                fixes.append(Fix(str(digit), f'Replace with "{alt}"', "replace", alt))
                digit += 1
    if category == "plan-alignment" and has_plan:
        fixes.append(Fix("l", "Link a plan objective...", "link"))
    if category == "risk":
        fixes.append(Fix("i", "Insert a risk-assessment block to fill in", "insert", RISK_TEMPLATE))
    if format_key == "girp" and finding.section == "goal" and has_plan:
        fixes.append(Fix("g", "Insert a plan goal...", "goal"))
    if finding.section == "header" or finding.data.get("header"):
        fixes.append(Fix("s", "Edit the session details...", "details"))
    if has_span:
        fixes.append(Fix("j", "Go to the text", "jump"))
    fixes.append(Fix("d", "Dismiss with a reason...", "dismiss"))
    return fixes


def sentence_span(text: str, start: int, end: int, floor: int = 0) -> tuple[int, int]:
    """The sentence around ``start..end``: from the previous sentence end or line break (not
    before ``floor``) to the next one, its final punctuation included."""
    begin = floor
    for match in _BOUNDARY_BEFORE.finditer(text, floor, start):
        begin = match.end()
    stop_match = _SENTENCE_END.search(text, max(end - 1, begin))
    newline = text.find("\n", max(end, begin))
    stop = stop_match.end() if stop_match else len(text)
    if newline != -1 and newline < stop:
        stop = newline
    while begin < stop and text[begin].isspace():
        begin += 1
    return begin, max(stop, end)


def removal_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``start..end`` plus the spaces after it (or, at a line end, before it), so removing a
    sentence leaves tidy text."""
    while end < len(text) and text[end] in " \t":
        end += 1
    if end == len(text) or text[end] == "\n":
        while start > 0 and text[start - 1] in " \t":
            start -= 1
    return start, end


def move_span(text: str, finding: Finding, start: int, end: int, fmt_key: str | None) -> tuple[int, int]:
    """The sentence a process-content finding at ``start..end`` (current offsets) asks to move."""
    data, delta = finding.data, start - finding.start
    s, e = data.get("sentence_start"), data.get("sentence_end")
    if isinstance(s, int) and isinstance(e, int):
        s, e = s + delta, e + delta
        if 0 <= s <= start and end <= e <= len(text):
            return s, e
    return sentence_span(text, start, end, floor=section_floor(text, start, fmt_key))


def section_floor(text: str, offset: int, fmt_key: str | None) -> int:
    """Where the body of the section holding ``offset`` begins (never move a heading)."""
    parsed = parse_note(text, format=fmt_key)
    section = parsed.section_at(offset)
    return section.body_start if section else parsed.front_matter_end


def insertion_point(text: str, fmt_key: str | None, prefer: tuple[str, ...]) -> int:
    """The end of the first section whose key is in ``prefer`` (trailing space excluded),
    else the end of the text."""
    parsed = parse_note(text, format=fmt_key)
    for key in prefer:
        for section in parsed.sections:
            if section.key == key:
                end = section.end
                while end > section.body_start and text[end - 1].isspace():
                    end -= 1
                return end
    end = len(text)
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def block_insertion(text: str, at: int, block: str) -> tuple[int, str]:
    """(index, text to insert) placing ``block`` on its own line at ``at``."""
    before = text[at - 1] if at > 0 else "\n"
    prefix = "" if before == "\n" else "\n"
    return at, prefix + block


ASSESSMENT_KEYS = ("assessment", "response", "data", "goal", "problem", "behavior")
GOAL_KEYS = ("goal",)


def objective_options(plan: TreatmentPlan | None) -> list[tuple[str, str]]:
    """(label, text to insert) for each plan objective."""
    if plan is None:
        return []
    return [(f"{o.id}: {o.description}", f"Objective {o.id} ({o.description}): ")
            for o in plan.objectives()]


def goal_options(plan: TreatmentPlan | None) -> list[tuple[str, str]]:
    """(label, text to insert) for each plan goal and its objectives (GIRP's Goal section)."""
    if plan is None:
        return []
    options: list[tuple[str, str]] = []
    for problem in plan.problems:
        for goal in problem.goals:
            options.append((f"{goal.id}: {goal.description}", f"Goal {goal.id}: {goal.description}."))
            for o in goal.objectives:
                options.append((f"  {o.id}: {o.description}",
                                f"Goal {goal.id}, objective {o.id}: {o.description}."))
    return options


class LineIndex:
    """Character index <-> (row, column) for a text split into lines (bisect, no joins)."""

    def __init__(self, lines: list[str]) -> None:
        self.starts = [0]
        for line in lines:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def location(self, index: int) -> tuple[int, int]:
        row = max(0, min(bisect.bisect_right(self.starts, index) - 1, len(self.starts) - 2))
        return row, index - self.starts[row]

    def index(self, row: int, column: int) -> int:
        return self.starts[min(row, len(self.starts) - 1)] + column
