"""Pick one item from a list (a plan objective, a goal)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static


class PickDialog(ModalScreen[int | None]):
    """Returns the index of the chosen label, or None on Escape."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, labels: list[str]) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        """What to pick."""
        self.labels = labels
        """The choices, in order."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield OptionList(*self.labels, id="pick-list", markup=False)
            yield Static("enter: choose   escape: cancel", classes="dialog-hint")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index)

    def action_cancel(self) -> None:
        self.dismiss(None)
