"""Home: the clinician's clients, today's sessions, open drafts, and search (progress notes
only: psychotherapy notes are never searched)."""

from __future__ import annotations

from collections.abc import Iterator

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Header, Input, Label, Static

from ...models import Note, Role, User
from ..session import EDITABLE
from .base import AppScreen, Command, run_later


class HomeScreen(AppScreen):
    """Where every action starts."""

    BINDINGS = [
        Binding("n", "new_note", "New note"),
        Binding("h", "history", "History"),
        Binding("t", "plan", "Plan"),
        Binding("slash", "search", "Search"),
        Binding("escape", "leave_search", "Back", show=False),
        Binding("r", "review_queue", "Reviews", tooltip="Supervisees' notes pending review"),
        Binding("e", "trainee_report", "Report", tooltip="Trainee feedback report"),
        Binding("f5", "refresh", "Refresh", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._clients = DataTable(id="clients", cursor_type="row", zebra_stripes=True)
        self._today = DataTable(id="today", cursor_type="row")
        self._drafts = DataTable(id="drafts", cursor_type="row")
        self._search = Input(placeholder="/ search progress notes (psychotherapy notes are never searched)",
                             id="search")
        self._results = DataTable(id="results", cursor_type="row")

    def compose(self) -> ComposeResult:
        session = self.session
        yield Header()
        notice = "" if session.can_write else "  This account cannot write notes."
        if session.user.role.value == "admin":
            notice = "  Admin accounts have no access to clinical records."
        store = self.nav.store
        warnings = []
        if getattr(store, "problem", None):
            warnings.append(f"READ-ONLY: {store.problem}")
        elif getattr(store, "readonly", False):
            warnings.append("READ-ONLY database: nothing can be saved.")
        if getattr(store, "encrypted", True) is False:
            warnings.append("Database not encrypted.")
        if session.passwordless:
            warnings.append("Demo account (no password).")
        yield Static(f"{session.label}, {session.today:%A %Y-%m-%d}.{notice}", id="home-banner",
                     markup=False)
        if warnings:
            yield Static(" ".join(warnings), id="home-warning", markup=False)
        with Horizontal(id="home-top"):
            with Vertical(id="clients-box", classes="box"):
                yield Label("Clients", classes="box-title")
                yield self._clients
            with Vertical(id="side-box"):
                with Vertical(classes="box"):
                    yield Label("Today's sessions", classes="box-title")
                    yield self._today
                with Vertical(classes="box"):
                    yield Label("Open drafts", classes="box-title")
                    yield self._drafts
        yield self._search
        yield self._results
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._clients.add_columns("Client", "Notes", "Plan review")
        self._today.add_columns("Client", "Time", "Status")
        self._drafts.add_columns("Client", "Session", "Format")
        self._results.add_columns("Date", "Client", "Status", "Match")
        self._results.display = False
        self.refresh_tables()
        self._clients.focus()

    def on_screen_resume(self) -> None:
        self.refresh_tables()

    def refresh_tables(self) -> None:
        session, store = self.session, self.nav.store
        names = {c.id: c.name for c in store.clients()}
        self._clients.clear()
        for client in session.visible_clients():
            plan = store.active_plan(client.id, on=session.today)
            review = str(plan.review_due) if plan else "no plan"
            if plan and plan.review_due < session.today:
                review += " (overdue)"
            self._clients.add_row(client.name, str(len(store.notes_for_client(client.id))), review,
                                  key=client.id)
        self._today.clear()
        for note in session.todays_notes():
            time = f"{note.start_time:%H:%M}" if note.start_time else "-"
            self._today.add_row(names.get(note.client_id, "?"), time, note.status.value, key=note.id)
        self._drafts.clear()
        for note in session.open_drafts():
            self._drafts.add_row(names.get(note.client_id, "?"), str(note.date_of_service),
                                 note.format.upper(), key=note.id)
        if self._search.value:
            self._run_search(self._search.value)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Reviews for supervisors; the trainee report for supervisors and trainees."""
        role = self.session.user.role
        if action == "review_queue":
            return role == Role.supervisor
        if action == "trainee_report":
            return role == Role.trainee or (role == Role.supervisor and bool(self.supervisees()))
        return True

    def supervisees(self) -> list[User]:
        """The signed-in supervisor's trainees, by user name."""
        me = self.session.user.id
        return sorted((u for u in self.nav.store.users() if u.supervisor_id == me and u.active),
                      key=lambda u: u.username)

    # which client / note is meant -------------------------------------------------------------
    def _row_key(self, table: DataTable) -> str | None:
        if table.row_count == 0:
            return None
        try:
            return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        except Exception:  # noqa: BLE001 - empty or stale cursor
            return None

    def selected_client_id(self) -> str | None:
        focused = self.focused
        if isinstance(focused, DataTable) and focused is not self._clients:
            note_id = self._row_key(focused)
            if note_id:
                return self.nav.store.note(note_id).client_id
        return self._row_key(self._clients)

    # actions ----------------------------------------------------------------------------------
    def action_new_note(self, client_id: str | None = None) -> None:
        from .new_note import NewNoteScreen

        if not self.session.can_write:
            self.report("This account cannot write notes.", severity="warning")
            return
        self.app.push_screen(NewNoteScreen(client_id or self.selected_client_id()))

    def action_history(self, client_id: str | None = None) -> None:
        from .history import HistoryScreen

        client_id = client_id or self.selected_client_id()
        if client_id:
            self.app.push_screen(HistoryScreen(client_id))

    def action_plan(self, client_id: str | None = None) -> None:
        from .plan import PlanScreen

        client_id = client_id or self.selected_client_id()
        if client_id:
            self.app.push_screen(PlanScreen(client_id))

    def action_review_queue(self) -> None:
        from .review_queue import ReviewQueueScreen

        if self.session.user.role == Role.supervisor:
            self.app.push_screen(ReviewQueueScreen())

    def action_trainee_report(self, username: str | None = None) -> None:
        """A trainee sees their own report; a supervisor the named (else first) supervisee's."""
        from .trainee_report import TraineeReportScreen

        user = self.session.user
        if user.role == Role.trainee:
            username = user.username
        elif user.role == Role.supervisor:
            names = [u.username for u in self.supervisees()]
            if username not in names:
                username = names[0] if names else None
        else:
            username = None
        if username is None:
            self.report("No trainee report for this account.", severity="warning")
            return
        self.app.push_screen(TraineeReportScreen(username))

    def action_search(self) -> None:
        self._search.focus()

    def action_leave_search(self) -> None:
        self._clients.focus()

    def action_refresh(self) -> None:
        self.refresh_tables()

    def open_note(self, note: Note) -> None:
        from .editor import EditorScreen
        from .history import HistoryScreen

        if note.status in EDITABLE and note.author_id == self.session.user.id:
            self.app.push_screen(EditorScreen(note.id))
        else:
            self.app.push_screen(HistoryScreen(note.client_id, note_id=note.id))

    # events -----------------------------------------------------------------------------------
    @on(DataTable.RowSelected)
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        key = str(event.row_key.value)
        if event.data_table is self._clients:
            self.action_history(key)
        else:
            self.open_note(self.nav.store.note(key))

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self._run_search(event.value)

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        if self._results.row_count:
            self._results.focus()

    def _run_search(self, term: str) -> None:
        term = term.strip()
        self._results.clear()
        self._results.display = bool(term)
        if len(term) < 2:
            return
        names = {c.id: c.name for c in self.session.visible_clients()}
        for note in self.session.search(term)[:50]:
            at = note.text.lower().find(term.lower())
            snippet = note.text[max(0, at - 20): at + len(term) + 30].replace("\n", " ")
            self._results.add_row(str(note.date_of_service), names.get(note.client_id, "?"),
                                  note.status.value, snippet, key=note.id)

    def extra_commands(self) -> Iterator[Command]:
        if self.session.user.role == Role.supervisor:
            for trainee in self.supervisees():
                yield (f"Trainee report: {trainee.display_name}",
                       "Findings per note, revision rounds, days to co-signature",
                       run_later(self, f"trainee_report('{trainee.username}')"))
        for client in self.session.visible_clients():
            yield (f"History: {client.name}", "Past notes, addenda, comparisons",
                   run_later(self, f"history('{client.id}')"))
            yield (f"Plan: {client.name}", "Treatment plan and SMART checks",
                   run_later(self, f"plan('{client.id}')"))
            if self.session.can_write:
                yield (f"New note: {client.name}", "Start a session note",
                       run_later(self, f"new_note('{client.id}')"))
