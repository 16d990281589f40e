"""Shared text helpers: the fast-regex gate never changes a result; phrase lookup; stems."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from note_assistant.checks import documentation, risk, stigmatizing
from note_assistant.checks.plan_vocab import vocabulary
from note_assistant.checks.textspans import TOKEN, FastPattern, TermIndex, quoted_spans, stem

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


LONG_PIECES = PIECES + ["\u017fuicidal ", "\u212aill myself ", "\u0130", "\u2019", "client's ", "take her life ",
                        "self-harm ", "a borderline ", "not compliant ", "pt. ", "5 out of 10 "]
long_texts = st.lists(st.sampled_from(LONG_PIECES), min_size=40, max_size=160).map("".join)


@settings(max_examples=120, deadline=None)
@given(long_texts, st.integers(0, 400), st.integers(0, 400))
def test_word_start_scanning_finds_what_the_regex_finds_in_long_texts(text, pos, width):
    """Notes over 200 characters are scanned only at word starts holding a gate literal; that
    must find exactly what the regex finds, over any range and with case-folding characters."""
    for pattern in all_patterns():
        assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in pattern.re.finditer(text)]
        fast, slow = pattern.search(text, pos, pos + width), pattern.re.search(text, pos, pos + width)
        assert (fast and fast.span()) == (slow and slow.span())
        assert [m.span() for m in pattern.finditer(text, pos)] == [m.span() for m in pattern.re.finditer(text, pos)]


def test_word_start_scanning_is_used_for_whole_word_patterns_with_few_gates():
    pattern = risk.compiled().terms[0][1]
    assert pattern._word_gates
    text = "Client reports passive suicidal ideation without plan. " * 8
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in pattern.re.finditer(text)]
    assert len(list(pattern.finditer(text))) == 8


def test_gates_are_derived_for_literal_patterns_and_absent_otherwise():
    assert sorted(FastPattern("refus(?:ed|al)", re.I)._gates) == [("refusal", True), ("refused", True)]
    assert FastPattern(r"\d+ min")._gates is None
    case = FastPattern(r"(?:passive\s+)?SI|HI")
    assert set(case._gates) == {("passive", False), ("SI", False), ("HI", False)}


def test_required_literals_are_derived_from_any_part_of_the_pattern():
    assert FastPattern(r"(?:a|the|is\s+a)\s+borderline", re.I)._required == [("borderline", True)]
    assert FastPattern(r"(?:kill|hurt)\s+(?:him|her)", re.I)._required == [("hurt", True), ("kill", True)]
    assert FastPattern(r"\d+\s+min")._required == [("min", False)]
    assert FastPattern(r"\d+\s*(?:mg|ml)")._required is None  # too short to be worth a check
    label = FastPattern(r"(?<![A-Za-z0-9])(?:(?:a|the)\s+borderline)(?![A-Za-z0-9])", re.I)
    text = "Client is a kind and thoughtful person; the plan is the same as last week. " * 5
    assert label.search(text) is None and list(label.finditer(text)) == []
    assert label.search(text + "She has been called a Borderline.").group(0) == "a Borderline"


def test_term_index_matches_whole_words_and_acronym_case():
    index = TermIndex(["role play", "MI", "cognitive restructuring"])
    text = "Role-play and MI; mi casa; cognitive  restructuring; roleplay"
    assert [text[s:e] for s, e, _ in index.find(text)] == ["Role-play", "MI", "cognitive  restructuring"]


def _reference_find(index: TermIndex, text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The plain token-by-token definition the fast lookup must agree with."""
    tokens = list(TOKEN.finditer(text, start, end))
    words = [t.group(0) for t in tokens]
    lowers = [w.lower() for w in words]
    found, i = [], 0
    while i < len(tokens):
        step = 1
        for size in index.sizes.get(lowers[i], ()):
            if size > len(tokens) - i:
                continue
            term = index.loose.get(" ".join(lowers[i:i + size])) or index.strict.get(" ".join(words[i:i + size]))
            if term:
                found.append((tokens[i].start(), tokens[i + size - 1].end(), term))
                step = size
                break
        i += step
    return found


TERM_PIECES = ["role play", "Role-play ", "MI ", "mi ", "CBT", "cognitive ", "restructuring ", "DBT skills ",
               "\u0130", "client's ", ". ", "\n", "x", "motivational interviewing ", "ACT ", "o'", "'s ",
               "\u212a", "role", "play", "-", "clients ", "dbt "]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TERM_PIECES), max_size=40).map("".join), st.integers(0, 60), st.integers(0, 400))
def test_term_index_agrees_with_the_token_by_token_definition(text, start, width):
    index = TermIndex(["role play", "MI", "cognitive restructuring", "CBT", "DBT skills", "DBT",
                       "motivational interviewing", "ACT", "client"])
    end = min(len(text), start + width)
    start = min(start, end)
    expected = _reference_find(index, text, start, end)
    assert index.find(text, start, end) == expected
    assert index.search(text, start, end) == (expected[0] if expected else None)


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
