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


# opened from home, submit from the editor, the whole loop ----------------------------------
def _sams_draft(path, text=None):
    from note_assistant.storage import Store

    from .support import GOOD, draft

    store = Store(path)
    try:
        return draft(store, "u-sam", text or GOOD, days_ago=1).id
    finally:
        store.close()


def _status(path, note_id):
    from note_assistant.storage import Store

    store = Store(path)
    try:
        return store.note(note_id).status
    finally:
        store.close()


async def _sign_in(pilot, username):
    await pilot.pause()
    await pilot.press(*username, "enter")
    await pilot.pause()


async def _open_editor(app, pilot, note_id):
    from note_assistant.tui.screens.editor import EditorScreen

    screen = EditorScreen(note_id)
    app.push_screen(screen)
    await _wait(pilot, lambda: screen.checks_done >= 1)
    await pilot.pause()
    return screen


async def _submit(pilot, editor):
    from note_assistant.tui.screens.submit_review import SubmitScreen

    await pilot.press("ctrl+r")
    await _wait(pilot, lambda: isinstance(pilot.app.screen, SubmitScreen)
                and pilot.app.screen.checked)
    await pilot.press("s")
    await pilot.pause()
    await pilot.press("y")
    await _wait(pilot, lambda: pilot.app.screen is editor and editor.editor.read_only)


async def _queue_from_home(pilot, note_id):
    from note_assistant.tui.screens.review_queue import ReviewQueueScreen

    await pilot.press("r")
    await _wait(pilot, lambda: isinstance(pilot.app.screen, ReviewQueueScreen)
                and any(i.note.id == note_id for i in pilot.app.screen.items))
    screen = pilot.app.screen
    row = next(n for n, i in enumerate(screen.items) if i.note.id == note_id)
    screen.query_one("#queue").move_cursor(row=row)
    await pilot.pause()
    return screen


async def test_supervisor_opens_the_queue_from_home_with_r(app_factory):
    from note_assistant.tui.screens.review_queue import ReviewQueueScreen

    _, make = app_factory
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await _sign_in(pilot, "morgan")
        await pilot.press("r")
        await _wait(pilot, lambda: isinstance(app.screen, ReviewQueueScreen)
                    and len(app.screen.items) == 2)


async def test_clinician_has_no_queue_key_and_trainee_opens_own_report(app_factory):
    from note_assistant.tui.screens.home import HomeScreen
    from note_assistant.tui.screens.trainee_report import TraineeReportScreen

    _, make = app_factory
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await _sign_in(pilot, "dana")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await _sign_in(pilot, "sam")
        await pilot.press("e")
        await _wait(pilot, lambda: isinstance(app.screen, TraineeReportScreen)
                    and app.screen.result is not None)
        assert app.screen.trainee == "sam"


async def test_supervisor_opens_supervisee_report_from_home(app_factory):
    from note_assistant.tui.screens.trainee_report import TraineeReportScreen

    _, make = app_factory
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await _sign_in(pilot, "morgan")
        await pilot.press("e")
        await _wait(pilot, lambda: isinstance(app.screen, TraineeReportScreen)
                    and app.screen.result is not None)
        assert app.screen.trainee == "sam"


async def test_trainee_ctrl_r_submits_and_the_editor_is_read_only(app_factory):
    path, make = app_factory
    note_id = _sams_draft(path)
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await _sign_in(pilot, "sam")
        editor = await _open_editor(app, pilot, note_id)
        await _submit(pilot, editor)
        before = editor.editor.text
        await pilot.press("x", "y", "z")
        await pilot.pause()
        assert editor.editor.text == before
    assert _status(path, note_id) == NoteStatus.pending_review


async def test_the_whole_review_loop_in_the_tui(app_factory):
    from textual.widgets import Input

    from .support import GOOD

    path, make = app_factory
    note_id = _sams_draft(path)
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:  # trainee submits
        await _sign_in(pilot, "sam")
        await _submit(pilot, await _open_editor(app, pilot, note_id))
    assert _status(path, note_id) == NoteStatus.pending_review

    app = make()
    async with app.run_test(size=(120, 40)) as pilot:  # supervisor comments and returns
        await _sign_in(pilot, "morgan")
        queue = await _queue_from_home(pilot, note_id)
        await pilot.press("m")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#quote", Input).value = "PCL-5 = 41."
        comment = dialog.query_one("#comment", Input)
        comment.value = "Say what the score means."
        comment.focus()
        await pilot.press("enter")
        await _wait(pilot, lambda: app.screen is queue and any(
            i.note.id == note_id and i.round.comments for i in queue.items))
        await pilot.press("x")
        await pilot.pause()
        await pilot.press(*"more", "enter")
        await _wait(pilot, lambda: all(i.note.id != note_id for i in queue.items))
    assert _status(path, note_id) == NoteStatus.revision_requested

    app = make()
    async with app.run_test(size=(120, 40)) as pilot:  # trainee sees it, revises, resubmits
        await _sign_in(pilot, "sam")
        editor = await _open_editor(app, pilot, note_id)
        assert "PCL-5 = 41." in editor.revision_comments
        assert "Say what the score means." in editor.revision_comments
        assert editor.comments.display
        editor.editor.focus()
        editor.editor.move_cursor(editor.editor.document.end)
        await pilot.press("space", *"Ok")
        await pilot.pause()
        assert editor.editor.text != GOOD
        await _submit(pilot, editor)
    assert _status(path, note_id) == NoteStatus.pending_review

    app = make()
    async with app.run_test(size=(120, 40)) as pilot:  # supervisor co-signs
        await _sign_in(pilot, "morgan")
        queue = await _queue_from_home(pilot, note_id)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("y")
        await _wait(pilot, lambda: all(i.note.id != note_id for i in queue.items))
    assert _status(path, note_id) == NoteStatus.cosigned
