"""Home: clients, today's sessions, open drafts, search (progress notes only), palette."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from note_assistant.services import NoteService
from note_assistant.tui.screens.history import HistoryScreen
from note_assistant.tui.screens.home import HomeScreen
from note_assistant.tui.screens.new_note import NewNoteScreen
from note_assistant.tui.screens.plan import PlanScreen

from .conftest import TODAY, open_store, sign_in

pytestmark = pytest.mark.anyio
MARKER = "ZEBRAFISH-PRIVATE"


def _rows(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


@pytest.fixture
def with_today(demo_db):
    """A draft for Jordan today and a psychotherapy note carrying a marker."""
    store = open_store(demo_db)
    dana = store.user("u-dana")
    service = NoteService(store, dana)
    note = service.create_draft("cl-jordan", "birp", "Behavior:\nArrived on time.\n", TODAY)
    service.save_psychotherapy_note("cl-avery", f"{MARKER} dream content", session_note_id=None)
    store.close()
    return note.id


async def test_home_lists_clients_today_and_drafts(make_app, with_today):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert [r[0] for r in _rows(home.query_one("#clients", DataTable))] == ["Avery Quinn", "Jordan Ellis"]
        assert _rows(home.query_one("#today", DataTable))[0][0] == "Jordan Ellis"
        assert _rows(home.query_one("#drafts", DataTable)) == [["Jordan Ellis", str(TODAY), "BIRP"]]
        # Riley is Sam's client: not Dana's to see
        assert "Riley Brooks" not in str(_rows(home.query_one("#clients", DataTable)))


async def test_search_finds_progress_notes_never_psychotherapy_notes(make_app, with_today):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        await pilot.press("slash", *"walks")
        await pilot.pause()
        results = app.screen.query_one("#results", DataTable)
        assert results.row_count == 1 and "walks" in _rows(results)[0][3]
        await pilot.press(*(["backspace"] * 5), *MARKER[:8])
        await pilot.pause()
        assert results.row_count == 0
        await pilot.press("escape")  # back to the clients table
        assert app.focused.id == "clients"


async def test_keys_open_new_note_history_and_plan(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        for key, screen_type in (("n", NewNoteScreen), ("h", HistoryScreen), ("t", PlanScreen)):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, screen_type), key
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)


async def test_every_action_is_in_the_command_palette(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        for binding in HomeScreen.BINDINGS:
            if binding.action in ("review_queue", "trainee_report"):  # supervision roles only
                assert binding.description not in titles
            elif binding.show:
                assert binding.description in titles
        assert {"History: Avery Quinn", "Plan: Jordan Ellis", "New note: Avery Quinn",
                "Lock now", "Sign out"} <= titles
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Plan: Jordan Ellis")
        await command.callback()
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen) and app.screen.client_id == "cl-jordan"


async def test_admin_sees_no_clinical_records(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "admin")
        assert app.screen.query_one("#clients", DataTable).row_count == 0
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)  # refused: admins cannot write notes


async def test_read_only_database_refuses_writes_without_crashing(demo_db, clock):
    from textual.widgets import Static

    from note_assistant.storage import Store
    from note_assistant.tui import create_app

    from .conftest import fast_settings

    store = Store(demo_db, readonly=True)
    app = create_app(demo_db, clock=clock, settings=fast_settings(), store=store)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        assert "READ-ONLY" in str(app.screen.query_one("#home-warning", Static).content)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NewNoteScreen)  # still here, with the refusal shown
        assert any(n.message.startswith("Not created") for n in app._notifications)
