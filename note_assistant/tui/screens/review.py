"""Review and sign: the saved note's open findings by severity. Error findings must be fixed
or dismissed with a reason; the service re-checks the stored text and refuses otherwise.
Signing (after a confirmation) locks the note; afterwards only addenda change it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from ...models import Finding, Note
from ...services import InvalidTransition, PermissionDenied
from ...services.findings import UnresolvedFindings, check_session_note
from ..dialogs.confirm import ConfirmDialog
from ..dialogs.reason import ReasonDialog
from ..marks import Mark
from ..messages import NoteChecked
from ..widgets.findings_panel import explanation, finding_line
from ..workspace import NoteWorkspace
from .base import AppScreen

if TYPE_CHECKING:
    from .editor import EditorScreen

_TITLES = {"error": "Errors: fix or dismiss before signing", "warning": "Warnings", "info": "Information"}


class ReviewScreen(AppScreen):
    """Open findings of the saved note, and the sign action."""

    BINDINGS = [
        Binding("s", "sign", "Sign"),
        Binding("d", "dismiss_finding", "Dismiss"),
        Binding("enter", "goto", "Go to", show=False),
        Binding("escape", "back", "Back to editor"),
    ]

    def __init__(self, ws: NoteWorkspace, editor: "EditorScreen") -> None:
        super().__init__()
        self.ws = ws
        """The note under review (saved before this screen opened)."""
        self.editor = editor
        """The editor to return to."""
        self.open: list[Finding] = []
        """Open (not dismissed) findings of the stored text, most severe first."""
        self._list = OptionList(id="review-list")
        self._summary = Static("Checking the saved note...", id="review-summary", markup=False)
        self._detail = Static("", id="review-detail")

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Review: {self.ws.client.name}, session {self.ws.note.date_of_service} "
                     f"({self.ws.note.format.upper()})", id="review-title", markup=False)
        yield self._summary
        yield self._list
        yield self._detail
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._list.focus()
        self._recheck()

    def _recheck(self) -> None:
        self._check(self.session.store.note(self.ws.note.id))

    @work(thread=True, exclusive=True, exit_on_error=False, group="review")
    def _check(self, note: Note) -> None:
        ws = self.ws
        result = check_session_note(note, client=ws.client, author=ws.author, plan=ws.plan,
                                    history=ws.history, today=self.session.today)
        self.post_message(NoteChecked(note.id, result.findings, result.extras))

    def on_note_checked(self, message: NoteChecked) -> None:
        order = {"error": 0, "warning": 1, "info": 2}
        self.open = sorted(self.session.findings.open_findings(message.note_id, message.findings),
                           key=lambda f: (order[f.severity], f.start))
        errors = sum(1 for f in self.open if f.severity == "error")
        dismissed = len(message.findings) - len(self.open)
        self._summary.update(
            (f"{errors} error finding(s) block signing. " if errors else "Ready to sign. ")
            + f"{len(self.open)} open, {dismissed} dismissed. s: sign  d: dismiss  enter: go to")
        self._list.clear_options()
        current = None
        for index, finding in enumerate(self.open):
            if finding.severity != current:
                current = finding.severity
                self._list.add_option(Option(_TITLES[current], disabled=True))
            self._list.add_option(Option(finding_line(Mark(finding, finding.start, finding.end)),
                                         id=str(index)))
        if self.open:
            self._list.highlighted = 1

    def _selected(self) -> Finding | None:
        index = self._list.highlighted
        if index is None:
            return None
        option = self._list.get_option_at_index(index)
        return self.open[int(option.id)] if option.id is not None else None

    # actions ----------------------------------------------------------------------------------
    def action_back(self) -> None:
        self.app.pop_screen()

    def action_goto(self) -> None:
        finding = self._selected()
        self.app.pop_screen()
        if finding is not None and finding.end > finding.start:
            self.editor.editor.select_span(finding.start, finding.end)

    @on(OptionList.OptionHighlighted, "#review-list")
    def _highlighted(self) -> None:
        finding = self._selected()
        self._detail.update(explanation(Mark(finding, finding.start, finding.end), hint=False)
                            if finding else "")

    @on(OptionList.OptionSelected, "#review-list")
    def _chosen(self) -> None:
        self.action_goto()

    def action_dismiss_finding(self) -> None:
        finding = self._selected()
        if finding is None:
            return

        def given(reason: str | None) -> None:
            if reason and self.attempt("Not dismissed", self.session.findings.dismiss,
                                       self.ws.note.id, finding, reason):
                self._recheck()

        self.app.push_screen(ReasonDialog(f"Dismiss {finding.rule_id}?",
                                          "The reason is kept with the note and visible to supervisors."),
                             given)

    def action_sign(self) -> None:
        errors = [f for f in self.open if f.severity == "error"]
        if errors:
            self.report(f"{len(errors)} error finding(s) must be fixed or dismissed first.",
                        severity="warning")
            return
        user = self.session.user
        signer = f"{user.display_name}, {user.credentials}" if user.credentials else user.display_name

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._sign()

        self.app.push_screen(ConfirmDialog(
            "Sign this note?",
            f"Signed by {signer}. Signing locks the note: afterwards it can only be amended "
            "with an addendum.", yes="Sign", no="Not yet"), confirmed)

    def _sign(self) -> None:
        from .history import HistoryScreen

        try:
            signed = self.session.findings.sign(self.ws.note.id, today=self.session.today)
        except UnresolvedFindings as exc:
            self.report(str(exc), severity="error")
            self._recheck()
            return
        except (PermissionDenied, InvalidTransition) as exc:
            self.report(str(exc), severity="error")
            return
        self.ws.note = signed
        self.report("Signed. The note is locked; use an addendum for later changes.")
        self.app.pop_screen()
        self.app.switch_screen(HistoryScreen(signed.client_id, note_id=signed.id))

