"""Pilot tests of the supervision screens (review queue, trainee report)."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from note_assistant.models import NoteStatus

from .support import TODAY

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def app_factory(tmp_path):
    from note_assistant.demo import create_demo
    from note_assistant.storage import Store
    from note_assistant.tui import create_app
    from note_assistant.tui.settings import TuiSettings

    path = tmp_path / "demo.db"
    store = Store(path)
    create_demo(store, today=TODAY, supervision=True)
    store.close()
    settings = TuiSettings(cursor_blink=False, idle_timeout=0, check_delay=0.05,
                           autosave_pause=0.3, autosave_max_wait=0.5, autosave_tick=0.1)
    return path, lambda: create_app(path, clock=lambda: dt.datetime(2026, 11, 26, 11, 0),
                                    settings=settings)


async def _wait(pilot, predicate, timeout=15.0):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, "timed out waiting for the app"
        await pilot.pause(0.05)


async def test_supervisor_cosigns_from_the_queue(app_factory):
    from note_assistant.storage import Store
    from note_assistant.tui.screens.review_queue import ReviewQueueScreen

    path, make = app_factory
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press(*"morgan", "enter")
        await pilot.pause()
        screen = ReviewQueueScreen()
        app.push_screen(screen)
        await _wait(pilot, lambda: len(screen.items) == 2)
        first = screen.items[0].note.id
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("y")
        await _wait(pilot, lambda: len(screen.items) == 1)
    store = Store(path)
    try:
        assert store.note(first).status == NoteStatus.cosigned
    finally:
        store.close()


async def test_trainee_report_screen_shows_a_chart(app_factory):
    from textual.widgets import Sparkline

    from note_assistant.tui.screens.trainee_report import TraineeReportScreen

    _, make = app_factory
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press(*"morgan", "enter")
        await pilot.pause()
        screen = TraineeReportScreen("sam")
        app.push_screen(screen)
        await _wait(pilot, lambda: screen.result is not None)
        await pilot.pause()
        assert len(screen.query_one(Sparkline).data) == 3
        assert screen.query_one("#trainee-table").row_count == 3
