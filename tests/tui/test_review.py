"""Review and sign: error findings block signing (in the service too); signing locks."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from note_assistant.models import NoteStatus
from note_assistant.tui.dialogs.confirm import ConfirmDialog
from note_assistant.tui.screens.editor import EditorScreen
from note_assistant.tui.screens.history import HistoryScreen
from note_assistant.tui.screens.review import ReviewScreen

from .conftest import GOOD_SOAP, new_note, open_store, paste, sign_in, wait_for

pytestmark = pytest.mark.anyio
NO_PLAN = GOOD_SOAP[: GOOD_SOAP.index("Plan:")] + "Plan:\n"


async def _review(pilot, text: str) -> ReviewScreen:
    screen = await new_note(pilot)
    screen.editor.select_all()
    await paste(pilot, text)
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen))
    review = pilot.app.screen
    await wait_for(pilot, lambda: review.query_one("#review-list", OptionList).option_count > 0
                   or "Ready" in str(review._summary.content))
    return review


async def test_error_blocks_signing_until_dismissed_then_sign_locks(make_app, demo_db):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        review = await _review(pilot, NO_PLAN)
        assert [f.rule_id for f in review.open if f.severity == "error"] == ["FMT-EMPTY-SECTION"]
        note_id = review.ws.note.id
        await pilot.press("s")  # refused: an open error
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press(*"plan", "space", *"discussed", "space", *"verbally", "enter")
        await wait_for(pilot, lambda: not [f for f in review.open if f.severity == "error"])
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # not yet
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("s", "y")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        assert "Dismissed findings" in str(app.screen.query_one("#note-view").content)
    store = open_store(demo_db)
    note = store.note(note_id)
    assert note.status == NoteStatus.signed and note.signer_id == "u-dana" and note.content_hash
    assert [r["reason"] for r in store.dismissal_rows(note_id)] == ["plan discussed verbally"]
    store.close()


async def test_clean_note_signs_and_the_editor_is_gone(make_app, demo_db):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        review = await _review(pilot, GOOD_SOAP)
        assert not [f for f in review.open if f.severity == "error"]
        await pilot.press("s", "y")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        assert not any(isinstance(s, EditorScreen) for s in app.screen_stack)
        assert app.editors == []


async def test_trainee_submits_for_review_instead_of_signing(make_app, demo_db):
    from note_assistant.tui.screens.submit_review import SubmitScreen

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "sam")
        review = await _review(pilot, GOOD_SOAP.replace("o1 (PHQ-9 below 10)", "o1 (PCL-5 below 33)"))
        assert isinstance(review, SubmitScreen)
        await wait_for(pilot, lambda: review.checked)
        await pilot.press("s", "y")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        assert app.screen.editor.read_only
        note_id = review.ws.note.id
    store = open_store(demo_db)
    try:
        note = store.note(note_id)
        assert note.status == NoteStatus.pending_review
        assert note.signer_id is None
    finally:
        store.close()
