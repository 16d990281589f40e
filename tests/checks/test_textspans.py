"""Shared text helpers: the fast-regex gate never changes a result; phrase lookup; stems."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from note_assistant.checks import documentation, risk, stigmatizing
from note_assistant.checks.plan_vocab import vocabulary
from note_assistant.checks.textspans import FastPattern, TermIndex, quoted_spans, stem

PIECES = ["SI", "HI", "denies ", "cutting ", "refused ", "meds", "claims ", "she ", "no ", "gun",
          "risk low", "C-SSRS", "Signed: ", "LCSW", " ", ".", "\n", "x", "Clean ", "UDS ", "abuse",
          "substance ", "suicidal ", "kill myself", "safety plan", "30 min", "psychotherapy "]
texts = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


def all_patterns() -> list[FastPattern]:
    found = [p for _, p, _, _ in risk.compiled().terms] + risk.compiled().denials + risk.compiled().levels
    found += [t.pattern for t in stigmatizing.terms()]
    c = documentation.compiled()
    found += [c.long_time, c.long_reason, c.signature, c.platform, c.location, c.response, c.necessity]
    return found


@settings(max_examples=150, deadline=None)
@given(texts)
def test_the_gate_never_changes_what_a_pattern_finds(text):
    for pattern in all_patterns():
        assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in pattern.re.finditer(text)]
        mid = len(text) // 3
        fast, slow = pattern.search(text, mid, mid + 12), pattern.re.search(text, mid, mid + 12)
        assert (fast and fast.span()) == (slow and slow.span())


def test_gates_are_derived_for_literal_patterns_and_absent_otherwise():
    assert FastPattern("refus(?:ed|al)", re.I)._gates == [("refus", True)]
    assert FastPattern(r"\d+ min")._gates is None
    case = FastPattern(r"(?:passive\s+)?SI|HI")
    assert set(case._gates) == {("passive", False), ("SI", False), ("HI", False)}


def test_term_index_matches_whole_words_and_acronym_case():
    index = TermIndex(["role play", "MI", "cognitive restructuring"])
    text = "Role-play and MI; mi casa; cognitive  restructuring; roleplay"
    assert [text[s:e] for s, e, _ in index.find(text)] == ["Role-play", "MI", "cognitive  restructuring"]


def test_stems_join_inflections():
    assert stem("socializing") == stem("socialize") == stem("social") == stem("socially")
    assert stem("attended") == stem("attends") == stem("attending")
    assert stem("stress") == "stress" and stem("class") == "class"


def test_concepts_match_number_forms_but_not_stems_of_single_words():
    vocab = vocabulary()
    assert "@in-vivo" in vocab.features("one exposure a day")      # "exposures" in the data
    assert "@body-checking" not in vocab.features("monthly check")  # "checking" is not "check"
    assert vocab.features("drank NA beer")["@non-alcoholic"]          # not NA meetings
    assert "@recovery-meetings" not in vocab.features("drank NA beer")
    assert "@recovery-meetings" in vocab.features("went to NA twice")


def test_quoted_spans_skip_apostrophes():
    text = "Client said, 'I'm an addict' and \"never again\"; it's the client's call."
    assert [text[s:e] for s, e in quoted_spans(text)] == ["'I'm an addict'", '"never again"']
