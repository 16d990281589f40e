"""The note-assistant Textual app (home screen: clients and their notes)."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from ..storage import Store


class NoteAssistantApp(App[None]):
    """Clients, their plans and notes. The guided editor arrives with the Textual app issue."""

    TITLE = "note-assistant"
    BINDINGS = [Binding("q", "quit", "Quit")]
    CSS = """
    #banner { padding: 0 1; color: $text-muted; }
    DataTable { height: 1fr; }
    """

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path
        self.store = Store(db_path)

    def compose(self) -> ComposeResult:
        yield Header()
        users = self.store.users()
        names = ", ".join(f"{u.username} ({u.role.value})" for u in users) or "none yet"
        yield Static(f"Database: {self.db_path}  |  accounts: {names}", id="banner")
        yield DataTable(id="clients", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#clients", DataTable)
        table.add_columns("Client", "Date of birth", "Notes", "Plan review due")
        for client in self.store.clients():
            plan = self.store.active_plan(client.id)
            table.add_row(
                client.name, str(client.date_of_birth or ""),
                str(len(self.store.notes_for_client(client.id))),
                str(plan.review_due) if plan else "no plan",
            )

    def on_unmount(self) -> None:
        self.store.close()
