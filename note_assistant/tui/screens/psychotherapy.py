"""The psychotherapy note of a session (45 CFR 164.501): a separate, visibly private editor.

Its text never appears in progress-note views, search or exports. Saving and autosave go
through the progress-note editor that opened it, so both texts are saved together.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static, TextArea

from ..workspace import NoteWorkspace
from .base import AppScreen

if TYPE_CHECKING:
    from .editor import EditorScreen

PRIVATE_BANNER = ("PRIVATE - psychotherapy note (45 CFR 164.501). Kept apart from the "
                  "progress note: never shown in progress-note views, search or exports.")


class PsychotherapyScreen(AppScreen):
    """Edits ``ws.pnote_text``; escape returns to the progress note (saving both)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "back", "Back to progress note"),
    ]

    def __init__(self, ws: NoteWorkspace, owner: "EditorScreen") -> None:
        super().__init__(classes="private")
        self.ws = ws
        """The shared session note state."""
        self.owner = owner
        """The progress-note editor that saves both texts."""
        self.area = TextArea(ws.pnote_text, id="pnote-editor", soft_wrap=True, tab_behavior="focus")
        """Direct reference to the private editor."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(PRIVATE_BANNER, id="private-banner", markup=False)
        yield Static(f"{self.ws.client.name}, session {self.ws.note.date_of_service}",
                     id="private-session", markup=False)
        yield self.area
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.area.cursor_blink = self.nav.settings.cursor_blink
        self.area.move_cursor(self.area.document.end)
        self.area.focus()
        self.set_interval(self.nav.settings.autosave_tick, self.owner._autosave_tick)

    @on(TextArea.Changed, "#pnote-editor")
    def _typed(self) -> None:
        self.ws.pnote_text = self.area.text
        self.owner._draft_dirty = True
        self.owner._last_edit = time.monotonic()

    def on_unmount(self) -> None:
        self.ws.pnote_text = self.area.text

    def action_save(self) -> None:
        self.ws.pnote_text = self.area.text
        if self.attempt("Not saved", self.owner.save_now):
            self.report("Psychotherapy note saved (private).")

    def action_back(self) -> None:
        self.ws.pnote_text = self.area.text
        if self.attempt("Not saved", self.owner.save_now):
            self.app.pop_screen()
