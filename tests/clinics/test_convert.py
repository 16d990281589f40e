"""Converting notes between SOAP, BIRP, DAP, GIRP and PIRP through the section roles."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from clinics_support import BIRP_NOTE, SOAP_NOTE, run

from note_formats import FormatError, parse_note
from note_formats.convert import convert_note

FORMATS = ["soap", "birp", "dap", "girp", "pirp"]

NOTES = {
    "soap": SOAP_NOTE,
    "birp": BIRP_NOTE,
    "dap": (
        "Date: 2026-11-23\n\n**Data:** Client reported drinking on 2 of 7 days and attended one AA meeting.\n"
        "Alert, cooperative, euthymic.\n\n**Assessment:** Progress toward objective 2.1; risk low.\n\n"
        "**Plan:** Attend two meetings this week; next session 12/04.\n"
    ),
    "girp": (
        "Goal: Objective 1.2, reduce panic attacks from five to one per week.\n"
        "Intervention: Taught paced breathing and began an exposure hierarchy.\n"
        "Response: Practised breathing; anxiety fell from 6/10 to 3/10.\n"
        "Plan: Breathing twice daily; next session in one week.\n"
    ),
    "pirp": (
        "PROBLEM: Conflict with partner, two arguments this week that escalated to shouting.\n"
        "INTERVENTION: Role-played the time-out protocol and practised I-statements.\n"
        "RESPONSE: Used two I-statements in role-play and agreed to try a time-out at home.\n"
        "PLAN: Joint session in two weeks.\n"
    ),
}


def words(text: str) -> list[str]:
    """The note's words, headings and the Format header left out."""
    headings = r"(?im)^[ \t#*]*(?:subjective|objective|assessment|plan|behavior|intervention|response|goal|problem|data|unmapped \([^)]*\))[*:]*[ \t]*"
    text = re.sub(headings, " ", text)
    text = re.sub(r"(?im)^format:.*$", " ", text)
    return sorted(re.findall(r"[\w/.+=-]+", text))


def test_soap_to_birp_maps_by_role_and_keeps_the_assessment() -> None:
    result = convert_note(SOAP_NOTE, "birp")
    mapping = {m.source: m.target for m in result.mapping}
    assert mapping == {"subjective": "behavior", "objective": "behavior", "assessment": None, "plan": "plan"}
    assert [m.source_title for m in result.unmapped] == ["Assessment"]
    assert result.empty == ["intervention", "response"]
    parsed = parse_note(result.text, format="birp")
    behavior = parsed.body("behavior")
    assert "low mood most days" in behavior and "PHQ-9 = 16" in behavior  # Objective -> Behavior
    assert "Unmapped (SOAP Assessment):" in result.text
    assert "partial progress toward objective 1" in result.text.split("Unmapped (SOAP Assessment):")[1]
    assert result.text.startswith("Client: Avery Quinn\nDate: 2026-11-20\n")  # header kept
    assert result.warnings == []


@pytest.mark.parametrize(("source", "target"), list(itertools.permutations(FORMATS, 2)))
def test_conversion_round_trips_keep_all_text(source: str, target: str) -> None:
    original = NOTES[source]
    there = convert_note(original, target)
    assert parse_note(there.text).format == target or not parse_note(there.text).sections
    back = convert_note(there.text, source, from_format=target)
    assert words(there.text) == words(original), there.text
    assert words(back.text) == words(original), back.text
    assert all(m.target for m in back.mapping if m.source_title in [s.source_title for s in there.unmapped])


def test_unmapped_blocks_return_to_their_own_section() -> None:
    birp = convert_note(SOAP_NOTE, "birp").text
    soap = convert_note(birp, "soap").text
    parsed = parse_note(soap, format="soap")
    assert "partial progress toward objective 1" in parsed.body("assessment")
    assert "Unmapped" not in soap


def test_markdown_headings_and_front_matter_format_are_rewritten() -> None:
    note = "---\nformat: dap\ndate: 2026-11-23\n---\n## Data\n\nReported drinking 2 of 7 days.\n\n## Assessment\n\nImproving.\n\n## Plan\n\nNext week.\n"
    result = convert_note(note, "birp")
    assert result.text.startswith("---\nformat: BIRP\ndate: 2026-11-23\n---\n")
    assert "## Behavior\n\nReported drinking 2 of 7 days." in result.text
    assert parse_note(result.text).format == "birp"


def test_same_format_is_unchanged_and_free_text_is_refused() -> None:
    assert convert_note(SOAP_NOTE, "soap").text == SOAP_NOTE
    with pytest.raises(FormatError):
        convert_note("Just some words about the session.\n", "birp")
    with pytest.raises(FormatError):
        convert_note(SOAP_NOTE, "xyz")


def test_cli_convert(tmp_path: Path) -> None:
    source = tmp_path / "note.md"
    source.write_text(SOAP_NOTE)
    result = run("convert", str(source), "--to", "birp")
    assert result.exit_code == 0
    assert result.stdout == convert_note(SOAP_NOTE, "birp").text
    assert "SOAP Objective -> BIRP Behavior" in result.stderr
    assert "SOAP Assessment -> Unmapped" in result.stderr
    out = tmp_path / "note.birp.md"
    assert run("convert", str(source), "--to", "birp", "-o", str(out)).exit_code == 0
    assert out.read_text() == result.stdout
    assert run("convert", str(source), "--to", "birp", "-o", str(out)).exit_code == 2
    assert run("convert", str(source), "--to", "nope").exit_code == 2
    assert run("convert", str(tmp_path / "missing.md"), "--to", "birp").exit_code == 2
    piped = run("convert", "-", "--to", "dap", input=BIRP_NOTE)
    assert piped.exit_code == 0 and "## Data" in piped.stdout
