"""Writing an addendum to a signed note: a reason and the added text."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static, TextArea


class AddendumDialog(ModalScreen[tuple[str, str] | None]):
    """Returns (reason, text); ctrl+s saves, Escape cancels. Both are required."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save addendum", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, note_label: str) -> None:
        super().__init__(classes="dialog-screen")
        self.note_label = note_label
        """Which note the addendum amends."""
        self._reason = Input(placeholder="Reason (e.g. late entry, correction)", id="addendum-reason")
        self._text = TextArea(id="addendum-text", soft_wrap=True, tab_behavior="focus")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog tall"):
            yield Static(f"Addendum to {self.note_label}", classes="dialog-title", markup=False)
            yield Static("The signed note stays as it was; the addendum is dated and "
                         "signed by you.", classes="dialog-body", markup=False)
            yield self._reason
            yield self._text
            yield Static("ctrl+s: save   escape: cancel   tab: next field", classes="dialog-hint")

    def action_save(self) -> None:
        reason, text = self._reason.value.strip(), self._text.text.strip()
        if not reason or not text:
            self.notify("An addendum needs a reason and text.", severity="warning")
            return
        self.dismiss((reason, self._text.text.replace("\r\n", "\n")))

    def action_cancel(self) -> None:
        self.dismiss(None)
