"""New note: the client, session details (date, start/stop, CPT, modality, diagnosis offered
from the plan) and the format; creating it opens the guided editor."""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Input, Label, Select, SelectionList, Static

from note_formats import NoteFormat, builtin_formats, load_formats

from ...models import Client
from .base import AppScreen

CPT_CODES = [
    ("90832 psychotherapy 16-37 min", "90832"), ("90834 psychotherapy 38-52 min", "90834"),
    ("90837 psychotherapy 53+ min", "90837"), ("90791 diagnostic evaluation", "90791"),
    ("90846 family, client absent", "90846"), ("90847 family, client present", "90847"),
    ("90853 group", "90853"),
]
MODALITIES = ["individual", "family", "group", "telehealth video", "telehealth audio-only"]


def clinic_formats() -> dict[str, NoteFormat]:
    """Built-in formats plus the clinic's folder (NOTE_ASSISTANT_FORMATS_DIR), when set."""
    from ...config import load_settings

    folder = load_settings().formats_dir
    try:
        return load_formats(folder) if folder else dict(builtin_formats())
    except ValueError:
        return dict(builtin_formats())


def template(fmt: NoteFormat) -> str:
    """Every section heading with an empty line to write on."""
    return "".join(f"{s.title}:\n\n" for s in fmt.sections)


def cpt_for(minutes: int) -> str | None:
    if minutes >= 53:
        return "90837"
    if minutes >= 38:
        return "90834"
    if minutes >= 16:
        return "90832"
    return None


class NewNoteScreen(AppScreen):
    """A form; ctrl+s (or the Create button) makes the draft and opens the editor."""

    BINDINGS = [
        Binding("ctrl+s", "create", "Create note", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, client_id: str | None = None) -> None:
        super().__init__()
        self.client_id = client_id
        """The client chosen on the home screen, if any."""
        self.formats = clinic_formats()
        """Formats on offer (built-in and the clinic's)."""
        self._cpt_auto = "90834"
        self._cpt_touched = False

    def compose(self) -> ComposeResult:
        session = self.session
        clients = session.visible_clients()
        now = session.clock()
        end = now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0)
        start = end - dt.timedelta(minutes=50)
        if start.date() != end.date():
            # Just after midnight: a session can't cross it, so offer the one that ran until
            # midnight, on the day it started (never a form that fails its own check).
            end = start.replace(hour=23, minute=59)
        chosen = self.client_id if any(c.id == self.client_id for c in clients) else (
            clients[0].id if clients else None)
        yield Header()
        with VerticalScroll(id="new-note"):
            yield Static("New session note", classes="form-title")
            yield from _row("Client", Select([(c.name, c.id) for c in clients], value=chosen or Select.BLANK,
                                             allow_blank=False if clients else True, id="client", compact=True))
            yield from _row("Date", Input(str(start.date()), placeholder="YYYY-MM-DD", id="date", compact=True))
            yield from _row("Start", Input(f"{start:%H:%M}", placeholder="HH:MM", id="start", compact=True))
            yield from _row("Stop", Input(f"{end:%H:%M}", placeholder="HH:MM", id="end", compact=True))
            yield from _row("CPT", Select(CPT_CODES, value="90834", allow_blank=False, id="cpt", compact=True))
            yield from _row("Modality", Select([(m, m) for m in MODALITIES], value="individual",
                                               allow_blank=False, id="modality", compact=True))
            yield from _row("Format", Select([(f"{f.name}: {f.description}", f.key) for f in self.formats.values()],
                                             value="soap" if "soap" in self.formats else next(iter(self.formats)),
                                             allow_blank=False, id="format", compact=True))
            yield Label("Diagnosis (from the plan; space toggles)")
            yield SelectionList[str](id="diagnosis", compact=True)
            yield Static("", id="new-note-error", markup=False)
            yield Button("Create note [ctrl+s]", id="create", variant="primary", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._fill_diagnoses()
        self.query_one("#client", Select).focus()

    def _client(self) -> Client | None:
        value = self.query_one("#client", Select).value
        return self.nav.store.client(str(value)) if isinstance(value, str) else None

    def _fill_diagnoses(self) -> None:
        box = self.query_one("#diagnosis", SelectionList)
        box.clear_options()
        client = self._client()
        if client is None:
            return
        plan = self.nav.store.active_plan(client.id, on=self.session.today)
        seen: dict[str, str] = {}
        for dx in plan.diagnoses if plan else []:
            seen.setdefault(dx.code, f"{dx.code} {dx.description}".strip())
        for code in client.diagnoses:
            seen.setdefault(code, code)
        for code, label in seen.items():
            box.add_option((label, code, True))

    @on(Select.Changed, "#client")
    def _client_changed(self) -> None:
        self._fill_diagnoses()

    @on(Select.Changed, "#cpt")
    def _cpt_changed(self, event: Select.Changed) -> None:
        if event.value != self._cpt_auto:
            self._cpt_touched = True  # the clinician chose a code: stop suggesting

    @on(Input.Changed, "#start, #end")
    def _times_changed(self) -> None:
        start, end = (_time(self.query_one(f"#{k}", Input).value) for k in ("start", "end"))
        if start and end and not self._cpt_touched:
            day = dt.date.min
            minutes = int((dt.datetime.combine(day, end) - dt.datetime.combine(day, start)).total_seconds() // 60)
            code = cpt_for(minutes)
            if code:
                self._cpt_auto = code
                self.query_one("#cpt", Select).value = code

    @on(Button.Pressed, "#create")
    def _pressed(self) -> None:
        self.action_create()

    def action_cancel(self) -> None:
        self.app.pop_screen()

    def action_create(self) -> None:
        from .editor import EditorScreen

        error = self.query_one("#new-note-error", Static)
        client = self._client()
        if client is None:
            error.update("Choose a client.")
            return
        try:
            date = dt.date.fromisoformat(self.query_one("#date", Input).value.strip())
        except ValueError:
            error.update("Date: use YYYY-MM-DD.")
            return
        start, end = (_time(self.query_one(f"#{k}", Input).value) for k in ("start", "end"))
        if start is None or end is None:
            error.update("Start and stop: use HH:MM (24-hour).")
            return
        if end <= start:
            error.update("The session must stop after it starts.")
            return
        fmt = self.formats[str(self.query_one("#format", Select).value)]
        made: list = []
        if self.attempt("Not created", lambda: made.append(self.session.notes.create_draft(
            client.id, fmt.key, template(fmt), date, start_time=start, end_time=end,
            cpt=str(self.query_one("#cpt", Select).value),
            modality=str(self.query_one("#modality", Select).value),
            diagnosis=list(self.query_one("#diagnosis", SelectionList).selected),
        ))):
            self.app.switch_screen(EditorScreen(made[0].id))


def _row(label: str, widget: object) -> ComposeResult:
    with Horizontal(classes="form-row"):
        yield Label(label, classes="form-label")
        yield widget  # type: ignore[misc]


def _time(value: str) -> dt.time | None:
    try:
        return dt.time.fromisoformat(value.strip())
    except ValueError:
        return None
