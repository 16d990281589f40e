"""A finding explained (rule, cue, source) with its fixes, each chosen by a key."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static

from ..fixes import Fix
from ..marks import Mark
from ..widgets.findings_panel import explanation, finding_line


class FixDialog(ModalScreen[Fix | None]):
    """Returns the chosen fix, or None (Escape)."""

    BINDINGS = [Binding("escape", "cancel", "Close")]

    def __init__(self, mark: Mark, fixes: list[Fix]) -> None:
        super().__init__(classes="dialog-screen")
        self.mark = mark
        """The finding being fixed."""
        self.fixes = fixes
        """What can be done about it."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(finding_line(self.mark), classes="dialog-title")
            yield Static(explanation(self.mark, hint=False), classes="dialog-body")
            yield OptionList(*[f"[{fix.key}] {fix.label}" for fix in self.fixes],
                             id="fix-list", markup=False)
            yield Static("press a key, or enter on a line; escape: close", classes="dialog-hint")

    def on_key(self, event: events.Key) -> None:
        for fix in self.fixes:
            if event.key == fix.key:
                event.stop()
                self.dismiss(fix)
                return

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.fixes[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)

