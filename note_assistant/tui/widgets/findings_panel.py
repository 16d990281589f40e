"""The findings list beside the editor, with the selected finding explained (why and how)."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..marks import Mark

MAX_LISTED = 200
"""A pasted book can raise hundreds of findings: list the most severe ones only."""
SEVERITY_STYLE = {"error": "bold $text-error", "warning": "bold $text-warning", "info": "bold $text-accent"}
SEVERITY_TAG = {"error": "E", "warning": "W", "info": "i"}
_ORDER = {"error": 0, "warning": 1, "info": 2}


def finding_line(mark: Mark) -> Content:
    f = mark.finding
    where = "session details: " if mark.in_header else ""
    return Content.assemble((SEVERITY_TAG[f.severity], SEVERITY_STYLE[f.severity]), " ",
                            where, f.message)


def explanation(mark: Mark, *, hint: bool = True) -> Content:
    """Why the finding fired: rule, cue, source, and what to do."""
    f = mark.finding
    lines: list[list[tuple[str, str] | str]] = [[(f.rule_id, "bold"), f"  {f.category}, {f.severity}"]]
    if f.cue:
        lines.append([("cue: ", "dim"), f.cue])
    if f.text.strip() and not mark.in_header:
        snippet = f.text.strip().replace("\n", " ")
        lines.append([("text: ", "dim"), f'"{snippet[:120]}"'])
    if f.source:
        lines.append([("source: ", "dim"), f.source])
    if f.suggestion:
        lines.append([("fix: ", "dim"), f.suggestion])
    if hint:
        lines.append([("enter: fixes, dismiss", "italic dim")])
    parts: list[tuple[str, str] | str] = []
    for index, line in enumerate(lines):
        parts += (["\n"] if index else []) + line
    return Content.assemble(*parts)


class FindingsPanel(Vertical):
    """Open findings, most severe first; Enter asks the screen for the fix dialog."""

    BINDINGS = [Binding("enter", "fix", "Fix...", show=True)]

    @dataclass
    class FixRequested(Message):
        """The user chose a finding to fix or dismiss."""

        mark: Mark

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.marks: list[Mark] = []
        """The marks listed, in list order."""
        self._list = OptionList(id="findings-list")
        self._detail = Static("", id="finding-detail", markup=False)
        self._title = Static("Findings: checking...", id="findings-title", markup=False)

    def compose(self) -> ComposeResult:
        yield self._title
        yield self._list
        yield self._detail

    def show(self, marks: list[Mark], *, dismissed: int = 0) -> None:
        highlighted = self.current
        ordered = sorted(marks, key=lambda m: (_ORDER[m.finding.severity], m.start))
        self.marks = ordered[:MAX_LISTED]
        self._list.clear_options()
        self._list.add_options([Option(finding_line(m)) for m in self.marks])
        if len(ordered) > MAX_LISTED:
            self._list.add_option(Option(f"... {len(ordered) - MAX_LISTED} more (fix these first)",
                                         disabled=True))
        counts = {s: sum(1 for m in ordered if m.finding.severity == s) for s in _ORDER}
        extra = f", {dismissed} dismissed" if dismissed else ""
        self._title.update(
            f"Findings: {counts['error']} error, {counts['warning']} warning, "
            f"{counts['info']} info{extra}" if ordered else f"Findings: none{extra}"
        )
        if self.marks:
            keep = next((i for i, m in enumerate(self.marks)
                         if highlighted and m.finding.rule_id == highlighted.finding.rule_id
                         and m.start == highlighted.start), 0)
            self._list.highlighted = keep
        self._explain()

    def select_mark(self, mark: Mark) -> None:
        for i, m in enumerate(self.marks):
            if m is mark:
                self._list.highlighted = i
        self._explain()

    @property
    def current(self) -> Mark | None:
        index = self._list.highlighted
        return self.marks[index] if index is not None and 0 <= index < len(self.marks) else None

    def _explain(self) -> None:
        mark = self.current
        self._detail.update(explanation(mark) if mark else "")

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._explain()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_fix()

    def action_fix(self) -> None:
        if self.current is not None:
            self.post_message(self.FixRequested(self.current))
