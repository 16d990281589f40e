"""Cloned documentation (A13): copied sections are found, different ones are not."""

from __future__ import annotations

import datetime as dt

from checks_support import ids, only, run, soap

from note_assistant.checks import cloning
from note_assistant.checks.profiles import RuleProfile
from note_assistant.models import Note

PLAN_TEXT = ("Continue weekly CBT focused on panic. Homework: complete the panic log daily and "
             "practice paced breathing twice a day. Next session in one week at the usual time.")
ASSESSMENT = ("Panic frequency is down from four to two attacks per week. Client used cognitive "
              "restructuring on the fear of fainting and generated a balanced alternative thought.")


def earlier(note_id: str, client: str, author: str, assessment: str, plan: str, day: int) -> Note:
    text = soap("Client reported a difficult week with several stressors at home and at work.",
                "Alert, oriented, affect anxious, speech normal in rate and volume.", assessment, plan)
    return Note(id=note_id, client_id=client, author_id=author, format="soap", text=text,
                date_of_service=dt.date(2026, 11, day))


def current(assessment: str = "Client described a calmer week; no panic attacks since the last "
            "session and she drove to the store alone twice.", plan: str = PLAN_TEXT) -> str:
    return soap("Client reported that her sister visited and they went hiking on Sunday.",
                "Calm, smiling, well groomed; GAD-7 = 8 today compared with 12 last time.",
                assessment, plan)


def test_a_copied_section_from_the_same_client_is_flagged():
    history = [earlier("n-1", "cl-1", "u-1", ASSESSMENT, PLAN_TEXT, 13)]
    text = current()
    findings = run(cloning, text, history=history, client_id="cl-1", author_id="u-1")
    finding = only(findings, "CLONE-SAME-CLIENT")
    assert finding.section == "plan"
    assert finding.text == PLAN_TEXT + "\nElectronically signed by Jane Doe, LCSW, 2026-11-20"
    assert finding.data == {"note_id": "n-1", "date": "2026-11-13", "score": 100.0, "section": "plan"}
    assert "n-1" in finding.message and "2026-11-13" in finding.message and "A13" in finding.message


def test_different_sections_are_not_flagged():
    other_plan = ("Begin interoceptive exposure next week; review the hierarchy and add two "
                  "driving steps. Client will call if panic returns before then.")
    history = [earlier("n-1", "cl-1", "u-1", ASSESSMENT, other_plan, 13)]
    assert run(cloning, current(), history=history, client_id="cl-1", author_id="u-1") == []


def test_a_lightly_edited_copy_is_still_found():
    history = [earlier("n-1", "cl-1", "u-1", ASSESSMENT, "Other plan text entirely for that day only.", 13)]
    edited = ASSESSMENT.replace("four to two", "three to two").replace("balanced", "new")
    findings = run(cloning, current(assessment=edited), history=history, client_id="cl-1", author_id="u-1")
    finding = only(findings, "CLONE-SAME-CLIENT")
    assert finding.section == "assessment" and 90 <= finding.data["score"] < 100


def test_same_text_for_another_client_of_the_same_clinician_is_an_error():
    history = [earlier("n-9", "cl-2", "u-1", ASSESSMENT, PLAN_TEXT, 10)]
    finding = only(run(cloning, current(), history=history, client_id="cl-1", author_id="u-1"),
                   "CLONE-OTHER-CLIENT")
    assert finding.severity == "error" and finding.data["note_id"] == "n-9"


def test_other_clinicians_notes_for_other_clients_are_ignored():
    history = [earlier("n-5", "cl-7", "u-2", ASSESSMENT, PLAN_TEXT, 10)]
    assert run(cloning, current(), history=history, client_id="cl-1", author_id="u-1") == []


def test_short_sections_are_ignored_and_the_threshold_is_a_profile_option():
    short_plan = "Next session in one week."
    history = [earlier("n-1", "cl-1", "u-1", ASSESSMENT, short_plan, 13)]
    assert run(cloning, current(plan=short_plan), history=history, client_id="cl-1") == []
    edited = ASSESSMENT.replace("four to two", "three to two").replace("balanced", "new")
    history = [earlier("n-1", "cl-1", "u-1", ASSESSMENT, "Other plan text.", 13)]
    strict = RuleProfile(name="t", options={"clone_threshold": 99.5, "clone_min_words": 12})
    assert run(cloning, current(assessment=edited), history=history, client_id="cl-1", profile=strict) == []


def test_history_is_parsed_once_and_reused():
    history = [earlier(f"n-{i}", "cl-1", "u-1", ASSESSMENT + f" Note {i}.", f"Plan variant {i}.", 1 + i)
               for i in range(20)]
    cloning._sections.cache_clear()
    run(cloning, current(), history=history, client_id="cl-1")
    misses = cloning._sections.cache_info().misses
    run(cloning, current() + " ", history=history, client_id="cl-1")
    assert cloning._sections.cache_info().misses == misses


def test_benchmark_runs_and_finds_the_copy():
    from benchmarks.bench_cloning import run as bench

    result = bench(n_history=300, repeats=3)
    assert set(result) >= {"p50_ms", "p95_ms", "history_notes"}
    assert ids([]) == []
