"""Rule data: validation errors name file, line and field; the matcher finds every cue."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from note_assistant.nlp.components.matcher import CueMatcher, normalize
from note_assistant.nlp.components.rules import (
    COMPUTED_CATEGORIES, CueRule, RuleDataError, build_ruleset, load_ruleset, parse_cue_lines,
)

DECISIONS = """
[categories]
HEDGE = "hedge"
INTERP = "target"
NAME = "computed"
QUOTE_LONG = "computed"

[[subcategory]]
key = "countertransference"
rule_id = "PC-COUNTERTRANSFERENCE"
label = "x"
[[subcategory]]
key = "speculation"
rule_id = "PC-SPECULATION"
label = "x"
[[subcategory]]
key = "transference-defence"
rule_id = "PC-TRANSFERENCE"
label = "x"
[[subcategory]]
key = "dream-fantasy"
rule_id = "PC-DREAM"
label = "x"
[[subcategory]]
key = "intimate-detail"
rule_id = "PC-INTIMATE-DETAIL"
label = "x"
[[subcategory]]
key = "third-party"
rule_id = "PC-THIRD-PARTY"
label = "x"

[[decision]]
id = "sp"
subcategory = "speculation"
target = ["INTERP"]
in_scope_any = ["HEDGE"]
"""

GOOD = "\n".join([
    '// a comment line',
    json.dumps({"id": "h.perhaps", "literal": "perhaps", "category": "HEDGE",
                "direction": "BIDIRECTIONAL", "max_scope": 8}),
    "",
    json.dumps({"id": "t.way", "literal": "a way of", "category": "INTERP"}),
])


def test_packaged_rules_load_and_cross_check() -> None:
    rules = load_ruleset()
    assert len(rules.cues) > 500
    ids = [cue.id for cue in rules.cues]
    assert len(ids) == len(set(ids))
    used = {cue.category for cue in rules.cues} | set(COMPUTED_CATEGORIES)
    for decision in rules.decisions:
        missing = decision.categories() - used
        assert not missing, f"{decision.id} needs categories with no cue: {missing}"


def test_small_valid_ruleset_builds() -> None:
    ruleset = build_ruleset({"hedges.jsonl": GOOD}, DECISIONS)
    assert [c.id for c in ruleset.cues] == ["h.perhaps", "t.way"]


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"id": "x.1", "literal": "perhaps", "category": "HEDGE", "directon": "FORWARD"},
         "directon"),
        ({"id": "x.1", "literal": "perhaps", "category": "HEDGE", "direction": "SIDEWAYS"},
         "direction"),
        ({"id": "x.1", "literal": "perhaps", "category": "HEDGE", "max_scope": 0}, "max_scope"),
        ({"id": "X 1", "literal": "perhaps", "category": "HEDGE"}, "id"),
        ({"id": "x.1", "category": "HEDGE"}, "literal"),
        ({"id": "x.1", "literal": "per", "regex": "per(haps", "category": "HEDGE"}, "regex"),
        ({"id": "x.1", "literal": "per", "regex": "per(h)aps", "category": "HEDGE"}, "regex"),
        ({"id": "x.1", "literal": "perhaps", "category": "hedge"}, "category"),
    ],
)
def test_malformed_rule_names_file_line_and_field(line: dict, field: str) -> None:
    text = GOOD + "\n" + json.dumps(line)
    with pytest.raises(RuleDataError) as err:
        build_ruleset({"hedges.jsonl": text}, DECISIONS)
    message = str(err.value)
    assert message.startswith("hedges.jsonl:5:"), message
    assert f"field {field}" in message, message


def test_invalid_json_names_file_and_line() -> None:
    with pytest.raises(RuleDataError, match=r"^bad.jsonl:2: not valid JSON"):
        parse_cue_lines("bad.jsonl", GOOD.splitlines()[1] + "\n{oops\n")


def test_unknown_category_and_duplicate_id() -> None:
    unknown = json.dumps({"id": "x.1", "literal": "maybe", "category": "GUESS"})
    with pytest.raises(RuleDataError, match=r"hedges.jsonl:5: rule 'x.1' field category"):
        build_ruleset({"hedges.jsonl": GOOD + "\n" + unknown}, DECISIONS)
    duplicate = json.dumps({"id": "h.perhaps", "literal": "maybe", "category": "HEDGE"})
    with pytest.raises(RuleDataError, match=r"other.jsonl:1: rule 'h.perhaps' field id"):
        build_ruleset({"hedges.jsonl": GOOD, "other.jsonl": duplicate}, DECISIONS)


def test_decision_errors() -> None:
    with pytest.raises(RuleDataError, match="decision 'sp' uses unknown categories"):
        build_ruleset({"hedges.jsonl": GOOD}, DECISIONS.replace('["HEDGE"]', '["HEDGES"]'))
    with pytest.raises(RuleDataError, match=r"decisions.toml: field decision.0.subcategory"):
        build_ruleset({"hedges.jsonl": GOOD},
                      DECISIONS.replace('subcategory = "speculation"', 'subcategory = "guess"'))
    with pytest.raises(RuleDataError, match=r"decisions.toml: field decision.0.targte"):
        build_ruleset({"hedges.jsonl": GOOD}, DECISIONS + 'targte = ["INTERP"]\n')


# --- the matcher agrees with a naive one-regex-per-cue scan ---------------------------------

_RULES = load_ruleset()
_LITERALS = sorted({" ".join(c.literal.lower().split()) for c in _RULES.cues
                    if c.regex is None and c.literal[0].isalpha()})
_MATCHER = CueMatcher(_RULES.cues)
_FILLER = ["and", "then", "today", "the", "session", "x"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_LITERALS), min_size=1, max_size=6),
       st.lists(st.sampled_from(_FILLER), min_size=6, max_size=6))
def test_every_literal_cue_is_found_where_it_occurs(cues: list[str], filler: list[str]) -> None:
    parts = []
    for i, cue in enumerate(cues):
        parts += [filler[i], cue]
    text = " ".join(parts) + "."
    hits = {(h.start, h.end, h.cue.id) for h in _MATCHER.find_hits(normalize(text)) if h.cue}
    for cue_text in cues:
        wanted = {c.id for c in _RULES.cues
                  if c.regex is None and " ".join(c.literal.lower().split()) == cue_text}
        for match in re.finditer(rf"(?<!\w){re.escape(cue_text)}(?!\w)", text):
            found = {rid for s, e, rid in hits if s == match.start() and e == match.end()}
            assert wanted <= found, (text, cue_text, wanted - found)


@pytest.mark.parametrize("cue", [c for c in _RULES.cues if c.regex is not None],
                         ids=lambda c: c.id)
def test_every_regex_cue_matches_its_own_example_or_is_documented(cue: CueRule) -> None:
    """A regex cue's ``literal`` is a readable example; where it is a real match, it is found."""
    example = cue.literal.lower()
    if not re.fullmatch(cue.source, example):
        pytest.skip("literal is a description, not a match")
    text = f"today {example} then."
    hits = [h for h in _MATCHER.find_hits(normalize(text)) if h.cue is not None and h.cue.id == cue.id]
    assert hits, f"{cue.id}: example {example!r} not found"


def test_every_literal_cue_is_found_on_its_own() -> None:
    """No cue hides another at the same start (the matcher's longest-match promise)."""
    missing = []
    for cue in _RULES.cues:
        if cue.regex is not None:
            continue
        text = f"today {cue.literal.lower()} then."
        start = len("today ")
        found = {h.cue.id for h in _MATCHER.find_hits(normalize(text))
                 if h.cue is not None and h.start == start}
        if cue.id not in found:
            missing.append(cue.id)
    assert not missing, missing
