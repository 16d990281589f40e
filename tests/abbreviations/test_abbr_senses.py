"""Choosing senses from context, note definitions, written forms, and the expanded text."""

from __future__ import annotations

import pytest

from abbreviations import expand


def sense_of(text: str, written: str, occurrence: int = 0, **kwargs) -> str:
    result = expand(text, **kwargs)
    found = [a for a in result.abbreviations if a.text == written]
    assert len(found) > occurrence, f"{written!r} not found in {[a.text for a in result.abbreviations]}"
    return found[occurrence].expansion


@pytest.mark.parametrize(
    ("text", "written", "expected"),
    [
        ("Used MI to explore ambivalence about drinking; reflections elicited change talk.", "MI",
         "motivational interviewing"),
        ("Father died of an MI at 52; client worries about her own heart.", "MI", "myocardial infarction"),
        ("Practiced ACT defusion exercises and clarified values.", "ACT", "acceptance and commitment therapy"),
        ("Referred to the ACT team for outreach and medication delivery given SPMI.", "ACT",
         "assertive community treatment"),
        ("Attends NA meetings twice weekly and has a sponsor.", "NA", "Narcotics Anonymous"),
        ("Legal history: NA.", "NA", "not applicable"),
        ("Went to the ED after the overdose and was admitted.", "ED", "emergency department"),
        ("ED behaviors: restricting meals and purging twice this week.", "ED", "eating disorder"),
        ("Recommend step down to a lower LOC (IOP).", "LOC", "level of care"),
        ("Fell and hit her head with brief LOC; no seizure.", "LOC", "loss of consciousness"),
        ("Discussed DC planning with the inpatient unit social worker.", "DC", "discharge"),
        ("Prescriber will DC sertraline because of side effects and start a taper.", "DC", "discontinue"),
        ("Pt denies SI, plan or intent; safety plan reviewed.", "SI", "suicidal ideation"),
        ("Chronic SI joint pain in the lower back, seeing a chiropractor.", "SI", "sacroiliac"),
        ("PT reports improved sleep and denies HI.", "PT", "patient"),
        ("Attending PT twice weekly for knee rehab exercises after surgery.", "PT", "physical therapy"),
        ("Lifetime SA x2 by overdose, last attempt in 2019.", "SA", "suicide attempt"),
        ("Completed SA evaluation; referred to substance use treatment program for alcohol.", "SA",
         "substance abuse"),
        ("Billed CPT 90837 for a 55-minute session.", "CPT", "Current Procedural Terminology"),
        ("Session 4 of CPT: reviewed stuck points and the impact statement.", "CPT",
         "cognitive processing therapy"),
        ("Continued PE: imaginal exposure with SUDS ratings.", "PE", "prolonged exposure"),
        ("RTC in 2 weeks.", "RTC", "return to clinic"),
        ("Adolescent was admitted to an RTC for 3 months of residential treatment.", "RTC",
         "residential treatment center"),
        ("Bupropion XL moved to ER formulation, 150 mg tablet daily.", "ER", "extended release"),
        ("Taken to the ER by police for evaluation.", "ER", "emergency room"),
        ("Met with CM to coordinate housing application.", "CM", "case manager"),
        ("SH: lives with partner, works full time, smokes 1 ppd.", "SH", "social history"),
        ("Denies SH urges since last session; no new cuts.", "SH", "self-harm"),
        ("Hx of OD on heroin, carries naloxone.", "OD", "overdose"),
        ("Attends AA and NA meetings with her sponsor.", "AA", "Alcoholics Anonymous"),
        # Medical forms of medication-management visits and dictations (curated entries).
        ("Vitals today: BP 118/76, HR 88.", "HR", "heart rate"),
        ("Talked with HR about an accommodation for her anxiety at work.", "HR", "human resources"),
        ("Neck supple without LAD.", "LAD", "lymphadenopathy"),
        ("Prior stent to the LAD after an MI in 2019.", "LAD", "left anterior descending artery"),
        ("Heart with normal S1, S2; no murmur.", "S1", "first heart sound"),
        ("Left S1 radiculopathy from a herniated disc.", "S1", "first sacral level"),
        ("Spends evenings watching TV with her son.", "TV", "television"),
        ("He is to RTC in 3 months or as needed.", "RTC", "return to clinic"),
        ("Chest x-ray, PA and lateral views, clear.", "PA", "posteroanterior"),
        ("PA for Vraylar submitted to insurance.", "PA", "prior authorization"),
        ("Alert, oriented x4.", "x4", "to person, place, time and situation"),
        ("Oriented x2 only, not to time.", "x2", "to person and place"),
        ("SA x2 in 2019, both by overdose.", "x2", "2 times"),
        ("Hospitalized x2 last year.", "x2", "2 times"),
        ("Panic attacks x2 weeks.", "x2", "for 2"),
        # A label after a sentence's end, in a note that lost its line breaks.
        ("Tearful at times. PE: deferred.", "PE", "physical exam"),
    ],
)
def test_sense_from_context(text, written, expected):
    assert sense_of(text, written) == expected


def test_same_form_two_senses_in_one_note():
    text = ("Plan: CPT for PTSD, session 5 reviewed stuck points. "
            "Billing: CPT 90834, 45 minutes, claim submitted.")
    result = expand(text)
    senses = [a.expansion for a in result.abbreviations if a.form == "CPT"]
    assert senses == ["cognitive processing therapy", "Current Procedural Terminology"]


def test_section_moves_the_choice():
    text = "MI noted."
    without = expand(text)
    mi = next(a for a in without.abbreviations if a.form == "MI")
    assert mi.ambiguous  # "MI noted." alone says nothing
    with_section = expand(text, sections=[(0, len(text), "intervention")])
    chosen = next(a for a in with_section.abbreviations if a.form == "MI")
    assert chosen.expansion == "motivational interviewing"
    assert chosen.confidence > mi.confidence
    via_callable = expand(text, sections=lambda offset: "intervention")
    assert next(a for a in via_callable.abbreviations if a.form == "MI").confidence == chosen.confidence


def test_ambiguous_forms_offer_alternatives():
    result = expand("LOC discussed.")
    loc = result.abbreviations[0]
    assert loc.ambiguous
    assert {alt.expansion for alt in loc.alternatives} >= {"loss of consciousness"}
    assert abs(loc.confidence + sum(a.confidence for a in loc.alternatives) - 1.0) < 0.02
    assert result.ambiguous == [loc]


def test_clear_forms_are_not_ambiguous():
    result = expand("Client completed the PHQ-9 and denies SI.")
    assert [a.ambiguous for a in result.abbreviations] == [False, False]


@pytest.mark.parametrize(
    ("text", "written", "expansion"),
    [
        ("We practiced acceptance and commitment therapy (ACT) again; ACT homework assigned.", "ACT",
         "acceptance and commitment therapy"),
        ("Enrolled in assertive community treatment (ACT) last year. ACT visits weekly.", "ACT",
         "assertive community treatment"),
        ("The MI (motivational interviewing) stance was kept. MI again next week.", "MI",
         "motivational interviewing"),
        ("Started the Wellness Recovery Action Plan (WRAP) and a new Daily Mood Log (DML).", "DML",
         "Daily Mood Log"),
    ],
)
def test_definitions_in_the_note_win(text, written, expansion):
    result = expand(text)
    found = [a for a in result.abbreviations if a.text == written]
    assert found and all(a.expansion == expansion for a in found)
    assert all(a.source == "note-definition" and a.confidence == 1.0 for a in found)
    assert sum(a.is_definition for a in found) == 1


def test_note_definition_beats_context_that_points_elsewhere():
    text = ("Client is in assertive community treatment (ACT). "
            "ACT values and defusion were not discussed.")
    later = [a for a in expand(text).abbreviations if a.text == "ACT"][-1]
    assert later.expansion == "assertive community treatment"


@pytest.mark.parametrize(
    ("text", "written", "expansion", "form"),
    [
        ("Tried two SSRIs without benefit.", "SSRIs", "selective serotonin reuptake inhibitors", "SSRI"),
        ("Called the PCP's office.", "PCP", "primary care provider", "PCP"),
        ("Sertraline was DC'd last week due to side effects.", "DC'd", "discontinued", "DC"),
        ("Client was D/C'd from the inpatient unit yesterday.", "D/C'd", "discharged", "DC"),
        ("Client denies S.I. today.", "S.I.", "suicidal ideation", "SI"),
        ("Denies s.i. and h.i.", "s.i.", "suicidal ideation", "SI"),
        ("Both pts were seen.", "pts", "patients", "pt"),
        ("Takes sertraline b.i.d. with food.", "b.i.d.", "twice daily", "BID"),
        ("Referred to 2 IOPs in the area.", "IOPs", "intensive outpatient programs", "IOP"),
        # nouns in the past tense take the sense's own past form, not "-ed"
        ("Sertraline was Rx'd by her PCP.", "Rx'd", "prescribed", "rx"),
        ("Client f/u'd with the PCP on Monday.", "f/u'd", "followed up", "f/u"),
        ("Client was 5150'd last year after an overdose.", "5150'd",
         "placed on an involuntary psychiatric hold (California Welfare and Institutions Code 5150)",
         "5150"),
        ("Pt was dx'd with MDD in 2019.", "dx'd", "diagnosed", "dx"),
        ("Client was IVC'd in 2022.", "IVC'd", "involuntarily committed", "IVC"),
        ("Client took 2 PRNs overnight.", "PRNs", "as-needed doses", "PRN"),
        # a hyphenated prefix the tokenizer keeps on the token: the span is the abbreviation
        ("Post-MI depression was discussed.", "MI", "myocardial infarction", "MI"),
        ("Non-SI self-harm was described.", "SI", "suicidal ideation", "SI"),
        # x3: orientation, duration or count, from the words around it
        ("Pt c/o HA x3 days.", "x3", "for 3", "x3"),
        ("Alert, oriented x3, calm and cooperative.", "x3", "to person, place and time", "x3"),
        ("Missed sessions x3 since October.", "x3", "3 times", "x3"),
        ("Client's PO called about her curfew.", "PO", "probation officer", "PO"),
        ("Pt's SO attended the session.", "SO", "significant other", "SO"),
        # office shorthand: the telephone, no-shows, cancellations
        ("Pt NS for appt today; outreach call made.", "NS", "no-show", "NS"),
        ("NS 1 L IV bolus given in the ED.", "NS", "normal saline", "NS"),
        ("TC w/ PCP re: meds.", "TC", "telephone call", "TC"),
        ("TC 220, LDL 140 per PCP labs.", "TC", "total cholesterol", "TC"),
        ("Client LMOM re: appt.", "LMOM", "left message on machine", "LMOM"),
        ("Client CXL'd the appt.", "CXL'd", "cancelled", "CXL"),
    ],
)
def test_written_forms(text, written, expansion, form):
    found = next(a for a in expand(text).abbreviations if a.text == written)
    assert (found.expansion, found.form) == (expansion, form)
    assert text[found.start:found.end] == written


@pytest.mark.parametrize(
    "text",
    [
        "Thank you, see you next week.",
        "Client wants to act on her values and add a walk to her day.",
        "She is in the US for school and it is going well.",
        "IN THE OFFICE CLIENT WAS CALM AND ADD ODD DETAILS OF THE ACT.",
        "Hi, she said, with a bid to reconnect.",
        "It was odd, she said, to act in the play.",
    ],
)
def test_ordinary_words_are_not_abbreviations(text):
    assert expand(text).abbreviations == []


def test_expanded_text_is_exact():
    text = ("Pt denies SI/HI. Used acceptance and commitment therapy (ACT); ACT homework given. "
            "Tried 2 SSRIs; sertraline DC'd. RTC in 2 wks.")
    result = expand(text)
    assert result.expanded_text == (
        "Patient denies suicidal ideation/homicidal ideation. Used acceptance and commitment "
        "therapy (ACT); acceptance and commitment therapy homework given. Tried 2 selective "
        "serotonin reuptake inhibitors; sertraline discontinued. Return to clinic in 2 weeks."
    )
    for span in result.expanded_spans:
        assert result.expanded_text[span.start:span.end].lower() == span.abbreviation.expansion.lower()


def test_expanded_text_marks_ambiguous_expansions():
    result = expand("LOC noted with client.")
    assert result.expanded_text.endswith(" noted with client.")
    (span,) = result.expanded_spans
    assert span.ambiguous
    assert result.expanded_text[span.start:span.end] in {"Level of care", "Loss of consciousness"}


def test_text_without_abbreviations_is_unchanged():
    text = "Client reported feeling calmer this week and slept well.\n\nPlan: continue weekly."
    result = expand(text)
    assert result.abbreviations == [] and result.expanded_text == text


def test_extra_entries_add_house_shorthand_for_one_call():
    entry = {"form": "WRC", "case_sensitive": True, "category": "clinic",
             "senses": [{"id": "wellness-room", "expansion": "wellness recovery center", "prior": 1}]}
    result = expand("Client visited the WRC.", extra_entries=[entry])
    assert [(a.text, a.expansion, a.source) for a in result.abbreviations] == [
        ("WRC", "wellness recovery center", "clinic")]
    assert expand("Client visited the WRC.").abbreviations == []


def test_output_is_json_ready():
    import json

    result = expand("Denies SI.")
    data = json.loads(json.dumps([a.to_dict() for a in result.abbreviations]))
    assert data[0]["expansion"] == "suicidal ideation"
    assert set(data[0]) >= {"text", "start", "end", "expansion", "alternatives", "confidence",
                            "source", "sense_id", "ambiguous"}


def test_expanded_text_reads_naturally_for_past_tense_shorthand():
    """The client-facing copy: "Rx'd" must not become "prescriptioned"."""
    result = expand("Sertraline was Rx'd and she f/u'd with her PCP.")
    assert "prescribed" in result.expanded_text and "followed up" in result.expanded_text
    assert "prescriptioned" not in result.expanded_text and "uped" not in result.expanded_text


def test_a_past_form_must_not_be_empty(tmp_path):
    import json as _json

    from abbreviations import InventoryError, load_inventory

    entry = {"form": "ZQX", "case_sensitive": True, "category": "shorthand",
             "senses": [{"id": "z", "expansion": "zed", "prior": 1.0, "past": ""}]}
    path = tmp_path / "clinic.jsonl"
    path.write_text(_json.dumps(entry) + "\n", encoding="utf-8")
    with pytest.raises(InventoryError, match="past"):
        load_inventory([path])


def test_so_stays_a_word_without_a_relationship_cue():
    for text in ("I AM SO TIRED OF THIS, client wrote.", "SO WHAT, she said."):
        assert not [a for a in expand(text).abbreviations if a.text == "SO"], text


@pytest.mark.parametrize(("text", "word"), [
    ("Client began to sob when discussing her mother.", "sob"),
    ("Client uses hearing aids.", "aids"),
    ("Client is a young lad of 19.", "lad"),
    ("Client feels like a spy in her own home.", "spy"),
    ("Client does abs workouts at the gym.", "abs"),
    ("Client goes to rec therapy on Fridays.", "rec"),
    ("Client was in a learning pod at school.", "pod"),
    ("Client wants a vac to Florida.", "vac"),
    # capitalised: a name or the first word of a sentence
    ("Peg is her sister and lives nearby.", "Peg"),
    ("Jane Doe is the pseudonym on the form.", "Doe"),
    ("Dip in mood noted this week.", "Dip"),
    ("Seen Mon and Wed this week.", "Mon"),
])
def test_lower_case_english_words_are_not_expanded(text, word):
    """The general layer (from the Meta-Inventory) listed 'sob' (shortness of breath), 'aids',
    'lad'... in lower case and 'Peg', 'Doe' capitalised too; the client-facing copy read 'began
    to shortness of breath' and 'Percutaneous endoscopic gastrostomy is her sister'."""
    result = expand(text)
    assert not [a for a in result.abbreviations if a.text == word]
    assert result.expanded_text == text


def test_the_capital_forms_are_still_expanded():
    found = {a.text: a.expansion for a in expand("Pt c/o SOB and DOE; hx of AIDS.").abbreviations}
    assert found["SOB"] == "shortness of breath" and "immune" in found["AIDS"]
    assert found["DOE"] == "dyspnea on exertion"


def test_the_expanded_copy_keeps_the_clients_quoted_words():
    text = 'Client texted "u wd never get it, my PCP is no help" and later called her PCP.'
    result = expand(text)
    assert '"u wd never get it, my PCP is no help"' in result.expanded_text
    assert result.expanded_text.endswith("called her primary care provider.")
    curly = expand("She said \u201cmy SO left\u201d; her SO attended later.").expanded_text
    assert "\u201cmy SO left\u201d" in curly and "her significant other attended" in curly


@pytest.mark.parametrize(("text", "expanded"), [
    ("Haloperidol 5mg given.", "Haloperidol 5 milligrams given."),
    ("Sertraline 1 mg; 1.0 mg; 0.5 mg; 1,000 mg.",
     "Sertraline 1 milligram; 1.0 milligram; 0.5 milligrams; 1,000 milligrams."),
    ("Slept 6 hrs; seen 3 wks ago; 1 wk to go.", "Slept 6 hours; seen 3 weeks ago; 1 week to go."),
    ("BP 120/80 mmHg.", "Blood pressure 120/80 millimeters of mercury."),
])
def test_units_after_numbers_read_as_english(text, expanded):
    assert expand(text).expanded_text == expanded


@pytest.mark.parametrize("text", [
    "As described by Linehan et al. (1993), skills training helps.",
    "Client wd not engage today.",
])
def test_latin_and_texting_words_are_not_expanded(text):
    assert expand(text).expanded_text == text


@pytest.mark.parametrize(("text", "expanded"), [
    ("DSM-IV criteria met.",
     "Diagnostic and Statistical Manual of Mental Disorders, Fourth Edition criteria met."),
    ("DSM-IV-TR criteria met.",
     "Diagnostic and Statistical Manual of Mental Disorders, Fourth Edition, Text Revision criteria met."),
    ("DSM-5-TR criteria met.",
     "Diagnostic and Statistical Manual of Mental Disorders, Fifth Edition, Text Revision criteria met."),
    ("Per the DSM, yes.", "Per the Diagnostic and Statistical Manual of Mental Disorders, yes."),
    # Written with a space, as dictations do: "IV" read "intravenous" (33 times in the
    # MTSamples dev notes), "DSM IV DIAGNOSES" became "DSM intravenous DIAGNOSES".
    ("DSM IV DIAGNOSES: deferred.",
     "Diagnostic and Statistical Manual of Mental Disorders, Fourth Edition DIAGNOSES: deferred."),
    ("Per DSM 5 criteria.",
     "Per Diagnostic and Statistical Manual of Mental Disorders, Fifth Edition criteria."),
    ("DSM IV-TR criteria met.",
     "Diagnostic and Statistical Manual of Mental Disorders, Fourth Edition, Text Revision criteria met."),
])
def test_each_dsm_edition_expands_to_itself(text, expanded):
    """DSM-IV, DSM-IV-TR and DSM-5-TR were variants of DSM-5: all read 'Fifth Edition'."""
    assert expand(text).expanded_text == expanded


@pytest.mark.parametrize("text", [
    "R/O bipolar II disorder.", "Class III obesity.", "Cluster B traits; Axis II deferred.",
])
def test_roman_numerals_in_names_stay(text):
    assert expand(text).expanded_text.endswith(text.split(" ", 1)[1])


@pytest.mark.parametrize(("text", "expanded"), [
    ("Errors on the CPT II were frequent.",
     "Errors on the Conners' Continuous Performance Test, Second Edition were frequent."),
    ("Administered the CPT-3.", "Administered the Conners' Continuous Performance Test, Third Edition."),
    ("Session 3 of CPT: reviewed stuck points.",
     "Session 3 of cognitive processing therapy: reviewed stuck points."),
])
def test_the_continuous_performance_test_editions_are_not_cognitive_processing_therapy(text, expanded):
    assert expand(text).expanded_text == expanded


def test_a_sense_the_source_cut_short_is_written_out():
    assert expand("TIBC 312.").expanded_text == "Total iron binding capacity 312."


def test_lower_case_od_is_an_overdose_here():
    assert expand("Hx of od in 2021.").expanded_text == "History of overdose in 2021."
    assert "right eye" in expand("Timolol 1 gtt od bid.").expanded_text


@pytest.mark.parametrize("text, written", [
    ("A&O x 3, calm and cooperative.", "A&O x 3"),
    ("Pt A&Ox 3 today.", "A&Ox 3"),
    ("Alert, A&O x4.", "A&O x4"),
    ("A & O, speech normal.", "A & O"),
])
def test_spellings_written_with_spaces_are_one_abbreviation(text, written):
    result = expand(text)
    (found,) = [a for a in result.abbreviations if a.start <= text.index(written) < a.end]
    assert (found.text, found.start) == (written, text.index(written))
    assert found.expansion.startswith("alert and oriented")
    assert "x 3" not in result.expanded_text and "A&O" not in result.expanded_text


def test_a_spaced_spelling_does_not_run_into_the_next_word_or_line():
    result = expand("A&O x 35 minutes; A&O\nx 3")
    assert [a.text for a in result.abbreviations] == ["A&O", "A&O"]


@pytest.mark.parametrize("text, written, expansion", [
    ("Started Ex/RP for contamination fears.", "Ex/RP", "exposure and response prevention"),
    ("Referred to PT/OT, then DBT.", "PT/OT", "physical therapy and occupational therapy"),
    ("N/V/D resolved since stopping the medication.", "N/V/D", "nausea, vomiting, and diarrhea"),
    ("U-tox negative today.", "U-tox", "urine toxicology"),
    ("Low back pain at L5-S1 per PCP.", "L5-S1", "lumbar 5 - sacral 1"),
    ("Seen with her supervisor, Jane Roe, Psy.D., today.", "Psy.D.", "Doctor of Psychology"),
    ("Completed tf-cbt module 3 (trauma narrative).", "tf-cbt", "trauma-focused cognitive behavioral therapy"),
    ("Started CBT-I. Next session in a week.", "CBT-I", "cognitive behavioral therapy for insomnia"),
])
def test_spellings_the_tokenizer_splits_are_one_abbreviation(text, written, expansion):
    """'Ex/RP' reaches the tokenizer as 'Ex' '/' 'RP'; the inventory spelling wins as a whole,
    and a sentence's own period is not taken into it."""
    result = expand(text)
    start = text.index(written)
    (found,) = [a for a in result.abbreviations if a.start <= start < a.end]
    assert (found.text, found.start, found.end) == (written, start, start + len(written))
    assert found.expansion == expansion


@pytest.mark.parametrize("text", ["Wrist x-ray was normal.", "X-RAY of the chest: clear."])
def test_hyphenated_english_words_are_not_abbreviations(text):
    assert expand(text).abbreviations == []


def test_a_slash_between_two_forms_still_reads_each():
    assert [a.text for a in expand("Denies SI/HI today.").abbreviations] == ["SI", "HI"]


def test_text_that_lower_cases_longer_does_not_hang_the_spaced_spelling_search():
    """"İ" lower-cases to two characters; the search for spaced spellings ("A&O x 3",
    "DSM IV") went through the lowered text with the original's offsets and, with an anchor
    beyond the original's end, never moved on (found by the property test)."""
    import threading

    out: list[str] = []
    worker = threading.Thread(target=lambda: out.append(expand("\u0130" * 8 + " A&O x 3. DSM IV.").expanded_text),
                              daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert not worker.is_alive(), "the expander did not return"
    assert out == ["\u0130" * 8 + " alert and oriented times three (person, place, and time). "
                   "Diagnostic and Statistical Manual of Mental Disorders, Fourth Edition."]
