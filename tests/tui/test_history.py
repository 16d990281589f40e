"""History: read-only past notes with addenda; addendum dialog; diff when cloning is flagged."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from note_assistant.services import NoteService
from note_assistant.tui.dialogs.addendum import AddendumDialog
from note_assistant.tui.screens.diff import DiffScreen, pairs, similarity
from note_assistant.tui.screens.editor import EditorScreen
from note_assistant.tui.screens.history import HistoryScreen

from .conftest import TODAY, open_store, sign_in, wait_for

pytestmark = pytest.mark.anyio


def test_pairs_mark_repeated_passages():
    rows = pairs("Mood low. Slept 5 hours.\nPlan: weekly.", "Mood better. Slept 5 hours.\nPlan: weekly.")
    assert ("same", "Slept 5 hours.", "Slept 5 hours.") in rows
    assert ("change", "Mood low.", "Mood better.") in rows
    assert 0.5 < similarity("a b c d", "a b c e") < 1


async def _history(pilot, app, client_id: str = "cl-avery", note_id: str | None = None) -> HistoryScreen:
    await sign_in(pilot)
    app.push_screen(HistoryScreen(client_id, note_id=note_id))
    await pilot.pause()
    return app.screen


async def test_addendum_on_a_signed_note(make_app, demo_db):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        history = await _history(pilot, app)
        table = history.query_one("#history-table", DataTable)
        assert table.row_count == 2
        note_id = history.note_id
        assert "hash verified" in str(history.query_one("#note-view").content)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AddendumDialog)
        await pilot.press("ctrl+s")  # both fields are required
        await pilot.pause()
        assert isinstance(app.screen, AddendumDialog)
        await pilot.press(*"late", "space", *"entry", "tab", *"Called", "space", *"client.", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        view = str(history.query_one("#note-view").content)
        assert "Addendum" in view and "Reason: late entry" in view and "Called client." in view
    store = open_store(demo_db)
    (addendum,) = store.addenda(note_id)
    assert (addendum.reason, addendum.text, addendum.author_id) == ("late entry", "Called client.", "u-dana")
    assert addendum.original_hash == store.note(note_id).content_hash
    store.close()


async def test_drafts_take_no_addenda_and_open_in_the_editor(make_app, demo_db):
    store = open_store(demo_db)
    draft = NoteService(store, store.user("u-dana")).create_draft("cl-avery", "soap", "Subjective:\nx\n", TODAY)
    store.close()
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await _history(pilot, app, note_id=draft.id)
        await pilot.press("a")
        await pilot.pause()
        assert not isinstance(app.screen, AddendumDialog)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        assert app.screen.note_id == draft.id


async def test_cloning_flag_compares_with_the_flagged_note(make_app, demo_db):
    store = open_store(demo_db)
    earlier = [n for n in store.notes_for_client("cl-avery")][-1]  # the oldest
    copy = NoteService(store, store.user("u-dana")).create_draft(
        "cl-avery", "soap", earlier.text, TODAY)
    store.close()
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        history = await _history(pilot, app, note_id=copy.id)
        from note_assistant.checks.engine import FAMILIES

        if "note_assistant.checks.cloning" in FAMILIES:
            await wait_for(pilot, lambda: copy.id in history.clone_of)
            assert "Cloning flagged" in str(history.query_one("#clone-info").content)
        else:  # without the family, compare falls back to the previous note
            history.clone_of[copy.id] = earlier.id
        await pilot.press("c")
        await pilot.pause()
        diff = app.screen
        assert isinstance(diff, DiffScreen)
        assert diff.earlier.id == history.clone_of[copy.id]
        assert all(tag == "same" for tag, _, _ in diff.rows) if diff.earlier.id == earlier.id else diff.rows
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is history
