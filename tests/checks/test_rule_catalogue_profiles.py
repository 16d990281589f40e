"""The catalogue entries of the documentation, risk, plan, cloning and stigma families, and how
profiles (built-in and a clinic's own file) change their results."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from checks_support import GOOD_SOAP, ids, soap

from note_assistant.checks import check_note
from note_assistant.checks.catalogue import catalogue, make_finding
from note_assistant.models import Finding
from note_assistant.checks.profiles import ProfileError, load_profile

PREFIXES = ("DOC-", "RISK-", "PLAN-", "CLONE-", "STIG-")
MINE = {rid: spec for rid, spec in catalogue().items() if rid.startswith(PREFIXES)}
AUDIT_ID = re.compile(r"\bA(?:1[0-8]|[1-9])\b")


def test_every_rule_has_a_source_and_audit_rules_cite_it_in_the_message():
    assert len(MINE) >= 50
    for rid, spec in MINE.items():
        assert spec.source, rid
        if rid.startswith(("DOC-", "RISK-", "CLONE-")) and AUDIT_ID.search(spec.source):
            cited = AUDIT_ID.findall(spec.source)
            assert any(a in spec.message for a in cited), f"{rid}: message does not cite {cited}"


def test_family_categories():
    cats = {rid.split("-")[0]: set() for rid in MINE}
    for rid, spec in MINE.items():
        cats[rid.split("-")[0]].add(spec.category)
    assert cats["DOC"] <= {"format", "compliance"}
    assert cats["RISK"] == {"risk"}
    assert cats["PLAN"] == {"plan-alignment"}
    assert cats["CLONE"] == {"cloned-note"}
    assert cats["STIG"] == {"stigmatizing-language"}


def test_builtin_profiles_load_and_medicare_is_stricter():
    default, medicare = load_profile("default"), load_profile("medicare")
    assert default.option("clone_threshold", None) == 90
    assert medicare.option("late_entry_days", None) == 1
    text = soap("Client reported panic attacks.", "Anxious.", "Client engaged.", "Next session.",
                header="Date: 2026-11-20\nStart: 10:00\nEnd: 10:40\nCPT: 90832\n"
                       "Modality: individual\nDiagnosis: F41.0\n")
    mismatch = lambda profile: next(f for f in check_note(text, profile=load_profile(profile))  # noqa: E731
                                    .findings if f.rule_id == "DOC-CPT-TIME-MISMATCH")
    assert mismatch("default").severity == "error"
    assert next(f for f in check_note(text, profile=medicare).findings
                if f.rule_id == "DOC-INTERVENTION-NOT-NAMED").severity == "error"
    assert next(f for f in check_note(text, profile=default).findings
                if f.rule_id == "DOC-INTERVENTION-NOT-NAMED").severity == "warning"


def test_a_clinic_profile_disables_and_regrades(tmp_path: Path):
    path = tmp_path / "clinic.toml"
    path.write_text(
        'name = "clinic"\nextends = "default"\n\n[options]\nlate_entry_days = 7\n\n'
        '[rules."STIG-*"]\nenabled = false\n\n[rules.risk]\nseverity = "error"\n\n'
        '[rules.DOC-NO-MODALITY]\nenabled = false\n', encoding="utf-8")
    profile = load_profile(path)
    text = GOOD_SOAP.replace("Modality: individual, in person\n", "").replace(
        "She went to dinner", "She claims she went to dinner").replace(
        "Denies SI/HI; C-SSRS screen negative; risk low, no safety plan needed.", "Client cut herself on Friday.")
    base = ids(check_note(text).findings)
    assert {"STIG-CLAIMS", "DOC-NO-MODALITY", "RISK-NO-ASSESSMENT"} <= set(base)
    custom = check_note(text, profile=profile).findings
    assert not {"STIG-CLAIMS", "DOC-NO-MODALITY"} & set(ids(custom))
    assert next(f for f in custom if f.rule_id == "RISK-NO-ASSESSMENT").severity == "error"


def test_abbreviation_expansions_are_findings_only_when_the_profile_enables_them(tmp_path: Path):
    text = "S: Pt denies SI. Used MI today.\nO: calm\nA: improving\nP: f/u 1 wk\n"
    assert "ABBR-EXPANSION" not in ids(check_note(text).findings)
    path = tmp_path / "open-notes.toml"
    path.write_text('name = "open-notes"\nextends = "default"\n\n[rules.ABBR-EXPANSION]\nenabled = true\n',
                    encoding="utf-8")
    on = check_note(text, profile=load_profile(path)).findings
    assert {text[f.start:f.end] for f in on if f.rule_id == "ABBR-EXPANSION"} >= {"Pt", "SI", "f/u", "wk"}
    assert load_profile("default").enabled("ABBR-EXPANSION", "abbreviation") is False
    assert load_profile(path).enabled("ABBR-EXPANSION", "abbreviation") is True


@pytest.mark.parametrize(("content", "field"), [
    ('name = "x"\n[rules.STIG-CLAIMS]\nenabeld = false\n', "rules.STIG-CLAIMS.enabeld"),
    ('name = "x"\n[rules.RISK-NO-SCREEN]\nseverity = "fatal"\n', "rules.RISK-NO-SCREEN.severity"),
    ('[options]\nclone_threshold = 90\n', "name"),
])
def test_a_broken_profile_gives_one_clear_message(tmp_path: Path, content: str, field: str):
    path = tmp_path / "broken.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ProfileError) as excinfo:
        load_profile(path)
    message = str(excinfo.value)
    assert str(path) in message and field in message
    assert "\n" not in message


def test_invalid_toml_names_the_file(tmp_path: Path):
    path = tmp_path / "bad.toml"
    path.write_text("name = \n", encoding="utf-8")
    with pytest.raises(ProfileError, match="bad.toml: invalid TOML"):
        load_profile(path)


RULES_MD = Path(__file__).resolve().parents[2] / "docs" / "RULES.md"


@pytest.mark.skipif(not RULES_MD.exists(), reason="docs not present")
def test_rules_doc_lists_every_rule_and_its_profile_example_loads(tmp_path: Path):
    doc = RULES_MD.read_text(encoding="utf-8")
    listed = [rid for rid in catalogue() if rid.startswith((*PREFIXES, "FMT-"))]
    missing = [rid for rid in listed if f"`{rid}`" not in doc]
    assert missing == [] and "FMT-EMPTY-NOTE" in listed
    example = re.search(r"```toml\n(.*?)```", doc, re.S).group(1)
    path = tmp_path / "my-clinic.toml"
    path.write_text(example, encoding="utf-8")
    profile = load_profile(path)
    assert profile.option("late_entry_days", None) == 5 and "STIG-*" in profile.rules


def _format_values(rule_id: str) -> dict[str, str]:
    spec = catalogue()[rule_id]
    names = {field for template in (spec.message, spec.suggestion or "")
             for _, field, _, _ in string.Formatter().parse(template) if field}
    return {name: f"<{name}>" for name in names if name not in {"section", "cue", "suggestion"}}


@pytest.mark.parametrize("rule_id", sorted(catalogue()))
def test_findings_made_from_the_catalogue_equal_validated_models(rule_id):
    """make_finding skips re-validation; what it returns must be the model validation makes."""
    text = "Client reports SI; plan reviewed."
    made = make_finding(rule_id, text=text, start=7, end=14, section="subjective", cue="SI",
                        suggestion="x", **_format_values(rule_id))
    validated = Finding.model_validate(made.model_dump())
    assert made == validated
    assert made.model_dump() == validated.model_dump()
    assert made.model_dump_json() == validated.model_dump_json()
    assert made.text == "reports"


def test_a_finding_span_outside_the_text_is_refused():
    with pytest.raises(ValueError, match="outside"):
        make_finding("ABBR-EXPANSION", text="abc", start=2, end=9)
