"""Review and submit: the trainee's version of review-and-sign. The same open findings (errors
fixed or dismissed with a reason first), but ``s`` sends the note to the supervisor with
``ReviewService.submit`` instead of signing it; the note is read-only while pending review."""

from __future__ import annotations

from textual.binding import Binding

from ...services.errors import ServiceError
from ...services.findings import UnresolvedFindings
from ...services.review import ReviewService
from ..dialogs.confirm import ConfirmDialog
from .review import ReviewScreen


class SubmitScreen(ReviewScreen):
    """Open findings of the saved note, and the submit-for-review action."""

    BINDINGS = [
        Binding("s", "sign", "Submit", tooltip="Submit for review"),
        Binding("d", "dismiss_finding", "Dismiss"),
        Binding("enter", "goto", "Go to", show=False),
        Binding("escape", "back", "Back to editor"),
    ]

    checked = False
    """The saved note has been checked at least once (tests wait on it)."""

    def on_note_checked(self, message) -> None:  # noqa: ANN001 - NoteChecked
        super().on_note_checked(message)
        self.checked = True
        errors = sum(1 for f in self.open if f.severity == "error")
        self._summary.update(
            (f"{errors} error finding(s) block submitting. " if errors else "Ready to submit. ")
            + f"{len(self.open)} open. s: submit for review  d: dismiss  enter: go to")

    def action_sign(self) -> None:
        errors = [f for f in self.open if f.severity == "error"]
        if errors:
            self.report(f"{len(errors)} error finding(s) must be fixed or dismissed first.",
                        severity="warning")
            return
        supervisor = self.session.store.user(self.session.user.supervisor_id) \
            if self.session.user.supervisor_id else None
        who = supervisor.display_name if supervisor else "your supervisor"

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._sign()

        self.app.push_screen(ConfirmDialog(
            "Submit for review?",
            f"The note goes to {who} for co-signature and is read-only while pending review.",
            yes="Submit", no="Not yet"), confirmed)

    def _sign(self) -> None:
        service = ReviewService(self.session.store, self.session.auth or self.session.user)
        try:
            submitted = service.submit(self.ws.note.id, today=self.session.today)
        except UnresolvedFindings as exc:
            self.report(str(exc), severity="error")
            self._recheck()
            return
        except ServiceError as exc:
            self.report(str(exc), severity="error")
            return
        self.ws.note = submitted
        self.app.pop_screen()
        self.editor.mark_submitted()
        self.report("Submitted for review. The note is read-only until your supervisor "
                    "co-signs it or returns it.")
