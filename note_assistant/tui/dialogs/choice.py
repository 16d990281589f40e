"""One of a few answers, each with a key (quit with unsaved text, restore a draft...)."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ChoiceDialog(ModalScreen[str | None]):
    """``choices`` are (key, label, value); Escape answers None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, message: str, choices: list[tuple[str, str, str]]) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        """The question."""
        self.message = message
        """The details."""
        self.choices = choices
        """(key, label, value) for each answer."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.message, classes="dialog-body", markup=False)
            with Horizontal(classes="dialog-buttons"):
                for index, (key, label, _) in enumerate(self.choices):
                    yield Button(f"{label} [{key}]", id=f"choice-{index}",
                                 variant="primary" if index == 0 else "default")

    def on_key(self, event: events.Key) -> None:
        for key, _, value in self.choices:
            if event.key == key:
                event.stop()
                self.dismiss(value)
                return

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        index = int(str(event.button.id).removeprefix("choice-"))
        self.dismiss(self.choices[index][2])

    def action_cancel(self) -> None:
        self.dismiss(None)
