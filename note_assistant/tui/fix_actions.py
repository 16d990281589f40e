"""The editor's finding actions: open the fix dialog, apply a fix, jump between findings.

Every text change goes through ``NoteEditor.replace_span`` (one undo step): ctrl+z reverts a fix.
Moving a sentence saves the private psychotherapy note first, then removes the sentence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .details import parse_session_fields, session_fields
from .dialogs.fields import FieldsDialog
from .dialogs.fix import FixDialog
from .dialogs.pick import PickDialog
from .dialogs.reason import ReasonDialog
from .fixes import (
    ASSESSMENT_KEYS,
    BLANK,
    GOAL_KEYS,
    Fix,
    block_insertion,
    fixes_for,
    goal_options,
    insertion_point,
    move_span,
    objective_options,
    removal_span,
)
from .marks import Mark
from .widgets.findings_panel import FindingsPanel

if TYPE_CHECKING:
    from .screens.editor import EditorScreen


class FixActions:
    """Mixed into EditorScreen (uses its editor, workspace, panel and session)."""

    # choosing a finding ------------------------------------------------------------------------
    def action_fix(self: "EditorScreen") -> None:
        mark = self.editor.mark_at(self.editor.cursor_index()) or self.panel.current
        if mark is None and self.editor.marks:
            mark = self.editor.marks[0]
        if mark is None:
            self.report("No findings to fix.")
            return
        self.open_fix(mark)

    def action_next_finding(self: "EditorScreen") -> None:
        spans = sorted((m for m in self.editor.marks if m.has_span), key=lambda m: m.start)
        if not spans:
            self.report("No findings in the text.")
            return
        here = self.editor.cursor_index()
        mark = next((m for m in spans if m.start > here), spans[0])
        self.editor.select_span(mark.start, mark.end)
        self.panel.select_mark(mark)

    def on_findings_panel_fix_requested(self: "EditorScreen", event: FindingsPanel.FixRequested) -> None:
        """Enter on a finding in the panel (a named handler: ``@on`` is not seen in mixins)."""
        self.open_fix(event.mark)

    def open_fix(self: "EditorScreen", mark: Mark) -> None:
        if not self.ws.editable:
            return
        fixes = fixes_for(mark.finding, has_plan=self.ws.plan is not None,
                          format_key=self.ws.note.format)

        def chosen(fix: Fix | None) -> None:
            if fix is not None:
                self.apply_fix(mark, fix)

        self.app.push_screen(FixDialog(mark, fixes), chosen)

    # applying ------------------------------------------------------------------------------------
    def apply_fix(self: "EditorScreen", mark: Mark, fix: Fix) -> None:
        handler = {
            "move": self._move_to_pnote, "replace": self._replace, "insert": self._insert_block,
            "link": self._link_objective, "goal": self._insert_goal_choice,
            "dismiss": self._dismiss, "jump": self._jump,
            "details": lambda mark, fix: self.action_details(),
        }[fix.kind]
        handler(mark, fix)

    def _jump(self: "EditorScreen", mark: Mark, fix: Fix) -> None:
        self.editor.select_span(mark.start, mark.end)
        self.editor.focus()

    def _replace(self: "EditorScreen", mark: Mark, fix: Fix) -> None:
        text = self.editor.text
        if text[mark.start:mark.end] != mark.finding.text:
            self.report("The text changed since the check; try again in a moment.", severity="warning")
            return
        self.editor.replace_span(mark.start, mark.end, fix.text)
        self.editor.focus()

    def _move_to_pnote(self: "EditorScreen", mark: Mark, fix: Fix) -> None:
        text = self.editor.text
        start, end = move_span(text, mark.finding, mark.start, mark.end, self.ws.note.format)
        sentence = text[start:end].strip()
        if not sentence:
            return
        before = self.ws.pnote_text
        self.ws.append_to_pnote(sentence)
        # the private copy is stored before the progress note loses the sentence
        if not self.attempt("Not moved", self.ws.save_pnote, self.session):
            self.ws.pnote_text = before
            return
        self.editor.replace_span(*removal_span(text, start, end), "")
        self.editor.focus()
        self.report("Moved to the psychotherapy note (private, kept apart). ctrl+t opens it. "
                    "ctrl+z puts the sentence back here; the private copy stays until you "
                    "delete it there.")

    def _insert_block(self: "EditorScreen", mark: Mark, fix: Fix) -> None:
        text = self.editor.text
        section = mark.finding.section
        prefer = ASSESSMENT_KEYS + ((section,) if section and section != "header" else ())
        at, block = block_insertion(text, insertion_point(text, self.ws.note.format, prefer), fix.text)
        self.editor.replace_span(at, at, block)
        blank = self.editor.text.find(BLANK, at)
        if blank != -1:
            self.editor.select_span(blank, blank + len(BLANK))
        self.editor.focus()

    def _insert_choice(self: "EditorScreen", title: str, options: list[tuple[str, str]],
                       prefer: tuple[str, ...]) -> None:
        if not options:
            self.report("This client has no treatment plan on file.", severity="warning")
            return

        def picked(index: int | None) -> None:
            if index is None:
                return
            text = self.editor.text
            at, block = block_insertion(text, insertion_point(text, self.ws.note.format, prefer),
                                        options[index][1])
            self.editor.replace_span(at, at, block)
            self.editor.select_span(at + len(block), at + len(block))
            self.editor.focus()

        self.app.push_screen(PickDialog(title, [label for label, _ in options]), picked)

    def _link_objective(self: "EditorScreen", mark: Mark, fix: Fix) -> None:
        self._insert_choice("Link which objective?", objective_options(self.ws.plan), ASSESSMENT_KEYS)

    def _insert_goal_choice(self: "EditorScreen", mark: Mark | None = None, fix: Fix | None = None) -> None:
        self._insert_choice("Insert which goal?", goal_options(self.ws.plan), GOAL_KEYS + ASSESSMENT_KEYS)

    def action_insert_goal(self: "EditorScreen") -> None:
        if self.ws.note.format == "girp":
            self._insert_goal_choice()
        else:
            self._link_objective(None, None)  # type: ignore[arg-type]

    def action_details(self: "EditorScreen") -> None:
        """Edit the session details (date, times, CPT, modality, diagnosis) of the draft."""
        if not self.ws.editable:
            return

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            try:
                changes = parse_session_fields(values)
            except ValueError as exc:
                self.report(f"Not changed: {exc}", severity="error")
                return
            if self.attempt("Not changed", self._update_details, changes):
                self.bar.set_session(self.ws.note, self.ws.client)
                self._schedule_checks(0.0)

        self.app.push_screen(FieldsDialog("Session details", session_fields(self.ws.note)), done)

    def _update_details(self: "EditorScreen", changes: dict[str, object]) -> None:
        self.ws.note = self.session.notes.update_draft(self.note_id, **changes)

    def _dismiss(self: "EditorScreen", mark: Mark, fix: Fix) -> None:
        def reason_given(reason: str | None) -> None:
            if not reason:
                return
            if not (self.attempt("Not dismissed", self.save_now)
                    and self.attempt("Not dismissed", self.session.findings.dismiss,
                                     self.note_id, mark.finding, reason)):
                return
            self._refresh_dismissed()
            self._schedule_checks(0.0)
            self.report(f"Dismissed {mark.finding.rule_id}; the reason is kept with the note.")

        self.app.push_screen(ReasonDialog(
            f"Dismiss {mark.finding.rule_id}?",
            "Say why this finding does not apply. The reason is stored with the note and "
            "is visible to supervisors.",
        ), reason_given)
