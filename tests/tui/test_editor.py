"""Guided writing with live checks: debounce -> thread worker -> one ChecksCompleted message."""

from __future__ import annotations

import time

import pytest

from note_assistant.tui.messages import ChecksCompleted
from note_assistant.tui.screens.editor import EditorScreen

from .conftest import PROCESS_SENTENCE, new_note, open_store, paste, sign_in, wait_checks

pytestmark = pytest.mark.anyio


async def test_findings_appear_after_a_pause_with_highlights_and_guide(make_app):
    messages = []
    app = make_app(check_delay=0.3)
    async with app.run_test(size=(100, 30), message_hook=messages.append) as pilot:
        await sign_in(pilot)
        screen = await new_note(pilot)
        assert "Subjective" in str(screen.guide.content) and "min 10" in str(screen.guide.content)
        empty_errors = [m for m in screen.editor.marks if m.finding.rule_id == "FMT-EMPTY-SECTION"]
        assert len(empty_errors) == 4
        assert screen.editor._highlights  # the empty headings are highlighted
        done = screen.checks_done
        await pilot.press(*"Client", "space", *"reported", "space", *"low", "space", *"mood.")
        started = time.perf_counter()
        await wait_checks(pilot, screen, after=done)
        assert time.perf_counter() - started < 3
        assert len([m for m in screen.editor.marks if m.finding.rule_id == "FMT-EMPTY-SECTION"]) == 3
        assert "Subjective 4 words" in str(screen.guide.content)
    completed = [m for m in messages if isinstance(m, ChecksCompleted)]
    assert completed and all(isinstance(m.generation, int) for m in completed)


async def test_keystrokes_never_wait_for_the_checks(make_app, monkeypatch):
    import note_assistant.tui.screens.editor as editor_module

    real = editor_module.check_session_note

    def slow(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        time.sleep(1.5)
        return real(*args, **kwargs)

    app = make_app(check_delay=0.01)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        screen = await new_note(pilot)
        monkeypatch.setattr(editor_module, "check_session_note", slow)
        done = screen.checks_done
        await pilot.press("a")
        await pilot.pause(0.1)  # the slow check is now running in its thread
        started = time.perf_counter()
        await pilot.press(*"bcdefgh")
        typed_in = time.perf_counter() - started
        assert "abcdefgh" in screen.editor.text
        assert screen.checks_done == done  # the typing finished before any check did
        assert typed_in < 1.5
        await wait_checks(pilot, screen, after=done)


async def test_tiny_terminal_neither_crashes_nor_loses_text(make_app, demo_db):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        screen = await new_note(pilot)
        text = "Subjective:\nאני בסדר 👩‍👩‍👧 e\u0301 中文 " + PROCESS_SENTENCE + "\nObjective:\n\nAssessment:\n\nPlan:\n\n"
        screen.editor.select_all()
        await paste(pilot, text)
        for size in ((60, 20), (20, 5), (10, 3), (20, 5), (80, 24)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert screen.editor.text == text
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert screen.has_class("-narrow")
        await pilot.press("f2")  # narrow: the panel replaces the editor
        await pilot.pause()
        assert not screen.editor.display or screen.editor.styles.display == "none"
        await pilot.press("f2")
        await pilot.press("ctrl+s")
        await pilot.pause()
        note_id = screen.note_id
    store = open_store(demo_db)
    assert store.note(note_id).text == text
    store.close()


async def test_huge_paste_is_refused_with_a_warning(make_app):
    app = make_app(max_note_chars=2000)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        screen = await new_note(pilot)
        before = screen.editor.text
        await paste(pilot, "x" * 5000)
        assert screen.editor.text == before
        assert any("Paste refused" in n.message for n in app._notifications)
        await paste(pilot, "fits")
        assert "fits" in screen.editor.text


async def test_crlf_is_normalised_when_saved(make_app, demo_db):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        screen = await new_note(pilot)
        screen.editor.select_all()
        await paste(pilot, "Subjective:\r\nline one\r\nline two\rthree\r\n")
        await pilot.press("ctrl+s")
        await pilot.pause()
        note_id = screen.note_id
    store = open_store(demo_db)
    assert store.note(note_id).text == "Subjective:\nline one\nline two\nthree\n"
    store.close()


async def test_girp_goal_section_offers_the_plan_goals(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        screen = await new_note(pilot, fmt="girp")
        assert "ctrl+g inserts a goal" in str(screen.objectives.content)
        await pilot.press("ctrl+g")
        await pilot.pause()
        await pilot.press("down", "enter")  # g1, then its first objective o1
        await pilot.pause()
        assert screen.editor.text.startswith("Goal:\nGoal g1, objective o1: PHQ-9 below 10.\n")


async def test_plan_objectives_show_alongside(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        screen = await new_note(pilot)
        shown = str(screen.objectives.content)
        assert "o1 PHQ-9 below 10" in shown and "o2 Attend 2 social activities per week" in shown
        screen.on_checks_completed(ChecksCompleted(screen.editor.generation, [], {
            "plan_alignment": {"objectives": [{"id": "o1", "addressed": True}]}}))
        assert "\u2713 o1" in str(screen.objectives.content)
        assert isinstance(app.screen, EditorScreen)


async def test_every_editor_key_is_in_the_palette_and_runs(make_app):
    from note_assistant.tui.screens.psychotherapy import PsychotherapyScreen

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        screen = await new_note(pilot)
        commands = {c.title: c for c in app.get_system_commands(screen)}
        for binding in EditorScreen.BINDINGS:
            if binding.action in ("insert_goal", "submit"):  # GIRP notes / trainees only
                assert binding.description not in commands
                continue
            assert binding.description in commands, binding.description
        await commands["Private"].callback()
        await pilot.pause()
        assert isinstance(app.screen, PsychotherapyScreen)


async def test_a_very_large_paste_stays_usable(make_app, demo_db):
    from note_assistant.tui.widgets.findings_panel import MAX_LISTED

    from .test_fixes import SOAP

    big = SOAP * 1500  # ~150,000 characters, hundreds of findings
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        screen = await new_note(pilot)
        screen.editor.select_all()
        done = screen.checks_done
        await paste(pilot, big)
        await wait_checks(pilot, screen, after=done)
        assert len(screen.panel.marks) <= MAX_LISTED
        await pilot.press("z")
        assert screen.editor.text == big + "z"
        await pilot.press("ctrl+s")
        await pilot.pause()
        note_id = screen.note_id
    store = open_store(demo_db)
    assert store.note(note_id).text == big + "z"
    store.close()


def test_session_fields_round_trip():
    import datetime as dt

    from note_assistant.models import Note
    from note_assistant.tui.details import parse_session_fields, session_fields

    note = Note(client_id="c", author_id="a", format="soap", text="", date_of_service=dt.date(2026, 11, 26),
                start_time=dt.time(10), end_time=dt.time(10, 50), cpt="90834", diagnosis=["F33.1", "F41.1"])
    values = {key: value for key, _, value in session_fields(note)}
    assert parse_session_fields(values)["diagnosis"] == ["F33.1", "F41.1"]
    with pytest.raises(ValueError, match="stop after"):
        parse_session_fields({**values, "end": "09:00"})


async def test_session_details_fix_a_header_finding(make_app, demo_db):
    from textual.widgets import Input

    from note_assistant.models import Finding

    app = make_app(check_delay=60)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        screen = await new_note(pilot)
        header = Finding(rule_id="DOC-CPT-TIME-MISMATCH", category="compliance", severity="error",
                         start=0, end=0, section="header", text="CPT: 90834", message="CPT vs time")
        screen.post_message(ChecksCompleted(screen.editor.generation, [header], {}))
        await wait_checks(pilot, screen)
        screen.open_fix(screen.editor.marks[0])
        await pilot.pause()
        await pilot.press("s")  # edit the session details
        await pilot.pause()
        app.screen.query_one("#field-cpt", Input).value = "90837"
        app.screen.query_one("#field-start", Input).value = "09:55"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "90837" in str(screen.bar._line.content)
        note_id = screen.note_id
    store = open_store(demo_db)
    note = store.note(note_id)
    assert note.cpt == "90837" and note.start_time.strftime("%H:%M") == "09:55"
    store.close()


async def test_a_failing_check_says_so_and_keeps_the_text(make_app, monkeypatch):
    """A check run that raises must not leave "checking..." in the status line for ever."""
    import note_assistant.tui.screens.editor as editor_module

    def broken(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("boom")

    app = make_app(check_delay=0.01)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        screen = await new_note(pilot)
        monkeypatch.setattr(editor_module, "check_session_note", broken)
        await pilot.press(*"calm")
        for _ in range(200):  # up to 10 s: 2.5 s ran out once under the loaded encrypted CI suite
            await pilot.pause(0.05)
            if "checks failed" in screen.bar.status_text:
                break
        assert screen.bar.status_text.startswith("checks failed: RuntimeError")
        assert any("your text is safe" in n.message for n in app._notifications)
        assert "calm" in screen.editor.text
