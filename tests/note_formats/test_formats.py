from pathlib import Path

import pytest

from note_formats import FormatError, builtin_formats, get_format, load_formats


@pytest.mark.parametrize("key,sections", [
    ("soap", ["subjective", "objective", "assessment", "plan"]),
    ("birp", ["behavior", "intervention", "response", "plan"]),
    ("dap", ["data", "assessment", "plan"]),
    ("girp", ["goal", "intervention", "response", "plan"]),
    ("pirp", ["problem", "intervention", "response", "plan"]),
])
def test_each_builtin_format_loads(key, sections):
    fmt = builtin_formats()[key]
    assert [s.key for s in fmt.sections] == sections
    for section in fmt.sections:
        assert section.prompt and section.example and section.roles


def test_intervention_sections_require_a_named_technique():
    for key in ("birp", "girp", "pirp"):
        elements = builtin_formats()[key].section("intervention").elements
        assert [e.lexicon for e in elements] == ["interventions"]


def test_get_format_by_name_ignores_case():
    assert get_format("SOAP").key == "soap"
    with pytest.raises(FormatError, match="unknown format 'xyz'"):
        get_format("xyz")


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = '''key = "intake"
name = "Intake"
description = "Clinic intake"
[[sections]]
key = "history"
title = "History"
prompt = "p"
example = "e"
roles = ["client-report"]
'''


def test_clinic_folder_adds_and_overrides(tmp_path):
    _write(tmp_path, "intake.toml", GOOD)
    _write(tmp_path, "soap.toml", GOOD.replace('key = "intake"', 'key = "soap"').replace("Intake", "Clinic SOAP"))
    formats = load_formats(tmp_path)
    assert formats["intake"].sections[0].key == "history"
    assert formats["soap"].name == "Clinic SOAP"
    assert "birp" in formats


@pytest.mark.parametrize("mutation,expected", [
    (lambda t: t.replace('roles = ["client-report"]', 'roles = ["bogus"]'), "field sections.0.roles.0"),
    (lambda t: t.replace('title = "History"\n', ''), "field sections.0.title: Field required"),
    (lambda t: t + 'colour = "red"\n', "Extra inputs are not permitted"),
    (lambda t: t.replace('key = "history"', 'key = "His tory"'), "field sections.0.key"),
    (lambda t: t.replace('key = "intake"', 'key = [1'), "invalid TOML"),
])
def test_broken_format_file_names_file_field_and_problem(tmp_path, mutation, expected):
    path = _write(tmp_path, "broken.toml", mutation(GOOD))
    with pytest.raises(FormatError) as info:
        load_formats(tmp_path)
    message = str(info.value)
    assert str(path) in message
    assert expected in message
    assert "\n" not in message


def test_heading_used_by_two_sections_is_rejected(tmp_path):
    text = GOOD + '''[[sections]]
key = "plan"
title = "Plan"
aliases = ["History"]
prompt = "p"
example = "e"
roles = ["plan"]
'''
    _write(tmp_path, "dup.toml", text)
    with pytest.raises(FormatError, match="used by both"):
        load_formats(tmp_path)


def test_missing_formats_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FormatError, match="does not exist"):
        load_formats(tmp_path / "nope")
