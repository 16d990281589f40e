"""Idle lock (RELIABILITY.md 12): save, hide note text, require signing in again."""

from __future__ import annotations

import pytest

from note_assistant.tui.screens.editor import EditorScreen
from note_assistant.tui.screens.lock import LockScreen

from .conftest import new_note, open_store, sign_in

pytestmark = pytest.mark.anyio
SECRET = "Zanzibar"


async def test_idle_lock_saves_hides_and_needs_the_same_user(make_app, clock, demo_db):
    app = make_app(idle_timeout=60, idle_tick=3600)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        screen = await new_note(pilot)
        await pilot.press(*SECRET)
        clock.advance(30)
        app.check_idle_lock()
        assert not app.locked
        await pilot.press("space")  # activity resets the idle time
        clock.advance(59)
        app.check_idle_lock()
        assert not app.locked
        clock.advance(2)
        app.check_idle_lock()
        await pilot.pause()
        assert app.locked and isinstance(app.screen, LockScreen)
        assert SECRET not in app.export_screenshot()
        store = open_store(demo_db)
        assert SECRET in store.note(screen.note_id).text  # saved before locking
        store.close()
        await pilot.press(*"sam", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        await pilot.press(*"dana", "enter")
        await pilot.pause()
        assert not app.locked and isinstance(app.screen, EditorScreen)
        assert SECRET in app.export_screenshot()


async def test_lock_from_the_palette_command(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Lock now")
        command.callback()
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)


async def test_no_command_palette_while_locked(make_app):
    from textual.command import CommandPalette

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        app.lock()
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert not isinstance(app.screen, CommandPalette)
