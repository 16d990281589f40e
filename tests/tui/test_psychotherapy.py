"""The psychotherapy note: a separate, visibly private editor; never in progress-note views."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from note_assistant.services.export import export_markdown
from note_assistant.tui.screens.editor import EditorScreen
from note_assistant.tui.screens.history import HistoryScreen
from note_assistant.tui.screens.psychotherapy import PRIVATE_BANNER, PsychotherapyScreen

from .conftest import new_note, open_store, sign_in, wait_for

pytestmark = pytest.mark.anyio
MARKER = "PRIVATE-MARKER-42"


async def test_private_note_is_saved_apart_and_never_shown_with_the_note(make_app, demo_db):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        screen = await new_note(pilot)
        await pilot.press(*"Calm", "ctrl+t")
        await pilot.pause()
        private = app.screen
        assert isinstance(private, PsychotherapyScreen)
        assert str(private.query_one("#private-banner", Static).content) == PRIVATE_BANNER
        await pilot.press(*MARKER, "escape")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert MARKER not in screen.editor.text
        note_id, client_id = screen.note_id, screen.ws.client.id
        await pilot.press("escape")  # home (saves)
        await pilot.pause()
        app.push_screen(HistoryScreen(client_id, note_id=note_id))
        await pilot.pause()
        assert MARKER not in str(app.screen.query_one("#note-view", Static).content)
    store = open_store(demo_db)
    pnote = store.psychotherapy_note_for_session(note_id)
    assert pnote is not None and pnote.text == MARKER
    assert MARKER not in store.note(note_id).text
    assert not store.search_notes(MARKER)
    assert MARKER not in export_markdown(store, store.user("u-dana"), client_id)
    store.close()


async def test_private_note_autosaves_with_the_progress_note(make_app, demo_db):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        screen = await new_note(pilot)
        await pilot.press("ctrl+t", *"dream")
        note_id = screen.note_id
        store = open_store(demo_db)
        await wait_for(pilot, lambda: any(
            '"pnote_text": "dream' in str(r["payload"]) for r in store.draft_rows("u-dana", note_id)), timeout=3)
        store.close()
