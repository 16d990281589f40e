"""note_assistant_sentences: abbreviation periods, lines, bullets and sections."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
import spacy

from note_assistant.nlp.components.sentences import SentenceSplitter, SentenceRules, sentence_starts


def _sentences(text: str, sections=()) -> list[str]:
    starts = sentence_starts(text, sections)
    ends = starts[1:] + [len(text)]
    return [text[a:b].strip() for a, b in zip(starts, ends) if text[a:b].strip()]


def test_abbreviation_periods_do_not_end_sentences() -> None:
    text = ("Pt. reports low mood. Dr. Smith called about meds. Sertraline 50 mg b.i.d. was "
            "continued. Uses coping skills, e.g. Breathing, daily. Mrs. Lee attended.")
    assert _sentences(text) == [
        "Pt. reports low mood.",
        "Dr. Smith called about meds.",
        "Sertraline 50 mg b.i.d. was continued.",
        "Uses coping skills, e.g. Breathing, daily.",
        "Mrs. Lee attended.",
    ]


def test_capitalised_pt_abbreviation_but_lowercase_pt_at_sentence_end() -> None:
    assert _sentences("Pt. Reports nightmares.") == ["Pt. Reports nightmares."]
    assert _sentences("Reviewed safety plan with pt. Will follow up Friday.") == [
        "Reviewed safety plan with pt.", "Will follow up Friday."]


def test_initials_and_times() -> None:
    assert _sentences("J. Smith is her PCP. Session ended at 3 p.m. Client left.") == [
        "J. Smith is her PCP.", "Session ended at 3 p.m.", "Client left."]


def test_question_marks_quotes_and_decimals() -> None:
    text = 'Client said, "I can\'t sleep." She takes 2.5 mg. Is it working? Unclear.'
    assert _sentences(text) == [
        'Client said, "I can\'t sleep."', "She takes 2.5 mg.", "Is it working?", "Unclear."]


def test_lines_and_bullets_are_boundaries_but_hard_wraps_are_not() -> None:
    text = ("Mood low\n- slept 4 hours\n- appetite poor\n\nClient described feeling stuck at\n"
            "work and at home.\n* Plan reviewed")
    assert _sentences(text) == [
        "Mood low", "- slept 4 hours", "- appetite poor",
        "Client described feeling stuck at\nwork and at home.", "* Plan reviewed"]


def test_section_boundaries_split_without_punctuation() -> None:
    text = "Subjective: reports poor sleep Assessment: mood improving"
    body1, body2 = text.index("reports"), text.index("mood")
    sections = [(body1, text.index("Assessment"), "subjective"), (body2, len(text), "assessment")]
    assert _sentences(text, sections) == ["Subjective:", "reports poor sleep", "Assessment:",
                                          "mood improving"]


def test_custom_rules_change_behaviour() -> None:
    splitter = SentenceSplitter(SentenceRules(never_split=[], initials=False))
    assert splitter.starts("See Dr. Smith today.") == [0, 8]


def test_component_sets_sentence_starts_in_blank_pipeline() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("note_assistant_sentences")
    doc = nlp("Pt. reports low mood. Dr. Smith called.\nI felt tired.")
    assert [s.text.strip() for s in doc.sents] == [
        "Pt. reports low mood.", "Dr. Smith called.", "I felt tired."]


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=".!?x \"')\u201d\n", max_size=40))
def test_sentence_end_pattern_finds_what_the_unguarded_one_did(text):
    """The sentence-end pattern is tried only where a run of marks begins (else a long run of
    periods was quadratic); it must find exactly what the plain pattern found."""
    import re

    from note_assistant.nlp.components.sentences import _END

    plain = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s)")
    assert [m.span() for m in _END.finditer(text)] == [m.span() for m in plain.finditer(text)]
