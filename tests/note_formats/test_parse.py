import csv
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from note_formats import FREE_TEXT, builtin_formats, detect_format, parse_note
from tests.conftest import shared_file


def keys(note):
    return [s.key for s in note.sections]


@pytest.mark.parametrize("heading", [
    "## Subjective\n", "Subjective:", "S:", "SUBJECTIVE:", "**Subjective:**", "Subj:", "Subjective -",
    "# subjective\n", "  Subjective:",
])
def test_heading_styles(heading):
    text = f"{heading} Client reported low mood.\nO: Affect flat.\nA: Improving.\nP: Next session in 1 week.\n"
    note = parse_note(text)
    assert note.format == "soap"
    assert keys(note) == ["subjective", "objective", "assessment", "plan"]
    assert note.body("subjective").strip() == "Client reported low mood."


def test_offsets_point_into_the_original_text():
    text = "Client: A. Q.\n\nBehavior: arrived late\nIntervention: used MI\nResponse: engaged\nPlan: weekly\n"
    note = parse_note(text)
    assert note.format == "birp"
    assert note.preamble == "Client: A. Q.\n\n"
    intervention = note.section("intervention")
    assert text[intervention.start:intervention.body_start] == "Intervention: "
    assert intervention.body(text) == "used MI\n"


def test_prose_starting_with_a_heading_word_is_not_a_heading():
    text = "Subjective: ok\nObjective: ok\nPlan to meet weekly was discussed.\nAssessment: fine\n"
    note = parse_note(text)
    assert keys(note) == ["subjective", "objective", "assessment"]
    assert "Plan to meet weekly" in note.body("objective")


def test_bare_single_letter_line_is_not_a_heading():
    note = parse_note("Subjective: x\nObjective: y\nA\nsomething\n")
    assert keys(note) == ["subjective", "objective"]


def test_yaml_front_matter_is_read_and_kept_out_of_sections():
    text = ("---\nclient: Jordan Ellis\ndate: 2026-11-20\nstart: 10:00\nend: '10:53'\ncpt: 90837\n"
            "diagnosis: F41.0 Panic disorder\n---\nData: reported panic\nAssessment: better\nPlan: weekly\n")
    note = parse_note(text)
    assert note.format == "dap"
    assert note.header.client == "Jordan Ellis"
    assert note.header.date == dt.date(2026, 11, 20)
    assert note.header.start == dt.time(10, 0)
    assert note.header.minutes == 53
    assert note.header.cpt == "90837"
    assert note.header.diagnosis == ["F41.0"]
    assert text[: note.front_matter_end].endswith("---\n")
    assert note.reconstruct() == text


def test_toml_front_matter_and_format_override():
    text = '+++\nformat = "girp"\ndate = 2026-11-20\n+++\nGoal: reduce panic\nPlan: continue\n'
    note = parse_note(text)
    assert note.format == "girp"
    assert note.header.date == dt.date(2026, 11, 20)
    assert keys(note) == ["goal", "plan"]


def test_bad_front_matter_is_a_problem_not_a_crash():
    text = "---\nclient: [unclosed\n---\nS: x\nO: y\n"
    note = parse_note(text)
    assert note.problems and "front matter is not valid YAML" in note.problems[0]
    assert note.reconstruct() == text


def test_unreadable_header_values_are_reported():
    note = parse_note("Date: yesterday-ish\nStart: 25:99\nS: x\nO: y\n")
    assert any("date" in p.lower() for p in note.problems)
    assert any("time" in p.lower() for p in note.problems)


def test_inline_header_lines_are_metadata():
    note = parse_note("Date of service: 11/20/2026\nStart time: 2:00 PM\nEnd time: 2:50 PM\nCPT: 90834\nS: x\nO: y\n")
    assert note.header.date == dt.date(2026, 11, 20)
    assert note.header.minutes == 50
    assert note.header.cpt == "90834"


def test_text_without_headings_is_free_text():
    text = "Met with client for 50 minutes. Discussed sleep.\n"
    note = parse_note(text)
    assert note.format == FREE_TEXT
    assert note.sections == []
    assert note.preamble == text


def test_detection_prefers_the_format_whose_headings_are_used():
    assert detect_format("Behavior: a\nIntervention: b\nResponse: c\nPlan: d") == "birp"
    assert detect_format("Goal: a\nIntervention: b\nResponse: c\nPlan: d") == "girp"
    assert detect_format("Problem: a\nIntervention: b\nResponse: c\nPlan: d") == "pirp"
    assert detect_format("Data: a\nAssessment: b\nPlan: c") == "dap"


def test_repeated_headings_keep_both_sections():
    text = "S: one\nO: two\nS: three\n"
    note = parse_note(text)
    assert keys(note) == ["subjective", "objective", "subjective"]
    assert note.body("subjective") == "one\n\nthree\n"


def test_forced_unknown_format_raises_format_error():
    from note_formats import FormatError

    with pytest.raises(FormatError):
        parse_note("S: x", format="nope")


HEADINGS = st.sampled_from(["S:", "Subjective:", "## Plan", "O: ", "Assessment", "---\n", "+++\n",
                            "Date: 2026-01-01\n", "**Plan:**", "\r\n", "\n", "P:", "Data:"])


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.text(max_size=40), HEADINGS), max_size=20).map("".join))
def test_parse_never_raises_and_reconstructs_exactly(text):
    note = parse_note(text)
    assert note.reconstruct() == text
    position = note.front_matter_end
    assert note.preamble_end >= position
    position = note.preamble_end
    for section in note.sections:
        assert section.start == position
        assert section.start <= section.body_start <= section.end
        position = section.end
    assert position == len(text)


def test_every_mtsamples_note_parses():
    path = shared_file("data", "mtsamples_psych_soap", "mtsamples_psych_soap.csv")
    csv.field_size_limit(10**8)
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) > 200
    formats = set()
    for row in rows:
        text = row["transcription"]
        note = parse_note(text)
        assert note.reconstruct() == text
        formats.add(note.format)
    assert "soap" in formats


_HEADING_PIECES = ["Subjective:", "S:", "## Plan", "**Assessment:**", "Plan to meet", "\n", "\r\n", " ", "\t",
                   "Data -", "Behavior", "x", "Goal:", "Intervention: ", "P:", "---\n", "A: "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_HEADING_PIECES), max_size=30).map("".join), st.integers(0, 40))
def test_heading_search_at_line_starts_equals_a_full_scan(text, start):
    """Headings are looked for only where lines begin; that finds what scanning every
    position finds, from any starting offset."""
    from note_formats.parse import _at_line_starts, _heading_pattern

    start = min(start, len(text))
    for fmt in builtin_formats().values():
        pattern, _ = _heading_pattern(fmt)
        assert [m.span() for m in _at_line_starts(pattern, text, start)] == [
            m.span() for m in pattern.finditer(text, start)]


@settings(max_examples=200, deadline=None)
@given(pieces=st.lists(st.sampled_from(["S: ", "Subjective:\n", "O: ", "## Assessment\n", "Plan:\n",
                                        "text ", "more words\n", "\n", "**Data:** ", "B: "]),
                       max_size=25))
def test_section_at_is_the_section_whose_span_holds_the_offset(pieces):
    text = "".join(pieces)
    parsed = parse_note(text)
    for offset in range(len(text) + 1):
        linear = next((s for s in parsed.sections if s.start <= offset < s.end), None)
        assert parsed.section_at(offset) is linear


def test_section_at_does_not_walk_the_sections_for_each_offset():
    """A note of 13,000 headings took 10 s when each finding's section was looked for from
    the first section."""

    class Counted(list):
        seen = 0

        def __iter__(self):
            for item in super().__iter__():
                Counted.seen += 1
                yield item

    text = "S: ok\n" * 2_000
    parsed = parse_note(text)
    parsed.sections = Counted(parsed.sections)
    found = [parsed.section_at(offset) for offset in range(0, len(text), 6)]
    assert [s.start for s in found] == [s.start for s in parsed.sections]
    assert Counted.seen < 10 * len(parsed.sections)  # from the first each time: ~4,000,000
