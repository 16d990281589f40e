"""New note: client, session details (diagnosis offered from the plan), format."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Input, Select, SelectionList, Static

from note_assistant.tui.screens.editor import EditorScreen
from note_assistant.tui.screens.new_note import NewNoteScreen, cpt_for, template

from .conftest import TODAY, open_store, sign_in, wait_for

pytestmark = pytest.mark.anyio


def test_template_is_a_parseable_note():
    from note_formats import builtin_formats, parse_note

    for fmt in builtin_formats().values():
        parsed = parse_note(template(fmt), format=fmt.key)
        assert [s.key for s in parsed.sections] == [s.key for s in fmt.sections]


def test_cpt_follows_minutes():
    assert [cpt_for(m) for m in (10, 16, 37, 38, 52, 53)] == [None, "90832", "90832", "90834", "90834", "90837"]


async def _open_new_note(app, pilot) -> NewNoteScreen:  # noqa: ANN001 - Textual app and pilot
    await sign_in(pilot)
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(app.screen, NewNoteScreen)
    return app.screen


async def test_new_note_defaults_validation_and_creation(make_app, demo_db):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_new_note(app, pilot)
        assert screen.query_one("#client", Select).value == "cl-avery"
        assert screen.query_one("#date", Input).value == str(TODAY)
        assert screen.query_one("#diagnosis", SelectionList).selected == ["F33.1"]
        # a 60-minute session suggests 90837
        screen.query_one("#start", Input).value = "09:50"
        await pilot.pause()
        assert screen.query_one("#cpt", Select).value == "90837"
        screen.query_one("#date", Input).value = "26/11/2026"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "YYYY-MM-DD" in str(screen.query_one("#new-note-error", Static).content)
        screen.query_one("#date", Input).value = str(TODAY)
        screen.query_one("#end", Input).value = "09:00"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "stop after it starts" in str(screen.query_one("#new-note-error", Static).content)
        screen.query_one("#end", Input).value = "10:50"
        screen.query_one("#client", Select).value = "cl-jordan"
        screen.query_one("#format", Select).value = "girp"
        await pilot.pause()
        assert screen.query_one("#diagnosis", SelectionList).selected == ["F41.0"]
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        note_id = app.screen.note_id
    store = open_store(demo_db)
    note = store.note(note_id)
    assert (note.client_id, note.format, note.cpt, note.modality, note.diagnosis) == (
        "cl-jordan", "girp", "90837", "individual", ["F41.0"])
    assert (note.start_time, note.end_time, note.date_of_service) == (dt.time(9, 50), dt.time(10, 50), TODAY)
    assert note.text.startswith("Goal:\n\nIntervention:\n")
    store.close()


async def test_just_after_midnight_the_defaults_are_a_valid_session(make_app, demo_db, clock):
    """A session can't cross midnight; at 00:24 the form offers the one that ran until
    midnight on the day before, and saving it works without edits."""
    clock.now = dt.datetime.combine(TODAY + dt.timedelta(days=1), dt.time(0, 24))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_new_note(app, pilot)
        values = [screen.query_one(f"#{k}", Input).value for k in ("date", "start", "end")]
        assert values == [str(TODAY), "23:30", "23:59"]
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        note_id = app.screen.note_id
    store = open_store(demo_db)
    note = store.note(note_id)
    assert (note.date_of_service, note.start_time, note.end_time) == (TODAY, dt.time(23, 30), dt.time(23, 59))
    store.close()
