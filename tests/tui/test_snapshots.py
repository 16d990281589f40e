"""One snapshot per screen (pytest-textual-snapshot), on a fixed date and clock.

Regenerate after an intended change with
``.venv/bin/python -m pytest tests/tui/test_snapshots.py --snapshot-update`` and look at the
SVGs under ``tests/tui/__snapshots__`` before committing them.
"""

from __future__ import annotations

import pytest

from note_assistant.models import Finding
from note_assistant.services import NoteService
from note_assistant.tui.messages import ChecksCompleted
from note_assistant.tui.screens.diff import DiffScreen
from note_assistant.tui.screens.editor import EditorScreen
from note_assistant.tui.screens.history import HistoryScreen
from note_assistant.tui.screens.plan import PlanScreen
from note_assistant.tui.screens.review import ReviewScreen

from .conftest import GOOD_SOAP, PROCESS_SENTENCE, TODAY, new_note, open_store, paste, sign_in, wait_checks, wait_for


@pytest.fixture
def utc_zone(monkeypatch):
    """Times shown in local time are shown in UTC here, whatever the machine's zone."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


WRITING = GOOD_SOAP.replace("with a friend.", "with a friend. " + PROCESS_SENTENCE).replace(
    "Continue weekly CBT with cognitive restructuring; homework: schedule three pleasant "
    "activities. Next session in one week.\n", "")


async def _editor(pilot, text: str = WRITING) -> EditorScreen:
    await sign_in(pilot)
    screen = await new_note(pilot)
    screen.editor.select_all()
    done = screen.checks_done
    await paste(pilot, text)
    await wait_checks(pilot, screen, after=done)
    screen.autosave_now()  # the status line then reads "autosaved 11:00:00" whatever the timing
    await pilot.pause()
    return screen


class TestSignInAndHome:
    def test_sign_in(self, snap_compare, make_app):
        """You should see the sign-in box saying the demo database has no passwords, a username
        field and the four demo accounts with their roles."""
        assert snap_compare(make_app(), terminal_size=(80, 24))

    def test_home(self, snap_compare, make_app):
        """You should see Dana's clients (Avery Quinn, Jordan Ellis with an overdue plan review),
        empty today/drafts boxes, the search field and the footer keys n/h/t and /."""
        assert snap_compare(make_app(), terminal_size=(80, 24), run_before=sign_in)

    def test_new_note(self, snap_compare, make_app):
        """You should see the new-note form: Avery Quinn, 2026-11-26, 10:10 to 11:00, 90834,
        individual, SOAP, and F33.1 ticked from the plan."""

        async def run(pilot):
            await sign_in(pilot)
            await pilot.press("n")
            await pilot.pause()

        assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run)


class TestEditor:
    def test_editor_with_findings(self, snap_compare, make_app):
        """You should see the SOAP note with the countertransference sentence highlighted, the
        guide for the section under the cursor, the findings list (an empty Plan section error
        first) and the plan objectives with o1 ticked."""
        assert snap_compare(make_app(), terminal_size=(100, 30), run_before=_editor)

    def test_editor_80x24(self, snap_compare, make_app):
        """You should see the same editor at 80x24: the note on the left, the side panel on the
        right, and every editor key in the footer."""
        assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_editor)

    def test_editor_light_theme(self, snap_compare, make_app):
        """You should see the editor in the light theme, highlights still readable (pale
        backgrounds, dark text)."""

        async def run(pilot):
            pilot.app.theme = "textual-light"
            await _editor(pilot)

        assert snap_compare(make_app(), terminal_size=(100, 30), run_before=run)

    def test_editor_tiny(self, snap_compare, make_app):
        """You should see a 20x5 sliver of the editor (header, session line, a line of text and
        the footer): nothing crashes."""

        async def run(pilot):
            await _editor(pilot)
            await pilot.resize_terminal(20, 5)
            await pilot.pause()

        assert snap_compare(make_app(), terminal_size=(20, 5), run_before=run)

    def test_fix_dialog(self, snap_compare, make_app):
        """You should see the fix dialog for the countertransference finding: rule, cue, the
        sentence, the source (45 CFR 164.501) and the keys m (move), j (go to), d (dismiss)."""

        async def run(pilot):
            screen = await _editor(pilot)
            mark = next((m for m in screen.editor.marks if m.finding.category == "process-content"), None)
            if mark is None:  # before the process-content family: a constructed finding
                start = screen.editor.text.index(PROCESS_SENTENCE)
                screen.post_message(ChecksCompleted(screen.editor.generation, [Finding(
                    rule_id="PC-COUNTERTRANSFERENCE", category="process-content", severity="warning",
                    start=start, end=start + len(PROCESS_SENTENCE), text=PROCESS_SENTENCE,
                    message="The clinician's own reaction belongs in the psychotherapy note.",
                    cue="irritated", source="45 CFR 164.501")], {}))
                await wait_checks(pilot, screen)
                mark = screen.editor.marks[0]
            screen.open_fix(mark)
            await pilot.pause()

        assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run)


class TestOtherScreens:
    def test_psychotherapy_note(self, snap_compare, make_app):
        """You should see the private psychotherapy-note editor: a red banner saying it is kept
        apart (45 CFR 164.501), the session line, and the heavy red editor border."""

        async def run(pilot):
            await sign_in(pilot)
            await new_note(pilot)
            await pilot.press("ctrl+t")
            await pilot.pause()
            await paste(pilot, PROCESS_SENTENCE)

        assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run)

    def test_review(self, snap_compare, make_app):
        """You should see the review of a note with an empty Plan: one error that blocks signing
        under 'Errors: fix or dismiss before signing', and the keys s, d, esc."""

        async def run(pilot):
            screen = await _editor(pilot, GOOD_SOAP[: GOOD_SOAP.index("Plan:")] + "Plan:\n")
            await pilot.press("ctrl+r")
            await wait_for(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen))
            review = pilot.app.screen
            await wait_for(pilot, lambda: bool(review.open))
            assert screen

        assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run)

    def test_history(self, snap_compare, make_app):
        """You should see Avery's two signed notes on the left and the newest one on the right with
        its session line, text, signature (Dana Reyes, LCSW) and 'hash verified'."""

        async def run(pilot):
            await sign_in(pilot)
            pilot.app.push_screen(HistoryScreen("cl-avery"))
            await pilot.pause()

        assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run)

    def test_diff(self, snap_compare, make_app):
        """You should see Avery's two notes side by side; the repeated passages are highlighted."""

        async def run(pilot):
            await sign_in(pilot)
            store = pilot.app.store
            newer, older = store.notes_for_client("cl-avery")
            pilot.app.push_screen(DiffScreen(older, newer))
            await pilot.pause()

        assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run)

    def test_plan(self, snap_compare, make_app):
        """You should see Avery's plan as a tree (diagnosis, problem, goal, two objectives with
        interventions) and the SMART checks beside it."""

        async def run(pilot):
            await sign_in(pilot)
            pilot.app.push_screen(PlanScreen("cl-avery"))
            await pilot.pause()

        assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run)

    def test_lock(self, snap_compare, make_app):
        """You should see only the lock box ('Locked', sign in again as Dana Reyes) and no note
        text at all."""

        async def run(pilot):
            await _editor(pilot)
            pilot.app.lock()
            await pilot.pause()

        assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run)

    def test_restore_offer(self, snap_compare, make_app, demo_db, utc_zone):
        """You should see the dialog offering to restore unsaved text for Avery Quinn, with the
        keys r (restore), d (discard) and l (later)."""
        from note_assistant.services.drafts import DraftService

        store = open_store(demo_db)
        dana = store.user("u-dana")
        note = NoteService(store, dana).create_draft("cl-avery", "soap", "Subjective:\nsaved\n", TODAY)
        DraftService(store, dana).save(note.id, "Subjective:\nsaved and more\n")
        with store.write():
            store.db.execute("UPDATE drafts SET saved_at = '2099-01-01T10:30:00+00:00'")
        store.close()
        assert snap_compare(make_app(), terminal_size=(80, 24), run_before=sign_in)
