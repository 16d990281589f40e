"""History: the client's progress notes (read-only once signed) with their addenda and
dismissed findings; an addendum dialog for signed notes; a side-by-side comparison with the
earlier note when cloning is flagged."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static

from ...models import Note, NoteStatus
from ...services import ServiceError
from ...services.findings import check_session_note, history_for
from ..dialogs.addendum import AddendumDialog
from ..messages import NoteChecked
from ..session import EDITABLE
from ..widgets.note_view import NoteView, render_note
from .base import AppScreen

FINAL = (NoteStatus.signed, NoteStatus.cosigned)


class HistoryScreen(AppScreen):
    """Past notes of one client."""

    BINDINGS = [
        Binding("a", "addendum", "Addendum"),
        Binding("c", "compare", "Compare"),
        Binding("e", "edit", "Edit draft"),
        Binding("t", "plan", "Plan"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, client_id: str, *, note_id: str | None = None) -> None:
        super().__init__()
        self.client_id = client_id
        """Whose notes."""
        self.note_id = note_id
        """The note to select first."""
        self.notes: list[Note] = []
        """The client's notes, newest first."""
        self.clone_of: dict[str, str] = {}
        """note id -> id of the earlier note it was flagged as cloned from."""
        self._table = DataTable(id="history-table", cursor_type="row")
        self._view = NoteView(id="note-view")
        self._clone = Static("", id="clone-info", markup=False)

    def compose(self) -> ComposeResult:
        client = self.session.store.client(self.client_id)
        yield Header()
        yield Static(f"History: {client.name}", id="history-title", markup=False)
        with Horizontal(id="history-body"):
            yield self._table
            with VerticalScroll(id="note-scroll"):
                yield self._clone
                yield self._view
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._table.add_columns("Date", "Fmt", "Status")
        self.reload()
        self._table.focus()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        store = self.session.store
        self.notes = store.notes_for_client(self.client_id)
        selected = self.note_id or (self.notes[0].id if self.notes else None)
        self._table.clear()
        for note in self.notes:
            self._table.add_row(str(note.date_of_service), note.format.upper(),
                                note.status.value.replace("_", " "), key=note.id)
        if selected and any(n.id == selected for n in self.notes):
            self._table.move_cursor(row=self._table.get_row_index(selected))
            self._show(selected)
        elif not self.notes:
            self._view.show("No notes for this client yet.")

    @property
    def current(self) -> Note | None:
        return next((n for n in self.notes if n.id == self.note_id), None)

    @on(DataTable.RowHighlighted, "#history-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and event.row_key.value != self.note_id:
            self._show(str(event.row_key.value))

    def _show(self, note_id: str) -> None:
        store, session = self.session.store, self.session
        self.note_id = note_id
        note = store.note(note_id)
        signer = store.user(note.signer_id) if note.signer_id else None
        addenda = [(a, store.user(a.author_id)) for a in store.addenda(note.id)]
        dismissals = [(d, store.user(d.user_id)) for d in session.findings.dismissals(note.id)]
        verified = session.notes.verify(note.id) if note.status in FINAL else None
        client = store.client(note.client_id)
        self._view.show(render_note(note, client, signer=signer, addenda=addenda,
                                    dismissals=dismissals, verified=verified))
        self._clone.update(self._clone_text(note))
        if note.id not in self.clone_of:
            self._check(note, client, store.user(note.author_id),
                        store.active_plan(note.client_id, on=note.date_of_service),
                        [n for n in history_for(store, note) if n.date_of_service <= note.date_of_service])

    def _clone_text(self, note: Note) -> str:
        earlier = self.clone_of.get(note.id)
        if earlier:
            other = next((n for n in self.notes if n.id == earlier), None)
            when = other.date_of_service if other else "an earlier"
            return f"Cloning flagged: much of this note repeats the {when} note. c: compare side by side."
        return "c: compare with the previous note."

    @work(thread=True, exclusive=True, exit_on_error=False, group="history")
    def _check(self, note: Note, client, author, plan, history) -> None:  # noqa: ANN001
        result = check_session_note(note, client=client, author=author, plan=plan,
                                    history=history, today=note.date_of_service)
        self.post_message(NoteChecked(note.id, result.findings, result.extras))

    def on_note_checked(self, message: NoteChecked) -> None:
        for finding in message.findings:
            other = finding.data.get("note_id")
            if finding.category == "cloned-note" and isinstance(other, str):
                self.clone_of[message.note_id] = other
                break
        note = self.current
        if note is not None and note.id == message.note_id:
            self._clone.update(self._clone_text(note))

    # actions -------------------------------------------------------------------------------------
    def action_back(self) -> None:
        self.app.pop_screen()

    def action_plan(self) -> None:
        from .plan import PlanScreen

        self.app.push_screen(PlanScreen(self.client_id))

    def action_edit(self) -> None:
        from .editor import EditorScreen

        note = self.current
        if note is None or note.status not in EDITABLE or note.author_id != self.session.user.id:
            self.report("Only your own unsigned drafts can be edited; signed notes take addenda.",
                        severity="warning")
            return
        self.app.push_screen(EditorScreen(note.id))

    def action_compare(self) -> None:
        from .diff import DiffScreen

        note = self.current
        if note is None:
            return
        earlier_id = self.clone_of.get(note.id)
        earlier = next((n for n in self.notes if n.id == earlier_id), None) if earlier_id else None
        if earlier is None and earlier_id:
            earlier = self.session.store.note(earlier_id)
        if earlier is None:
            older = [n for n in self.notes if n.id != note.id and n.date_of_service <= note.date_of_service
                     and self.notes.index(n) > self.notes.index(note)]
            earlier = older[0] if older else None
        if earlier is None:
            self.report("There is no earlier note to compare with.")
            return
        self.app.push_screen(DiffScreen(earlier, note))

    def action_addendum(self) -> None:
        note = self.current
        if note is None or note.status not in FINAL:
            self.report("Addenda are for signed notes; edit a draft directly.", severity="warning")
            return

        def written(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            reason, text = result
            try:
                self.session.notes.add_addendum(note.id, reason, text)
            except ServiceError as exc:
                self.report(str(exc), severity="error")
                return
            self.report("Addendum saved.")
            self._show(note.id)

        self.app.push_screen(AddendumDialog(f"the {note.date_of_service} note"), written)
