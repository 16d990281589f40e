"""Risk documentation (A10): risk language needs an assessment; negation is a screen result."""

from __future__ import annotations

import pytest
from checks_support import ids, only, run, soap

from note_assistant.checks import risk
from note_assistant.checks.risk import read_risk


def note(assessment: str, subjective: str = "Client reported a stressful week at work.") -> str:
    return soap(subjective, "Alert, oriented, affect anxious.", assessment, "Next session in one week.")


def test_risk_language_with_a_full_assessment_passes():
    text = note("Client reported passive SI without plan or intent. C-SSRS screen positive for passive "
                "ideation; risk moderate; protective factors: daughter, faith. Safety plan reviewed and updated.")
    assert run(risk, text) == []


def test_risk_language_without_assessment():
    text = note("Client reported cutting her forearm last weekend after an argument.")
    finding = only(run(risk, text), "RISK-NO-ASSESSMENT")
    assert finding.text == "cutting" and finding.source == "A10"
    assert "self-harm" in finding.message and "A10" in finding.message
    assert finding.data["kinds"] == ["self-harm"]


def test_a_low_risk_level_is_enough_but_moderate_needs_a_plan():
    low = note("Passive SI last month, none since. C-SSRS screen negative today; risk low.")
    assert run(risk, low) == []
    moderate = note("Passive SI this week. Risk moderate.")
    finding = only(run(risk, moderate), "RISK-NO-ASSESSMENT")
    assert "safety plan" in finding.message and "screen result" not in finding.message


def test_bare_denial_with_risk_described_elsewhere():
    text = note("Denies SI/HI.", subjective="Client said she wants to die some days and has been "
                "thinking about her pills.")
    findings = run(risk, text)
    assert ids(findings) == ["RISK-UNSUPPORTED-DENIAL"]
    assert findings[0].text == "Denies SI/HI"
    assert "wants to die" in findings[0].message


@pytest.mark.parametrize("text", [
    "Client denies SI/HI.",
    "No history of self-harm. Denies SI.",
    "SI: denied. HI: denied.",
    "Client denies suicidal ideation, intent or plan.",
    "No access to firearms; denies HI.",
])
def test_negated_risk_is_a_screen_not_risk_language(text):
    reading = read_risk(text)
    assert reading.hits == []
    assert run(risk, note(text)) == []  # a screen result and no risk language: nothing to flag


@pytest.mark.parametrize(("text", "kind", "span"), [
    ("Client denied cutting but reported urges to cut.", "self-harm", "urges to cut"),
    ("There was no change in SI since last week.", "suicide", "SI"),
    ("Client has a handgun at home.", "weapons", "handgun"),
    ("Her husband choked her last month.", "abuse", "choked her"),
    ("Reports homicidal thoughts toward her boss.", "homicide", "homicidal"),
    ("Took an overdose of sleeping pills in 2019.", "overdose", "overdose"),
    ("He was abused by his uncle as a child.", "abuse", "abused"),
])
def test_risk_language_is_found_past_negation_scope(text, kind, span):
    hits = read_risk(text).hits
    assert [(text[s:e], k) for s, e, k in hits][:1] == [(span, kind)]


@pytest.mark.parametrize("text", [
    "Client is cutting back on drinking.",
    "History of alcohol abuse, in remission.",
    "Hi, said the client on arrival.",
    "She cut her hair short and likes it.",
    "Of note, she also has a history of abusing Vicodin.",
    "He abused alcohol and pain pills in his twenties.",
])
def test_other_senses_are_not_risk_language(text):
    assert read_risk(text).hits == []


def test_no_screen_at_all_is_info_and_medicare_makes_it_a_warning():
    text = note("Client is cutting back on drinking; progress toward objective 1.")
    finding = only(run(risk, text), "RISK-NO-SCREEN")
    assert finding.severity == "info" and finding.text == "Assessment:"
    assert only(run(risk, text, profile="medicare"), "RISK-NO-SCREEN").severity == "warning"


def test_medicare_regrades_risk_findings_to_error():
    text = note("Client reported cutting her forearm last weekend.")
    assert only(run(risk, text), "RISK-NO-ASSESSMENT").severity == "warning"
    assert only(run(risk, text, profile="medicare"), "RISK-NO-ASSESSMENT").severity == "error"


@pytest.mark.parametrize("phrase", [
    "Pt mentioned wanting to die last week.", "She wished to die after the breakup.",
    "Reports thoughts of death most nights.",
])
def test_death_wish_phrasings_are_risk_language(phrase):
    found = ids(run(risk, note("Symptoms improving.", subjective=phrase)))
    assert "RISK-NO-ASSESSMENT" in found

