"""The clinic configuration: validation reports every problem with file, line and field; a valid
configuration changes formats, profile and findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from note_assistant.clinic import ClinicConfigError, load_clinic, validate_config
from note_assistant.clinic.toml_lines import key_lines, line_for

from clinics_support import SOAP_NOTE, run

BAD_CONFIG = """\
name = "Riverside"
profile = "strict.toml"
default_format = "zap"
required_header = ["cpt", "shoe"]
colour = "blue"

[thresholds]
late_entry_days = -1
clone_threshold = 101

[abbreviations]
files = ["house.jsonl", "missing.jsonl"]

[[abbreviations.entries]]
form = "IOP"

[[abbreviations.banned]]
form = "pt"

[[abbreviations.banned]]
form = "PT"

[[requirements.soap.elements]]
section = "nowhere"
id = "x"
description = "d"
any_terms = ["a"]

[requirements.zzz]
"""

BAD_PROFILE = """\
name = "strict"
extends = "default"

[rules.risk]
severity = "fatal"
"""


@pytest.fixture
def bad_config(tmp_path: Path) -> Path:
    (tmp_path / "strict.toml").write_text(BAD_PROFILE)
    (tmp_path / "house.jsonl").write_text(
        '{"form": "IOP", "category": "clinic", "senses": [{"id": "iop", "expansion": "intensive outpatient", "prior": 1.0}]}\n'
        '{"form": "ZZ", "category": "nope", "senses": [{"id": "z", "expansion": "z", "prior": 1.0}]}\n'
    )
    path = tmp_path / "clinic.toml"
    path.write_text(BAD_CONFIG)
    return path


def _where(report) -> set[tuple[str, int | None, str]]:
    return {(Path(p.file).name, p.line, p.field) for p in report.problems}


def test_validate_reports_every_problem_with_its_line(bad_config: Path) -> None:
    report = validate_config(bad_config)
    assert not report.ok
    found = _where(report)
    expected = {
        ("clinic.toml", 3, "default_format"),
        ("clinic.toml", 4, "required_header[1]"),
        ("clinic.toml", 5, "colour"),
        ("clinic.toml", 8, "thresholds.late_entry_days"),
        ("clinic.toml", 9, "thresholds.clone_threshold"),
        ("clinic.toml", 12, "abbreviations.files[1]"),
        ("clinic.toml", 14, "abbreviations.entries[0].expansion"),  # missing: points at its table
        ("clinic.toml", 21, "abbreviations.banned[1].form"),
        ("clinic.toml", 24, "requirements.soap.elements[0].section"),
        ("clinic.toml", 29, "requirements.zzz"),
        ("strict.toml", 5, "rules.risk.severity"),
        ("house.jsonl", 2, "category"),
    }
    assert expected <= found, sorted(expected - found)
    messages = {p.field: p.message for p in report.problems}
    assert "unknown field 'colour'" in messages["colour"]
    assert "greater than or equal to 0" in messages["thresholds.late_entry_days"]
    assert "already banned" in messages["abbreviations.banned[1].form"]


def test_cli_validate_lists_problems_and_exits_1(bad_config: Path) -> None:
    result = run("config", "validate", str(bad_config))
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert f"{bad_config}:8: thresholds.late_entry_days:" in result.stdout
    assert lines[-1].endswith("problem(s)") and len(lines) >= 13
    as_json = json.loads(run("config", "validate", "--json", str(bad_config)).stdout)
    assert as_json["valid"] is False and {"file", "line", "field", "message"} <= set(as_json["problems"][0])


def test_cli_validate_exit_codes(tmp_path: Path) -> None:
    good = tmp_path / "ok.toml"
    good.write_text(run("config", "example").stdout)
    result = run("config", "validate", str(good))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("valid (Riverside Counseling)")
    missing = run("config", "validate", str(tmp_path / "nope.toml"))
    assert missing.exit_code == 2 and len(missing.stderr.strip().splitlines()) == 1
    broken = tmp_path / "broken.toml"
    broken.write_text('name = "x"\nprofile = \n')
    result = run("config", "validate", str(broken))
    assert result.exit_code == 1 and f"{broken}:2: invalid TOML" in result.stdout


def test_config_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "clinic.toml"
    path.write_text('name = "Env Clinic"\n')
    monkeypatch.setenv("NOTE_ASSISTANT_CLINIC_CONFIG", str(path))
    assert run("config", "validate").exit_code == 0
    assert load_clinic().name == "Env Clinic"


def test_key_lines_follow_arrays_of_tables() -> None:
    text = '[[a]]\nx = 1\n[[a.b]]\ny = 2\n[[a]]\n[[a.b]]\n\ny = [\n  1,\n  { z = 3 },\n]\n'
    lines = key_lines(text)
    assert lines[("a", 0, "x")] == 2
    assert lines[("a", 0, "b", 0, "y")] == 4
    assert lines[("a", 1, "b", 0)] == 6
    assert lines[("a", 1, "b", 0, "y", 1)] == 10
    assert line_for(lines, ("a", 1, "b", 0, "missing")) == 6
    assert line_for(lines, ("nothing",)) is None


def test_loaded_clinic_changes_checks(tmp_path: Path) -> None:
    formats = tmp_path / "formats"
    formats.mkdir()
    (formats / "intake.toml").write_text(
        'key = "intake"\nname = "Intake"\ndescription = "Intake note"\n\n[[sections]]\nkey = "history"\n'
        'title = "History"\nprompt = "p"\nexample = "e"\nrequired = false\nroles = ["client-report"]\n'
    )
    path = tmp_path / "clinic.toml"
    path.write_text(
        'name = "Riverside"\nformats_dir = "formats"\nprofile = "medicare"\n'
        'required_header = ["modality"]\n\n[thresholds]\nlate_entry_days = 5\n\n'
        '[[abbreviations.banned]]\nform = "CBT"\ninstead = "cognitive behavioral therapy"\nseverity = "error"\n\n'
        '[requirements.intake]\nrequired_sections = ["history"]\n\n'
        '[[requirements.soap.elements]]\nsection = "assessment"\nid = "functional-status"\n'
        'description = "States functional impairment."\nany_terms = ["functional", "impairment"]\n'
    )
    clinic = load_clinic(path)
    assert "intake" in clinic.formats and clinic.formats["intake"].section("history").required
    assert clinic.profile.name == "medicare" and clinic.profile.options["late_entry_days"] == 5
    assert clinic.profile.options["clone_threshold"] == 85  # kept from the profile
    result = clinic.check(SOAP_NOTE)
    by_rule = {f.rule_id: f for f in result.findings}
    banned = by_rule["CLINIC-BANNED-ABBREVIATION"]
    assert SOAP_NOTE[banned.start:banned.end] == "CBT" and banned.severity == "error"
    assert by_rule["CLINIC-HEADER-MISSING"].data["field"] == "modality"
    elements = [f.data.get("element") for f in result.findings if f.rule_id == "FMT-ELEMENT-MISSING"]
    assert "functional-status" in elements
    assert "functional-status" not in [
        f.data.get("element") for f in load_clinic(None).check(SOAP_NOTE).findings
    ]


def test_invalid_config_refuses_to_load(bad_config: Path) -> None:
    with pytest.raises(ClinicConfigError, match=r"clinic.toml:\d+: .*and \d+ more"):
        load_clinic(bad_config)
    result = run("audit", "--config", str(bad_config), str(bad_config.parent))
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1


def test_thresholds_reach_the_checks(tmp_path: Path) -> None:
    """late_entry_days from the clinic file changes what DOC-LATE-ENTRY reports."""
    note = SOAP_NOTE.replace("CPT: 90834\n", "CPT: 90834\nWritten: 2026-11-24\n")  # four days late
    default = {f.rule_id for f in load_clinic(None).check(note).findings}
    relaxed = tmp_path / "relaxed.toml"
    relaxed.write_text("[thresholds]\nlate_entry_days = 5\n")
    strict = tmp_path / "strict.toml"
    strict.write_text('profile = "medicare"\n')  # medicare: late after 1 day
    assert "DOC-LATE-ENTRY" in default
    assert "DOC-LATE-ENTRY" not in {f.rule_id for f in load_clinic(relaxed).check(note).findings}
    assert "DOC-LATE-ENTRY" in {f.rule_id for f in load_clinic(strict).check(note).findings}


def test_config_show(tmp_path: Path) -> None:
    path = tmp_path / "clinic.toml"
    path.write_text(run("config", "example").stdout)
    result = run("config", "show", str(path))
    assert result.exit_code == 0, result.output
    assert "Rule profile: default" in result.stdout and "late_entry_days = 3" in result.stdout
    assert "IOP = intensive outpatient program" in result.stdout and "pt (write 'client')" in result.stdout
