"""Never lose text (RELIABILITY.md 26): autosave, save on screen switch, restore on start,
confirm quitting with unsaved changes, save on SIGTERM/SIGHUP (handler driven directly here;
real signals in test_tmux_e2e.py)."""

from __future__ import annotations

import json
import signal
import time

import pytest

from note_assistant.services import NoteService
from note_assistant.services.drafts import DraftService
from note_assistant.tui.dialogs.choice import ChoiceDialog
from note_assistant.tui.screens.editor import EditorScreen
from note_assistant.tui.screens.home import HomeScreen

from .conftest import TODAY, new_note, open_store, sign_in, wait_for

pytestmark = pytest.mark.anyio
REAL_TIMINGS = dict(autosave_pause=1.0, autosave_max_wait=1.5, autosave_tick=0.25)


def _draft_text(db, note_id: str, store=None) -> str | None:
    own = store is None
    store = open_store(db) if own else store
    rows = store.draft_rows("u-dana", note_id)
    if own:
        store.close()
    return json.loads(rows[0]["payload"])["text"] if rows else None


async def test_autosave_within_two_seconds_of_a_pause(make_app, demo_db):
    app = make_app(**REAL_TIMINGS)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        screen = await new_note(pilot)
        reader = open_store(demo_db)
        await pilot.press(*"kept")
        paused_at = time.monotonic()
        await wait_for(pilot, lambda: "kept" in (_draft_text(demo_db, screen.note_id, reader) or ""), timeout=5)
        assert time.monotonic() - paused_at <= 2.0
        assert "kept" not in reader.note(screen.note_id).text  # the note row waits for a save
        reader.close()


async def test_continuous_typing_autosaves_at_least_every_two_seconds(make_app, monkeypatch):
    app = make_app(**REAL_TIMINGS)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        screen = await new_note(pilot)
        saves: list[float] = []
        real = screen.ws.autosave
        monkeypatch.setattr(screen.ws, "autosave", lambda *a, **k: (saves.append(time.monotonic()), real(*a, **k)))
        started = time.monotonic()
        while time.monotonic() - started < 4.5:
            await pilot.press("x")
        stops = [started] + saves
        assert len(saves) >= 2
        assert max(b - a for a, b in zip(stops, stops[1:], strict=False)) <= 2.0


async def test_screen_switch_saves_the_note(make_app, demo_db):
    app = make_app(autosave_tick=60)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        screen = await new_note(pilot)
        await pilot.press(*"abc", "ctrl+t")
        await pilot.pause()
        assert "abc" in open_store(demo_db).note(screen.note_id).text
        await pilot.press("escape", *"def", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "abcdef" in open_store(demo_db).note(screen.note_id).text


async def test_newer_draft_is_offered_on_start_and_restored(make_app, demo_db):
    store = open_store(demo_db)
    dana = store.user("u-dana")
    note = NoteService(store, dana).create_draft("cl-avery", "soap", "Subjective:\nsaved\n", TODAY)
    DraftService(store, dana).save(note.id, "Subjective:\nsaved and more\n", client_id="cl-avery",
                                   pnote_text="private bit")
    store.close()
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        assert "Avery Quinn" in app.screen.message
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        editor = app.screen
        assert editor.editor.text == "Subjective:\nsaved and more\n"
        assert editor.ws.pnote_text == "private bit"
        assert editor.has_unsaved()
        await pilot.press("ctrl+s")
        await pilot.pause()
    store = open_store(demo_db)
    assert store.note(note.id).text == "Subjective:\nsaved and more\n"
    assert store.psychotherapy_note_for_session(note.id).text == "private bit"
    assert store.draft_rows("u-dana") == []
    store.close()


async def test_quit_with_unsaved_changes_asks(make_app, demo_db):
    app = make_app(autosave_tick=60)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        screen = await new_note(pilot)
        await pilot.press(*"unsaved", "ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("c")  # cancel
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("ctrl+q", "s")
        await pilot.pause()
        note_id = screen.note_id
    assert "unsaved" in open_store(demo_db).note(note_id).text


async def test_quit_and_discard(make_app, demo_db):
    app = make_app(autosave_tick=60)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        screen = await new_note(pilot)
        screen.autosave_now()
        await pilot.press(*"tossed")
        screen.autosave_now()
        await pilot.press("ctrl+q", "d")
        await pilot.pause()
        note_id = screen.note_id
    assert "tossed" not in open_store(demo_db).note(note_id).text
    assert _draft_text(demo_db, note_id) is None


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
async def test_signal_handler_saves_then_exits(make_app, demo_db, sig):
    app = make_app(autosave_tick=60)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        screen = await new_note(pilot)
        await pilot.press("ctrl+t", *"secret", "escape", *"typed")
        app.handle_signal(sig)
        await pilot.pause()
        note_id = screen.note_id
    assert app.return_code == 128 + sig
    store = open_store(demo_db)
    assert "typed" in store.note(note_id).text
    assert store.psychotherapy_note_for_session(note_id).text == "secret"
    store.close()


async def test_sign_out_saves_the_open_editor(make_app, demo_db):
    app = make_app(autosave_tick=60)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        screen = await new_note(pilot)
        await pilot.press(*"before", "space", *"signout")
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Sign out")
        command.callback()
        await pilot.pause()
        assert app.session is None and len(app.screen_stack) == 1
        note_id = screen.note_id
    assert "before signout" in open_store(demo_db).note(note_id).text
