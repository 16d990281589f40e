"""Asks for a reason (dismissing a finding). An empty reason is not accepted."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class ReasonDialog(ModalScreen[str | None]):
    """Enter submits the reason; Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, message: str, placeholder: str = "Reason") -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        """What is being dismissed."""
        self.message = message
        """Who will see the reason."""
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.message, classes="dialog-body", markup=False)
            yield Input(placeholder=self.placeholder, id="reason")
            yield Static("enter: save   escape: cancel", classes="dialog-hint")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())
        else:
            self.notify("A reason is required.", severity="warning")

    def action_cancel(self) -> None:
        self.dismiss(None)
