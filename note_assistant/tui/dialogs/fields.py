"""Edit a few text fields (a treatment-plan item, the session details)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static


class FieldsDialog(ModalScreen[dict[str, str] | None]):
    """``fields`` are (key, label, value); returns {key: value}. ctrl+s or Enter saves."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, title: str, fields: list[tuple[str, str, str]]) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        """What is being edited."""
        self.fields = fields
        """(key, label, current value) per input."""
        self._inputs = {key: Input(value=value, id=f"field-{key}") for key, _, value in fields}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            for key, label, _ in self.fields:
                yield Label(label)
                yield self._inputs[key]
            yield Static("enter/ctrl+s: save   escape: cancel", classes="dialog-hint")

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        self.dismiss({key: widget.value.strip() for key, widget in self._inputs.items()})

    def action_cancel(self) -> None:
        self.dismiss(None)
