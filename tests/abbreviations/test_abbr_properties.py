"""Properties over generated notes: expand() never raises, spans always point at their text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from abbreviations import build_pipeline, expand
from abbreviations.do_not_use import get_checker

PIECES = [
    "SI", "HI", "S.I.", "si", "MI", "ACT", "NA", "N/A", "ED", "LOC", "DC", "D/C'd", "DC'd", "PT", "pt",
    "Pt.", "SA", "CPT", "PE", "SSRIs", "PCP's", "s/p", "c/o", "w/o", "w/", "f/u", "A&Ox4", "PHQ-9",
    "GAD-7=9", "C-SSRS", "b.i.d.", "qd", "QOD", "U", "u", "IU", "cc", "µg", "x3d", "@", ">", "<",
    "5.0 mg", ".5 mg", "0.5 mg", "10mg", "MS", "MSO4", "per os", "sub q", "OD", "AS", "IN", "you",
    "(", ")", ".", ",", ";", ":", "\n", "\n\n", " ", "  ", "\t", "acceptance and commitment therapy",
    "motivational interviewing", "denies", "plan", "mg", "daily", "2026-11-26", "10:30", "7/10",
    "é", "😀", "Ω", "\u200d", "ﬁ", "İ", "'", "’", "-", "/", "&",
]
notes = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=40).map(
    lambda parts: "".join(p if i % 2 else p + " " for i, p in enumerate(parts)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notes)
def test_expand_never_raises_and_spans_match_text(text):
    result = expand(text)
    for abbreviation in result.abbreviations:
        assert 0 <= abbreviation.start < abbreviation.end <= len(text)
        assert text[abbreviation.start:abbreviation.end] == abbreviation.text
        assert 0.0 <= abbreviation.confidence <= 1.0
    for hit in result.do_not_use:
        assert text[hit.start:hit.end] == hit.text
    starts = [a.start for a in result.abbreviations]
    assert starts == sorted(starts)
    # text between abbreviations is copied unchanged
    pieces = []
    cursor = 0
    for span in result.expanded_spans:
        pieces.append(result.expanded_text[cursor:span.start])
        cursor = span.end
    pieces.append(result.expanded_text[cursor:])
    kept = []
    cursor = 0
    for span in result.expanded_spans:
        kept.append(text[cursor:span.abbreviation.start])
        cursor = span.abbreviation.end
    kept.append(text[cursor:])
    assert pieces == kept


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notes)
def test_fast_do_not_use_path_equals_the_reference(text):
    doc = build_pipeline()(text)
    assert doc._.do_not_use == get_checker().find(text)
