"""Fix actions on findings: built from category and data, applied as one undoable edit.

Findings are constructed here (and posted as a check result) so each action is tested even
before the rule family that produces it is registered.
"""

from __future__ import annotations

import pytest

from note_assistant.models import Finding
from note_assistant.tui.fixes import (
    RISK_TEMPLATE,
    LineIndex,
    fixes_for,
    insertion_point,
    move_span,
    sentence_span,
)
from note_assistant.tui.marks import Mark, replay, shift
from note_assistant.tui.messages import ChecksCompleted

from .conftest import PROCESS_SENTENCE, new_note, open_store, paste, sign_in, wait_for

pytestmark = pytest.mark.anyio


def finding(text: str, needle: str, category: str, rule_id: str = "TEST-RULE",
            severity: str = "warning", **extra: object) -> Finding:
    start = text.index(needle)
    return Finding(rule_id=rule_id, category=category, severity=severity, start=start,
                   end=start + len(needle), text=needle, message=f"{rule_id} fired",
                   **extra)  # type: ignore[arg-type]


# pure helpers --------------------------------------------------------------------------------
def test_fixes_follow_category_and_data():
    text = "Pt reports SI. Takes 10 U daily."
    abbr = finding(text, "SI", "abbreviation", data={
        "expansion": "suicidal ideation",
        "alternatives": [{"expansion": "sacroiliac", "confidence": 0.1},
                         {"expansion": "suicidal ideation", "confidence": 0.9}]})
    kinds = {(f.key, f.kind, f.text) for f in fixes_for(abbr, has_plan=True, format_key="soap")}
    assert ("e", "replace", "suicidal ideation") in kinds
    assert ("1", "replace", "sacroiliac") in kinds
    assert ("d", "dismiss", "") in kinds
    dnu = finding(text, "U", "do-not-use", suggestion="units")
    assert [f.text for f in fixes_for(dnu, has_plan=False, format_key=None) if f.kind == "replace"] == ["units"]
    long_advice = finding(text, "Takes", "stigmatizing-language",
                          suggestion="Describe what happened and why, e.g. something.")
    assert not [f for f in fixes_for(long_advice, has_plan=False, format_key=None) if f.kind == "replace"]
    process = finding(text, "reports SI", "process-content")
    assert fixes_for(process, has_plan=False, format_key=None)[0].kind == "move"
    risk = finding(text, "SI", "risk")
    assert any(f.kind == "insert" and f.text == RISK_TEMPLATE for f in fixes_for(risk, has_plan=False, format_key=None))
    plan = finding(text, "SI", "plan-alignment")
    assert any(f.kind == "link" for f in fixes_for(plan, has_plan=True, format_key=None))
    assert not any(f.kind == "link" for f in fixes_for(plan, has_plan=False, format_key=None))
    goal = Finding(rule_id="FMT-EMPTY-SECTION", category="format", severity="error", start=0, end=5,
                   section="goal", text="Goal:", message="empty")
    assert any(f.kind == "goal" for f in fixes_for(goal, has_plan=True, format_key="girp"))


def test_sentence_span_stops_at_sentence_and_section():
    text = "Subjective: Client slept well. " + PROCESS_SENTENCE + " Next line.\nObjective: calm."
    start = text.index("irritated")
    s, e = sentence_span(text, start, start + 9, floor=len("Subjective: "))
    assert text[s:e] == PROCESS_SENTENCE
    head = text.index("Client")
    s, e = sentence_span(text, head, head + 6, floor=len("Subjective: "))
    assert text[s:e] == "Client slept well."


def test_move_span_prefers_the_family_sentence_offsets():
    text = "Subjective:\nA. " + PROCESS_SENTENCE + "\n"
    start = text.index(PROCESS_SENTENCE)
    f = finding(text, "irritated", "process-content",
                data={"sentence_start": start, "sentence_end": start + len(PROCESS_SENTENCE)})
    # the mark moved by 3 characters (text typed before it): the data offsets move along
    moved = "xyz" + text
    s, e = move_span(moved, f, f.start + 3, f.end + 3, "soap")
    assert moved[s:e] == PROCESS_SENTENCE


def test_insertion_point_is_end_of_section_body():
    text = "Subjective:\nfine.\nAssessment:\nstable.\n\nPlan:\nweekly.\n"
    at = insertion_point(text, "soap", ("assessment",))
    assert text[:at].endswith("stable.")


def test_marks_move_with_edits_and_drop_when_touched():
    f = Finding(rule_id="R", category="format", severity="info", start=10, end=14, text="abcd", message="m")
    marks = [Mark(f, 10, 14)]
    assert shift(marks, 0, 0, 3)[0].start == 13          # typed before: moved
    assert shift(marks, 20, 20, 25)[0].start == 10       # typed after: unchanged
    assert shift(marks, 14, 14, 15)[0].end == 14         # typed right after the span
    assert shift(marks, 11, 12, 12) == []                # edited inside: dropped
    log = [(1, 0, 0, 2), (2, 0, 1, 0)]
    assert replay(marks, log, since=0)[0].start == 11
    assert replay(marks, log, since=1)[0].start == 9


def test_line_index_round_trips():
    lines = ["ab", "", "cde"]
    index = LineIndex(lines)
    text = "\n".join(lines)
    for i in range(len(text) + 1):
        assert index.index(*index.location(i)) == i


# in the editor --------------------------------------------------------------------------------
async def _editor_with(pilot, text: str, findings_for):
    """A new SOAP note holding ``text``; then show the findings ``findings_for(text)`` made."""
    screen = await new_note(pilot)
    editor = screen.editor
    editor.focus()
    editor.select_all()
    await paste(pilot, text)
    await wait_for(pilot, lambda: editor.text == text)
    before = screen.checks_done
    screen.post_message(ChecksCompleted(editor.generation, findings_for(editor.text), {}))
    await wait_for(pilot, lambda: screen.checks_done > before)
    return screen


SOAP = ("Subjective:\nClient reports SI since Monday. Takes 10 U daily.\n"
        "Objective:\nCalm, PHQ-9 = 12.\nAssessment:\nStable.\nPlan:\nWeekly CBT.\n")


async def test_replace_abbreviation_then_undo(make_app):
    app = make_app(check_delay=60)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        screen = await _editor_with(pilot, SOAP, lambda t: [finding(t, "SI", "abbreviation", data={
            "expansion": "suicidal ideation",
            "alternatives": [{"expansion": "sacroiliac", "confidence": 0.02}]})])
        await pilot.press("ctrl+n", "ctrl+f")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert "Client reports suicidal ideation since Monday." in screen.editor.text
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert screen.editor.text == SOAP


async def test_pick_an_alternative_expansion(make_app):
    app = make_app(check_delay=60)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        screen = await _editor_with(pilot, SOAP, lambda t: [finding(t, "SI", "abbreviation", data={
            "expansion": "suicidal ideation",
            "alternatives": [{"expansion": "sacroiliac", "confidence": 0.02}]})])
        screen.open_fix(screen.editor.marks[0])
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert "Client reports sacroiliac since Monday." in screen.editor.text


async def test_do_not_use_replacement_from_the_findings_panel(make_app):
    app = make_app(check_delay=60)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        screen = await _editor_with(pilot, SOAP, lambda t: [finding(
            t, "U", "do-not-use", rule_id="DNU-U", severity="error", suggestion="units")])
        await pilot.press("tab")  # into the findings list
        await pilot.pause()
        assert app.focused.id == "findings-list"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert "Takes 10 units daily." in screen.editor.text
        assert "10 U " not in screen.editor.text


async def test_insert_risk_block_selects_the_first_blank(make_app):
    app = make_app(check_delay=60)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        screen = await _editor_with(pilot, SOAP, lambda t: [finding(t, "SI", "risk", rule_id="RISK-NO-ASSESSMENT")])
        screen.open_fix(screen.editor.marks[0])
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        text = screen.editor.text
        assert RISK_TEMPLATE in text
        # inserted at the end of the Assessment section
        assert "Assessment:\nStable.\n" + RISK_TEMPLATE + "\nPlan:" in text
        assert screen.editor.selected_text == "___"
        await pilot.press(*"C-SSRS")
        assert "Risk - instrument and result: C-SSRS." in screen.editor.text


async def test_link_objective_inserts_reference_in_assessment(make_app):
    app = make_app(check_delay=60)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        screen = await _editor_with(pilot, SOAP, lambda t: [finding(t, "Stable.", "plan-alignment", rule_id="PLAN-NO-OBJECTIVE")])
        screen.open_fix(screen.editor.marks[0])
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("enter")  # first objective: o1
        await pilot.pause()
        text = screen.editor.text
        assert "Stable.\nObjective o1 (PHQ-9 below 10): \nPlan:" in text


async def test_dismiss_with_reason_is_stored_and_hides_the_finding(make_app, demo_db):
    app = make_app(check_delay=60)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        screen = await _editor_with(pilot, SOAP, lambda t: [finding(t, "Stable.", "compliance", rule_id="DOC-TEST")])
        screen.open_fix(screen.editor.marks[0])
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("enter")  # empty reason: refused
        await pilot.pause()
        await pilot.press(*"brief", "space", *"check-in", "enter")
        await pilot.pause()
        note_id = screen.note_id
        assert ("DOC-TEST", "Stable.") in screen._dismissed
    store = open_store(demo_db)
    rows = store.dismissal_rows(note_id)
    assert [(r["rule_id"], r["reason"], r["user_id"]) for r in rows] == [("DOC-TEST", "brief check-in", "u-dana")]
    store.close()


async def test_move_to_psychotherapy_note_with_a_constructed_finding(make_app, demo_db):
    """The move works from category + data alone (whether or not the real family is there)."""
    text = "Subjective:\nClient was late. " + PROCESS_SENTENCE + "\nObjective:\nCalm.\nAssessment:\nStable.\nPlan:\nWeekly.\n"
    app = make_app(check_delay=60)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        screen = await _editor_with(pilot, text, lambda t: [finding(t, "unconscious anger", "process-content",
                                                                    rule_id="PC-TEST")])
        screen.open_fix(screen.editor.marks[0])
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert PROCESS_SENTENCE not in screen.editor.text
        assert "Client was late.\nObjective:" in screen.editor.text
        assert screen.ws.pnote_text.strip() == PROCESS_SENTENCE
        told = [n.message for n in app._notifications]
        assert any("private copy stays" in m for m in told), told  # what ctrl+z will not undo
        note_id = screen.note_id
        await pilot.press("ctrl+z")  # back in the progress note; the private copy stays
        await pilot.pause()
        assert PROCESS_SENTENCE in screen.editor.text
    store = open_store(demo_db)
    pnote = store.psychotherapy_note_for_session(note_id)
    assert pnote is not None and pnote.text.strip() == PROCESS_SENTENCE
    store.close()
