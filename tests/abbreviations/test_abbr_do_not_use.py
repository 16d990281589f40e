"""Do-Not-Use and ISMP rules: every rule fires on its case, hard negatives stay quiet."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from abbreviations import build_pipeline
from abbreviations.do_not_use import DoNotUseChecker, get_checker, load_rules
from abbreviations.schema import DoNotUseRule

# "[[text|RULE-ID]]" marks an expected hit; every other part of the sentence must stay quiet.
POSITIVES = [
    "Insulin glargine 10 [[U|DNU-U]] at bedtime.",
    "Give 4[[u|DNU-U]] regular insulin.",
    "Insulin given in room 4: 6 [[U|DNU-U]] before lunch.",
    "Vitamin D 1000 [[IU|DNU-IU]] daily.",
    "Sertraline 50 mg [[QD|DNU-QD]].",
    "Lithium 300 mg [[q.d.|DNU-QD]] with food.",
    "Aripiprazole 5 mg [[qod|DNU-QOD]] for two weeks.",
    "Changed to [[Q.O.D.|DNU-QOD]] dosing.",
    "Haloperidol [[5.0 mg|DNU-TRAILING-ZERO]] IM.",
    "Lorazepam [[1.0 mg|DNU-TRAILING-ZERO]] prn.",
    "Clonazepam [[.5 mg|DNU-LEADING-ZERO]] twice daily.",
    "[[MS|DNU-MS]] 4 mg IV q4h prn pain.",
    "[[MSO4|DNU-MSO4]] listed on discharge medications.",
    "[[MgSO4|DNU-MGSO4]] infusion in pregnancy.",
    "Liquid haloperidol 2 [[cc|ISMP-CC]].",
    "B12 500 [[ug|ISMP-MICROGRAM]] daily.",
    "Fentanyl 25 [[µg|ISMP-MICROGRAM]]/hr patch.",
    "Trazodone 50 mg [[qhs|ISMP-QHS]] for sleep.",
    "Mirtazapine 15 mg [[HS|ISMP-HS]].",
    "Plan: [[D/C|ISMP-D-SLASH-C]] sertraline.",
    "Client was [[D/C'd|ISMP-D-SLASH-C]] from the unit.",
    "Sertraline [[DC'd|ISMP-D-SLASH-C]] last week.",
    "Prescriber will [[DC|ISMP-DC]] the medication.",
    "Enoxaparin 40 mg [[SC|ISMP-SC]] daily.",
    "Heparin 5000 units [[sub q|ISMP-SQ]] q8h.",
    "Naltrexone [[SQ|ISMP-SQ]] monthly.",
    "Amoxicillin tid [[x7d|ISMP-X-DAYS]].",
    "Prednisone taper [[x 5d|ISMP-X-DAYS]].",
    "Take 1 tab [[@|ISMP-AT]] bedtime.",
    "Do not exceed [[> 40 mg|ISMP-GT]] daily.",
    "Keep caffeine [[<200 mg|ISMP-LT]] per day.",
    "Interferon [[TIW|ISMP-TIW]].",
    "Folic acid [[BIW|ISMP-BIW]].",
    "Naloxone 4 mg [[IN|ISMP-IN]] given by EMS.",
    "Aspirin 81 mg [[per os|ISMP-PER-OS]] daily.",
    "Timolol 1 gtt [[OD|ISMP-OD]] bid.",
    "Latanoprost 1 drop [[OS|ISMP-OS]] nightly.",
    "Artificial tears 1 drop [[OU|ISMP-OU]] prn.",
    "Otic drops 3 drops [[AD|ISMP-AD]] bid.",
    "Ear drops 2 gtts [[AS|ISMP-AS]] tid.",
    "Ear drops 3 drops [[AU|ISMP-AU]] nightly.",
    "Haloperidol decanoate 50 mg [[IJ|ISMP-IJ]] monthly.",
    "Cream 1 application [[UD|ISMP-UD]] bid.",
    "Insulin 2 units [[ss|ISMP-SS]] with meals.",
    "Lisinopril 10 mg [[q1d|ISMP-Q1D]].",
    "Melatonin 3 mg [[qn|ISMP-QN]].",
    "Zolpidem 5 mg [[BT|ISMP-BT]] prn.",
    "Sertraline [[100mg|ISMP-DOSE-UNIT-SPACING]] daily.",
    "Continue [[Inderal40 mg|ISMP-NAME-DOSE-SPACING]] bid.",
    "[[CPZ|ISMP-CPZ]] 25 mg prn nausea.",
    "[[HCT|ISMP-HCT]] 10 mg po daily.",
    "[[HCTZ|ISMP-HCTZ]] 25 mg daily.",
    "Rheumatology manages [[MTX|ISMP-MTX]].",
    "[[PTU|ISMP-PTU]] started.",
    "Regimen included [[AZT|ISMP-AZT]].",
    "[[ZnSO4|ISMP-ZNSO4]] 220 mg daily.",
    "[[APAP|ISMP-APAP]] 500 mg prn headache.",
    "Lithium level was 1.0 mEq/L, so lithium [[300.0 mg|DNU-TRAILING-ZERO]] stays.",
    "KCl [[20.0 mEq|DNU-TRAILING-ZERO]] PO daily.",
    "Lorazepam [[2.0 mg|DNU-TRAILING-ZERO]]/mL oral concentrate, 0.5 mL prn.",
    "Insulin 10 [[U|DNU-U]] at bedtime, per street clinic.",
    "Timolol 1 gtt [[OD|ISMP-OD]] nightly.",
    "Takes 1 [[OD|ISMP-OD]].",
]

HARD_NEGATIVES = [
    "Room 4U was used for group today; she waited in ward 10 U.",
    "Client said you were right; see u next week.",
    "Client moved from the U.S. to Canada and misses you.",
    "PHQ-9 of 12 today, GAD-7 = 9; rated mood 7/10 and anxiety 5 out of 10.",
    "Sertraline 0.5 mg trial discussed; clonazepam 10 mg total daily reviewed.",
    "Session started at 10:30 and ended at 11:20; next appointment 2026-11-26 at 2pm.",
    "GPA improved to 3.0; version 2.0 of the worksheet used; scored 1.0 on the subscale.",
    "History of MS diagnosed in 2015, followed by neurology.",
    "MS: alert, oriented, cooperative; thought process linear.",
    "CC: anxiety and poor sleep for 3 weeks.",
    "cc: Dr. Patel (copy of letter).",
    "Client graduated HS in 2019 and started college.",
    "Client moved to Washington DC for work.",
    "Client is from SC and moved here last year.",
    "A&Ox3, denies SI/HI, x3 sessions completed, exercise x 3 days per week.",
    "Email the worksheet to client@example.com or @sunny_days.",
    "PHQ-9 >10 indicates moderate symptoms; GAD-7 <5 is minimal.",
    "Client came IN person. TAKES 50 MG IN THE MORNING PER CLIENT.",
    "Hx of OD in 2021; denies current SI.",
    "AD symptoms discussed with the family. SAME AS BEFORE.",
    "Applied for SS disability last month.",
    "Apartment is 700 sq ft and feels crowded.",
    "HCT and hemoglobin were normal on labs.",
    "Client reports BT tunes help her relax.",
    "Denies SI; PHQ-9 = 4.0; sertraline 50 mg daily at bedtime.",
    "Lithium 300 mg TID; level 1.0 mEq/L on 11/20. Serum level drawn: 1.0 mmol/L.",
    "Hemoglobin 12.0 g/dL, glucose 90.0 mg/dL, sodium 140.0 mmol/L on the PCP's labs.",
    "Lives at 1400 U Street with roommates; sister lives on 16 U St.",
    "Overdose in 2021 (intentional OD on sertraline 100 mg).",
]


def parse(marked: str) -> tuple[str, set[tuple[str, int, int, str]]]:
    text, expected, position = "", set(), 0
    for match in re.finditer(r"\[\[(.+?)\|([A-Z0-9-]+)\]\]", marked):
        text += marked[position:match.start()]
        start = len(text)
        text += match.group(1)
        expected.add((match.group(2), start, len(text), match.group(1)))
        position = match.end()
    return text + marked[position:], expected


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline()


def found(nlp, text: str) -> set[tuple[str, int, int, str]]:
    return {(h.rule_id, h.start, h.end, h.text) for h in nlp(text)._.do_not_use}


@pytest.mark.parametrize("marked", POSITIVES)
def test_positive_cases_give_exactly_the_marked_hits(nlp, marked):
    text, expected = parse(marked)
    assert found(nlp, text) == expected


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_hard_negatives_give_nothing(nlp, text):
    assert found(nlp, text) == set()


def test_one_spot_can_break_two_rules(nlp):
    hits = {(h.rule_id, h.text) for h in nlp("Lorazepam 1.0mg prn.")._.do_not_use}
    assert hits == {("DNU-TRAILING-ZERO", "1.0mg"), ("ISMP-DOSE-UNIT-SPACING", "1.0mg")}


def test_every_rule_has_a_positive_case():
    covered = {rule for marked in POSITIVES for rule, *_ in parse(marked)[1]}
    assert covered == {rule.id for rule in load_rules()}


def test_rules_are_well_formed():
    rules = load_rules()
    assert len({r.id for r in rules}) == len(rules)
    assert {r.severity for r in rules if r.source == "TJC"} == {"error"}
    assert {r.severity for r in rules if r.source == "ISMP"} == {"warning"}
    tjc = {r.id for r in rules if r.source == "TJC"}
    assert tjc >= {"DNU-U", "DNU-IU", "DNU-QD", "DNU-QOD", "DNU-TRAILING-ZERO", "DNU-LEADING-ZERO",
                   "DNU-MS", "DNU-MSO4", "DNU-MGSO4"}


@pytest.mark.parametrize(
    ("marked", "replacement"),
    [
        ("Haloperidol [[5.0 mg|DNU-TRAILING-ZERO]] IM.", "5 mg"),
        ("Clonazepam [[.5 mg|DNU-LEADING-ZERO]] twice daily.", "0.5 mg"),
        ("Prednisone taper [[x 5d|ISMP-X-DAYS]].", "for 5 days"),
        ("Sertraline 50 mg [[QD|DNU-QD]].", "daily"),
        ("Liquid haloperidol 2 [[cc|ISMP-CC]].", "mL"),
        ("Sertraline [[100mg|ISMP-DOSE-UNIT-SPACING]] daily.", "100 mg"),
    ],
)
def test_replacements(nlp, marked, replacement):
    text, _ = parse(marked)
    (hit,) = nlp(text)._.do_not_use
    assert hit.replacement == replacement
    assert hit.message and hit.message != replacement


def test_doc_path_agrees_with_text_path(nlp):
    checker = get_checker()
    for marked in POSITIVES + HARD_NEGATIVES:
        text, _ = parse(marked)
        assert checker.find_in_doc(nlp(text)) == checker.find(text), text


def test_rules_can_be_switched_off():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("abbreviations_do_not_use", config={"exclude_rules": "ISMP-DOSE-UNIT-SPACING, DNU-QD"})
    doc = nlp("Sertraline 100mg qd.")
    assert doc._.do_not_use == []


def test_bad_rule_is_refused():
    with pytest.raises(ValueError, match="trigger"):
        DoNotUseRule(id="ISMP-X", source="ISMP", severity="warning", regex="x",
                     message="something wrong here", replacement="y")
    with pytest.raises(ValueError, match="severity"):
        DoNotUseRule(id="DNU-X", source="TJC", severity="warning", forms=["X"],
                     message="something wrong here", replacement="y")
    with pytest.raises(ValueError, match="exactly one"):
        DoNotUseRule(id="DNU-X", source="TJC", severity="error",
                     message="something wrong here", replacement="y")


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="abXY19.- ", max_size=30))
def test_name_dose_trigger_fires_where_the_unguarded_one_did(text):
    """The name-dose-spacing trigger is tried only where a run of letters begins (else a long
    run of letters was quadratic); it must fire on exactly the same tokens."""
    rule = next(r for r in get_checker().rules if r.id == "ISMP-NAME-DOSE-SPACING")
    plain = re.compile(r"[A-Za-z]{4,}\d")
    assert bool(re.search(rule.trigger, text)) == bool(plain.search(text))


_TOKENISH = st.text(alphabet="aAqQxXuUdDoOsSiIcCmMgLhH.0123456789'’/@<>-& ", min_size=1, max_size=10)


@settings(max_examples=1000, deadline=None)
@given(token=_TOKENISH)
def test_the_one_pass_gate_agrees_with_the_rules_one_by_one(token):
    """A token is worth a look exactly when some rule's own test matches it (the gate merges
    the form rules behind one guard)."""
    checker = get_checker()
    assert bool(checker._any.search(token)) == any(t.search(token) for t in checker._token_tests)


@pytest.mark.parametrize("token", ["10U", "u", "IU", "q.d.", "QOD", "MS", "x3", "q1d", "@", ".5", "5.0",
                                   "Inderal40", "D/C'd", "cc", "µg"])
def test_the_gate_lets_each_rules_spellings_through(token):
    assert get_checker()._any.search(token)
