"""Documentation rules (DOMAIN.md section 4): header, time vs CPT, signature, timeliness,
named interventions, client response, wrong-section content, medical necessity."""

from __future__ import annotations

import pytest
from checks_support import GOOD_SOAP, HEADER, birp, ids, only, run, soap

from note_assistant.checks import documentation
from note_assistant.checks.engine import check_note

BODY = dict(
    subjective="Client reported two panic attacks and missed one day of work this week.",
    objective="Alert, oriented, affect anxious. GAD-7 = 12.",
    assessment="Used cognitive restructuring; client engaged and rated belief down from 80% to 40%.",
    plan="Continue weekly CBT. Next session 11/27.",
)


def note_with(header: str, **overrides: str) -> str:
    return soap(**{**BODY, **overrides}, header=header)


def header(**fields: str | None) -> str:
    base = {"Date": "2026-11-20", "Start": "10:00", "End": "10:50", "CPT": "90834",
            "Modality": "individual, in person", "Diagnosis": "F41.0 Panic disorder"}
    base.update(fields)
    return "".join(f"{k}: {v}\n" for k, v in base.items() if v is not None)


def test_good_note_has_no_documentation_findings():
    assert run(documentation, GOOD_SOAP) == []


# --- A1: time vs CPT, including every boundary ------------------------------------------------

@pytest.mark.parametrize(
    ("code", "minutes", "expected", "fits"),
    [
        ("90832", 15, "DOC-TIME-NOT-BILLABLE", None),
        ("90832", 16, None, None),
        ("90832", 37, None, None),
        ("90832", 38, "DOC-CPT-TIME-MISMATCH", "90834"),
        ("90834", 37, "DOC-CPT-TIME-MISMATCH", "90832"),
        ("90834", 38, None, None),
        ("90834", 52, None, None),
        ("90834", 53, "DOC-CPT-TIME-MISMATCH", "90837"),
        ("90837", 52, "DOC-CPT-TIME-MISMATCH", "90834"),
        ("90837", 53, None, None),
        ("90834", 15, "DOC-TIME-NOT-BILLABLE", None),
    ],
)
def test_cpt_time_table(code, minutes, expected, fits):
    text = note_with(header(CPT=code, Start=None, End=None, Duration=f"{minutes} min") +
                     "", assessment=BODY["assessment"] + " Extended session needed due to exposure work.")
    findings = [f for f in run(documentation, text) if f.rule_id in
                ("DOC-CPT-TIME-MISMATCH", "DOC-TIME-NOT-BILLABLE")]
    assert ids(findings) == ([expected] if expected else [])
    if expected:
        assert findings[0].text == code  # the finding points at the CPT value in the header
        assert str(minutes) in findings[0].message and "A1" in findings[0].message
    if fits:
        assert findings[0].data["fits"] == fits


def test_a_stop_time_before_the_start_is_reported_not_billed_as_23_hours():
    text = note_with(header(Start="10:00", End="09:00", CPT="90834"))
    found = run(documentation, text)
    finding = only(found, "DOC-TIME-ORDER")
    assert finding.text == "09:00"  # points at the stop time in the header
    assert "09:00" in finding.message and "10:00" in finding.message
    assert not {"DOC-CPT-TIME-MISMATCH", "DOC-LONG-SESSION-NO-REASON"} & set(ids(found))


@pytest.mark.parametrize(("start", "end", "limit", "flagged"), [
    ("23:30", "00:20", None, False),   # 50 minutes across midnight
    ("22:00", "01:30", None, True),    # 210 minutes: over the default 180
    ("22:00", "01:30", 240, False),    # a clinic that runs overnight crisis sessions
])
def test_sessions_across_midnight(start, end, limit, flagged):
    from note_assistant.checks.profiles import load_profile

    text = note_with(header(Start=start, End=end, CPT="90837"),
                     assessment=BODY["assessment"] + " Extended session needed due to a crisis.")
    profile = load_profile("default")
    if limit is not None:
        profile = profile.model_copy(update={"options": {**profile.options, "overnight_max_minutes": limit}})
    found = ids(check_note(text, profile=profile).findings)
    assert ("DOC-TIME-ORDER" in found) is flagged


def test_start_and_stop_times_give_the_minutes():
    text = note_with(header(Start="10:00", End="10:37", CPT="90834"))
    finding = only(run(documentation, text), "DOC-CPT-TIME-MISMATCH")
    assert finding.data == {"minutes": 37, "code": "90834", "fits": "90832"}


def test_no_time_and_duration_only():
    assert "DOC-NO-TIME" in ids(run(documentation, note_with(header(Start=None, End=None))))
    duration = run(documentation, note_with(header(Start=None, End=None, Duration="45")))
    assert only(duration, "DOC-DURATION-ONLY").severity == "info"
    assert "DOC-NO-TIME" not in ids(duration)


def test_long_session_needs_a_stated_reason():
    text = note_with(header(CPT="90837", End="11:00"))
    finding = only(run(documentation, text), "DOC-LONG-SESSION-NO-REASON")
    assert finding.source == "A3" and "A3" in finding.message
    reasoned = note_with(header(CPT="90837", End="11:00"),
                         plan="Extended session was required to complete safety planning. Next session 11/27.")
    assert "DOC-LONG-SESSION-NO-REASON" not in ids(run(documentation, reasoned))


def test_add_on_code_needs_separate_psychotherapy_time():
    text = note_with(header(CPT="99214, 90836", End="11:00"))
    finding = only(run(documentation, text), "DOC-ADDON-NO-PSYCHOTHERAPY-TIME")
    assert finding.text == "99214, 90836" and finding.source == "A2"
    stated = note_with(header(CPT="99214, 90836", End="11:00"),
                       plan="Psychotherapy time: 40 minutes, separate from E/M. Next session 11/27.")
    assert not {"DOC-ADDON-NO-PSYCHOTHERAPY-TIME", "DOC-CPT-TIME-MISMATCH"} & set(ids(run(documentation, stated)))
    short = note_with(header(CPT="99214, 90836", End="11:00"),
                      plan="Psychotherapy time: 30 minutes. Next session 11/27.")
    assert only(run(documentation, short), "DOC-CPT-TIME-MISMATCH").data["fits"] == "90833"


# --- header fields ----------------------------------------------------------------------------

def test_missing_date_diagnosis_and_modality():
    found = ids(run(documentation, note_with(header(Date=None, Diagnosis=None, Modality=None))))
    assert {"DOC-NO-DATE", "DOC-NO-DIAGNOSIS", "DOC-NO-MODALITY"} <= set(found)
    uncoded = run(documentation, note_with(header(Diagnosis="Panic disorder")))
    assert only(uncoded, "DOC-DIAGNOSIS-NO-CODE").text == "Panic disorder"


def test_future_date_of_service():
    finding = only(run(documentation, note_with(header(Date="2026-12-01"))), "DOC-FUTURE-DATE")
    assert finding.text == "2026-12-01" and finding.severity == "error"


@pytest.mark.parametrize(("written", "profile", "fires"), [
    ("2026-11-25", "default", True),   # 5 days > 3
    ("2026-11-23", "default", False),  # 3 days is on time
    ("2026-11-22", "medicare", True),  # medicare: 1 day
    ("2026-11-21", "medicare", False),
])
def test_late_entry_uses_the_profile_option(written, profile, fires):
    text = note_with(header(Written=written))
    found = run(documentation, text, profile=profile)
    assert ("DOC-LATE-ENTRY" in ids(found)) is fires
    if fires:
        assert only(found, "DOC-LATE-ENTRY").text == written


def test_telehealth_needs_platform_and_client_location():
    bare = run(documentation, note_with(header(Modality="telehealth (video)")))
    assert {"DOC-TELEHEALTH-NO-PLATFORM", "DOC-TELEHEALTH-NO-LOCATION"} <= set(ids(bare))
    assert only(bare, "DOC-TELEHEALTH-NO-PLATFORM").text == "telehealth (video)"
    complete = note_with(header(Modality="telehealth (video)") + "Platform: Zoom\nClient location: home, Ohio\n")
    assert not {"DOC-TELEHEALTH-NO-PLATFORM", "DOC-TELEHEALTH-NO-LOCATION"} & set(ids(run(documentation, complete)))
    phone = note_with(header(Modality="audio-only telephone") + "Client location: her car, parked at work\n")
    assert not {"DOC-TELEHEALTH-NO-PLATFORM", "DOC-TELEHEALTH-NO-LOCATION"} & set(ids(run(documentation, phone)))
    in_text = note_with(header(), subjective="Session held via video. " + BODY["subjective"])
    assert "DOC-TELEHEALTH-NO-PLATFORM" in ids(run(documentation, in_text))


def test_a_phone_call_is_telehealth_only_when_it_is_the_session():
    seen = note_with(header(), subjective="Client was seen by phone today. " + BODY["subjective"])
    assert "DOC-TELEHEALTH-NO-LOCATION" in ids(run(documentation, seen))
    for aside in ("I contacted his wife by telephone; she confirms the history. ",
                  "Follow up in 3 months, by phone sooner as needed. "):
        text = note_with(header(), subjective=aside + BODY["subjective"])
        assert "DOC-TELEHEALTH-NO-LOCATION" not in ids(run(documentation, text)), aside


# --- A11: signature ---------------------------------------------------------------------------

def test_signature_rules():
    unsigned = soap(**BODY, signature="")
    assert only(run(documentation, unsigned), "DOC-NO-SIGNATURE").severity == "info"
    no_creds = soap(**BODY, signature="Signed: Jane Doe\n")
    finding = only(run(documentation, no_creds), "DOC-SIGNATURE-NO-CREDENTIALS")
    assert finding.text == "Jane Doe" and finding.source == "A11"
    for line in ("Signed: Jane Doe, LCSW\n", "Electronically signed by A. Lee, Ph.D. 2026-11-20\n",
                 "Signature: Sam Roe PsyD\n"):
        found = ids(run(documentation, soap(**BODY, signature=line)))
        assert not {"DOC-NO-SIGNATURE", "DOC-SIGNATURE-NO-CREDENTIALS"} & set(found), line


# --- A4 named interventions, A9 response -------------------------------------------------------

def test_birp_intervention_section_must_name_a_technique():
    vague = birp("Client reported panic at work twice this week.",
                 "Talked about her week and offered support.",
                 "Client engaged and agreed to practice.", "Next session in one week.")
    # BIRP's format data requires a named technique: the structure family reports it (A4), and
    # the documentation family does not repeat it.
    assert "DOC-INTERVENTION-NOT-NAMED" not in ids(run(documentation, vague))
    finding = next(f for f in check_note(vague).findings if f.rule_id == "FMT-ELEMENT-MISSING")
    assert finding.text.strip() == "Intervention:" and finding.source == "A4"
    named = vague.replace("Talked about her week and offered support.",
                          "Used interoceptive exposure and reviewed the exposure hierarchy.")
    assert "FMT-ELEMENT-MISSING" not in ids(check_note(named).findings)


def test_soap_names_a_technique_anywhere_and_acronyms_need_their_case():
    plain = note_with(header(), assessment="Discussed how she wants to act at work; client engaged.",
                      plan="Next session 11/27.")
    assert "DOC-INTERVENTION-NOT-NAMED" in ids(run(documentation, plain))
    named = note_with(header(), assessment="Used MI to explore ambivalence; client engaged.",
                      plan="Next session 11/27.")
    assert "DOC-INTERVENTION-NOT-NAMED" not in ids(run(documentation, named))


def test_client_response():
    birp_note = birp("Client reported panic twice.", "Used cognitive restructuring on fainting fears.",
                     "Good.", "Next session in one week.")
    assert only(run(documentation, birp_note), "DOC-NO-CLIENT-RESPONSE").text == "Response:"
    with_response = birp_note.replace("Good.", "Client engaged and practiced the skill twice.")
    assert "DOC-NO-CLIENT-RESPONSE" not in ids(run(documentation, with_response))
    soap_note = note_with(header(), assessment="Used cognitive restructuring on fear of fainting.")
    assert "DOC-NO-CLIENT-RESPONSE" in ids(run(documentation, soap_note))


# --- content in the wrong section, A8 ---------------------------------------------------------

def test_plan_items_in_the_assessment():
    text = note_with(header(), assessment="Next session we will begin exposure; client engaged in CBT.")
    finding = only(run(documentation, text), "DOC-PLAN-IN-ASSESSMENT")
    assert finding.text == "Next session" and finding.section == "assessment"
    assert "DOC-PLAN-IN-ASSESSMENT" not in ids(run(documentation, note_with(header())))


def test_direct_quotes_in_objective():
    text = note_with(header(), objective='Alert, anxious. Client said "I cannot breathe when it starts."')
    finding = only(run(documentation, text), "DOC-QUOTE-IN-OBJECTIVE")
    assert finding.text == '"I cannot breathe when it starts."'
    short = note_with(header(), objective='Alert, anxious, described mood as "ok".')
    assert "DOC-QUOTE-IN-OBJECTIVE" not in ids(run(documentation, short))


@pytest.mark.parametrize("objective", [
    'Mood: "I\'m sad and tired all the time." Affect constricted.',
    'Her mood is "worse than it has been in years." Affect tearful.',
    'Interprets the proverb "people in glass houses shouldn\'t throw stones" as meaning '
    '"don\'t judge others when you do it too."',
])
def test_the_mse_quotes_mood_and_proverbs_by_convention(objective: str) -> None:
    text = note_with(header(), objective=objective)
    assert "DOC-QUOTE-IN-OBJECTIVE" not in ids(run(documentation, text))
    said = note_with(header(), objective='Affect flat. She said "I cannot breathe when it starts."')
    assert "DOC-QUOTE-IN-OBJECTIVE" in ids(run(documentation, said))


def test_medical_necessity_is_info_and_satisfied_by_impairment_language():
    text = note_with(header(), subjective="Client reported two panic attacks this week.")
    assert only(run(documentation, text), "DOC-NO-MEDICAL-NECESSITY").severity == "info"
    assert "DOC-NO-MEDICAL-NECESSITY" not in ids(run(documentation, note_with(header())))


def test_every_documentation_message_cites_its_source():
    text = note_with(header(Date=None, Diagnosis=None, Modality=None, CPT="90837", End="11:00"),
                     assessment="Talked about the week.")
    for f in run(documentation, text):
        if f.source.startswith("A"):
            assert f"({f.source})" in f.message or f.source in f.message, f.rule_id
    assert HEADER  # the shared header is the default used above


def test_app_header_with_clinician_credentials_means_the_app_signs():
    text = soap(**BODY, header=HEADER + "Clinician: Jane Doe\nCredentials: LCSW\n", signature="")
    assert "DOC-NO-SIGNATURE" not in ids(run(documentation, text))
    without = soap(**BODY, header=HEADER + "Clinician: Jane Doe\n", signature="")
    assert "DOC-NO-SIGNATURE" in ids(run(documentation, without))
