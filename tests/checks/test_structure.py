"""Structure family: an empty note, free text, sections (the rest is covered with the formats)."""

from __future__ import annotations

import pytest

from note_assistant.checks.engine import check_note


def _format_rules(text: str) -> list[str]:
    return sorted(f.rule_id for f in check_note(text).findings if f.rule_id.startswith("FMT-"))


@pytest.mark.parametrize("text", [
    "",
    "   \n\n\t",
    "Client: Avery Quinn\nDate: 2026-11-20\nCPT: 90834\n\n",  # a header and nothing else
    "---\nclient: Avery Quinn\ndate: 2026-11-20\n---\n\n",
])
def test_an_empty_note_is_an_error(text: str) -> None:
    assert _format_rules(text) == ["FMT-EMPTY-NOTE"]
    (finding,) = [f for f in check_note(text).findings if f.rule_id == "FMT-EMPTY-NOTE"]
    assert finding.severity == "error" and (finding.start, finding.end) == (0, 0)


@pytest.mark.parametrize("text", [
    "Client reported low mood most days.",
    "Client: Avery Quinn\nDate: 2026-11-20\n\nClient reported low mood most days.\n",
    "Mood: low, tearful at times.\n",  # not a header field: what the note says
])
def test_free_text_with_words_is_not_empty(text: str) -> None:
    assert _format_rules(text) == ["FMT-FREE-TEXT"]
