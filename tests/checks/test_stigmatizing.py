"""Stigmatizing language (DOMAIN.md section 7): positives with exact spans, hard negatives."""

from __future__ import annotations

import pytest
from checks_support import ids, run

from note_assistant.checks import stigmatizing
from note_assistant.checks.catalogue import catalogue
from note_assistant.checks.profiles import RuleProfile, RuleSetting
from note_assistant.checks.stigmatizing import find_stigma, terms

POSITIVES = [
    ("Pt refused meds again today.", "STIG-REFUSED", "refused"),
    ("Client refused to take her medication.", "STIG-REFUSED", "refused"),
    ("Offered a referral to IOP; she refused.", "STIG-REFUSED", "refused"),
    ("He is non-compliant with lithium.", "STIG-NONCOMPLIANT", "non-compliant"),
    ("Client remains noncompliant.", "STIG-NONCOMPLIANT", "noncompliant"),
    ("She claims she has not been drinking.", "STIG-CLAIMS", "claims"),
    ("Client insists that the voices stopped.", "STIG-INSISTS", "insists"),
    ("Drug-seeking behavior noted.", "STIG-DRUG-SEEKING", "Drug-seeking"),
    ("Client was manipulative with staff.", "STIG-MANIPULATIVE", "manipulative"),
    ("Client is an addict.", "STIG-ADDICT", "addict"),
    ("Former junkie, now housed.", "STIG-ADDICT", "junkie"),
    ("Long history as an opioid abuser.", "STIG-ABUSER", "opioid abuser"),
    ("History of alcohol abuse.", "STIG-SUBSTANCE-ABUSE", "alcohol abuse"),
    ("Her father is an alcoholic.", "STIG-ALCOHOLIC", "alcoholic"),
    ("ED staff call him a frequent flyer.", "STIG-FREQUENT-FLYER", "frequent flyer"),
    ("Her brother committed suicide in 2019.", "STIG-COMMITTED-SUICIDE", "committed suicide"),
    ("Client suffers from depression.", "STIG-SUFFERS-FROM", "suffers from"),
    ("He is a schizophrenic who lives alone.", "STIG-LABEL", "is a schizophrenic"),
    ("Staff called him a psycho after the incident.", "STIG-LABEL", "psycho"),
    ("Urine was dirty for fentanyl.", "STIG-CLEAN-DIRTY", "dirty"),
    ("UDS was clean.", "STIG-CLEAN-DIRTY", "clean"),
    ("He has been clean for 6 months.", "STIG-CLEAN-DIRTY", "clean"),
    ("Attention-seeking gestures on the unit.", "STIG-ATTENTION-SEEKING", "Attention-seeking"),
    ("Client is a poor historian.", "STIG-POOR-HISTORIAN", "poor historian"),
    ("A difficult patient per the referral.", "STIG-DIFFICULT-CLIENT", "difficult patient"),
]

HARD_NEGATIVES = [
    "She refused to let fear stop her from driving.",
    "Client did not refuse medication this week.",
    "Client said, 'I'm an addict, and I'm done hiding it.'",
    'Client said "I am an alcoholic" at her first AA meeting.',
    "Her insurance claims adjuster called about the accident.",
    "The disability claims process is slow.",
    "She filed a claim with her insurer.",
    "Attends Alcoholics Anonymous twice a week.",
    "No alcoholic beverages at the party.",
    "Client appeared clean and well groomed.",
    "Schizophrenic symptoms remain stable on clozapine.",
    "Her abuser was arrested in March.",
    "F10.10 Alcohol abuse, uncomplicated",
    "She insisted on paying for the session herself.",
    "Collects frequent flyer miles for work travel.",
    "Provided psycho-education on panic.",
    "Psycho: Awake, alert and oriented times 4; no depression or anxiety.",
    "Has a borderline score on the screen.",
    "Her urine drug screen was negative.",
]


@pytest.mark.parametrize(("text", "rule_id", "span"), POSITIVES)
def test_positives(text, rule_id, span):
    hits = [(text[s:e], r) for s, e, r in find_stigma(text)]
    assert hits == [(span, rule_id)]


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_hard_negatives(text):
    assert find_stigma(text) == []


def test_findings_carry_a_person_first_suggestion_and_exact_span():
    text = "Subjective:\nPt refused meds and claims she is fine.\n\nObjective:\nAlert, guarded, oriented."
    findings = run(stigmatizing, text)
    assert ids(findings) == ["STIG-REFUSED", "STIG-CLAIMS"]
    assert "declined" in findings[0].suggestion
    assert "reports" in findings[1].suggestion
    assert findings[0].section == "subjective"


def test_every_term_names_a_catalogue_rule_and_every_rule_has_a_term():
    rules = {r.id for r in catalogue().values() if r.category == "stigmatizing-language"}
    used = {t.rule for t in terms()}
    assert used <= rules
    assert rules <= used


def test_a_profile_can_disable_one_stigma_rule_or_regrade_the_category():
    text = "Pt refused meds and claims she is fine."
    quiet = RuleProfile(name="t", rules={"STIG-CLAIMS": RuleSetting(enabled=False)})
    assert ids(run(stigmatizing, text, profile=quiet)) == ["STIG-REFUSED"]
    strict = RuleProfile(name="t", rules={"stigmatizing-language": RuleSetting(severity="error"),
                                          "STIG-REFUSED": RuleSetting(severity="info")})
    severities = {f.rule_id: f.severity for f in run(stigmatizing, text, profile=strict)}
    assert severities == {"STIG-REFUSED": "info", "STIG-CLAIMS": "error"}
