"""Checking what a clinic configuration refers to: the formats folder, the rule profile, the
house-shorthand files, format and section keys, lexicons.

Works on the raw TOML data so that it still runs when the file has field errors: a value of the
wrong type is skipped here (pydantic has already reported it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from note_formats import NoteFormat, builtin_formats

from .validate import ConfigProblem, load_jsonl_problems, validate_toml_model
from .toml_lines import line_for

AUTO_FORMATS = {"auto", "free-text", "free", "none"}


def resolve(base: Path, value: str) -> Path:
    """A path from the configuration: ``~`` expanded, relative to the configuration's folder."""
    path = Path(value).expanduser()
    return path if path.is_absolute() else base / path


def check_references(data: dict[str, Any], base: Path, source: str, lines: dict) -> list[ConfigProblem]:
    problems: list[ConfigProblem] = []

    def add(loc: tuple, message: str, file: str | None = None, line: int | None = None) -> None:
        field = ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in loc).replace(".[", "[")
        problems.append(ConfigProblem(file or source, line or line_for(lines, loc), field, message))

    formats = _check_formats(data.get("formats_dir"), base, problems, add)
    _check_profile(data.get("profile"), base, problems, add)
    default = data.get("default_format")
    if isinstance(default, str) and default.lower() not in AUTO_FORMATS and default.lower() not in formats:
        add(("default_format",), f"unknown format {default!r} (known: auto, {', '.join(sorted(formats))})")
    abbreviations = data.get("abbreviations")
    if isinstance(abbreviations, dict):
        _check_abbreviations(abbreviations, base, problems, add)
    requirements = data.get("requirements")
    if isinstance(requirements, dict):
        _check_requirements(requirements, formats, add)
    return problems


def _check_formats(value: Any, base: Path, problems: list, add) -> dict[str, NoteFormat]:  # noqa: ANN001
    formats = dict(builtin_formats())
    if not isinstance(value, str):
        return formats
    folder = resolve(base, value)
    if not folder.is_dir():
        add(("formats_dir",), f"formats folder {str(folder)!r} does not exist")
        return formats
    files = sorted(folder.glob("*.toml"))
    if not files:
        add(("formats_dir",), f"formats folder {str(folder)!r} has no *.toml format files")
    for path in files:
        fmt, found = validate_toml_model(path, NoteFormat)
        problems.extend(found)
        if fmt is not None:
            formats[fmt.key] = fmt
    return formats


def _check_profile(value: Any, base: Path, problems: list, add) -> None:  # noqa: ANN001
    from ..checks.profiles import ProfileError, RuleProfile, builtin_profile_names, load_profile

    if not isinstance(value, str):
        return
    if value in builtin_profile_names():
        return
    if not value.endswith(".toml"):
        add(("profile",), f"unknown profile {value!r} (built-in: {', '.join(builtin_profile_names())}, or a .toml file)")
        return
    path = resolve(base, value)
    if not path.is_file():
        add(("profile",), f"profile file {str(path)!r} does not exist")
        return
    profile, found = validate_toml_model(path, RuleProfile)
    problems.extend(found)
    if profile is not None:
        try:
            load_profile(path)
        except ProfileError as exc:  # e.g. a bad 'extends'
            add(("profile",), str(exc))


def _inventory_entry_model():  # noqa: ANN202
    try:
        from abbreviations.schema import InventoryEntry
    except ImportError:  # the abbreviations package is optional for validation
        return None
    return InventoryEntry


def _check_abbreviations(section: dict[str, Any], base: Path, problems: list, add) -> None:  # noqa: ANN001
    entry_model = _inventory_entry_model()
    files = section.get("files")
    good_files: list[Path] = []
    if isinstance(files, list):
        for index, value in enumerate(files):
            if not isinstance(value, str):
                continue
            path = resolve(base, value)
            if not path.is_file():
                add(("abbreviations", "files", index), f"abbreviation file {str(path)!r} does not exist")
                continue
            if entry_model is not None:
                found = load_jsonl_problems(path, entry_model, str(path))
                problems.extend(found)
                if not found:
                    good_files.append(path)
    entries = section.get("entries")
    if isinstance(entries, list) and entry_model is not None:
        from pydantic import ValidationError

        from .model import HouseAbbreviation

        for index, raw in enumerate(entries):
            try:
                entry = HouseAbbreviation.model_validate(raw)
            except ValidationError:
                continue  # already reported against the configuration itself
            try:
                entry_model.model_validate(entry.inventory_entry())
            except ValidationError as exc:
                for err in exc.errors():
                    add(("abbreviations", "entries", index), err["msg"].removeprefix("Value error, "))
    if good_files and not problems:
        try:
            from abbreviations.inventory import load_inventory
        except ImportError:
            return
        try:
            load_inventory(extra_paths=good_files)
        except ValueError as exc:  # InventoryError: spelling claimed by two entries
            add(("abbreviations", "files"), str(exc))
    banned = section.get("banned")
    if isinstance(banned, list):
        seen: dict[str, int] = {}
        for index, item in enumerate(banned):
            if isinstance(item, dict) and isinstance(item.get("form"), str):
                key = item["form"].lower()
                if key in seen:
                    add(("abbreviations", "banned", index, "form"), f"{item['form']!r} is already banned (entry {seen[key] + 1})")
                seen.setdefault(key, index)


def _check_requirements(requirements: dict[str, Any], formats: dict[str, NoteFormat], add) -> None:  # noqa: ANN001
    from ..checks.lexicons import lexicon

    for key, value in requirements.items():
        fmt = formats.get(str(key).lower())
        if fmt is None:
            add(("requirements", key), f"unknown format {key!r} (known: {', '.join(sorted(formats))})")
            continue
        if not isinstance(value, dict):
            continue
        keys = [s.key for s in fmt.sections]
        sections = value.get("required_sections")
        if isinstance(sections, list):
            for index, section in enumerate(sections):
                if isinstance(section, str) and section not in keys:
                    add(("requirements", key, "required_sections", index),
                        f"{fmt.name} has no section {section!r} (sections: {', '.join(keys)})")
        elements = value.get("elements")
        if not isinstance(elements, list):
            continue
        for index, element in enumerate(elements):
            if not isinstance(element, dict):
                continue
            section = element.get("section")
            if isinstance(section, str) and section not in keys:
                add(("requirements", key, "elements", index, "section"),
                    f"{fmt.name} has no section {section!r} (sections: {', '.join(keys)})")
            elif isinstance(section, str):
                existing = {e.id for e in fmt.section(section).elements}
                if element.get("id") in existing:
                    add(("requirements", key, "elements", index, "id"),
                        f"{fmt.name} {section} already has an element {element.get('id')!r}")
            name = element.get("lexicon")
            if isinstance(name, str):
                try:
                    lexicon(name)
                except KeyError:
                    add(("requirements", key, "elements", index, "lexicon"), f"no lexicon named {name!r}")
