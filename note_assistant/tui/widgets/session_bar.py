"""One line naming the session: client, date, times, code, format, status, check state."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from ...models import Client, Note


def session_line(note: Note, client: Client) -> str:
    times = ""
    if note.start_time and note.end_time:
        times = f" {note.start_time:%H:%M}-{note.end_time:%H:%M}"
    bits = [client.name, f"{note.date_of_service}{times}"]
    bits += [b for b in (note.cpt, note.modality, ", ".join(note.diagnosis)) if b]
    bits += [note.format.upper(), note.status.value.replace("_", " ")]
    return " | ".join(bits)


class StatusText(Widget):
    """One line of text that repaints without a layout pass (it changes while typing)."""

    DEFAULT_CSS = """
    StatusText { height: 1; }
    """

    text: reactive[str] = reactive("", layout=False)

    def render(self) -> str:
        return self.text


class SessionBar(Horizontal):
    """The session line on the left, a short status (findings, saved) on the right."""

    DEFAULT_CSS = """
    SessionBar { height: 1; }
    SessionBar > #session-line { width: 1fr; height: 1; text-overflow: ellipsis; text-wrap: nowrap; }
    SessionBar > #session-status { width: 34; height: 1; padding: 0 0 0 1; text-wrap: nowrap;
        text-overflow: ellipsis; text-align: right; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._line = Static("", id="session-line", markup=False)
        self._status = StatusText(id="session-status")

    def compose(self) -> ComposeResult:
        yield self._line
        yield self._status

    def set_session(self, note: Note, client: Client) -> None:
        self._line.update(session_line(note, client))

    def set_status(self, status: str) -> None:
        self._status.text = status

    @property
    def status_text(self) -> str:
        return self._status.text
