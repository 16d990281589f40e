"""``note-assistant config``: validate and show the clinic configuration file."""

from __future__ import annotations

import json
from pathlib import Path

import click

from . import cli
from .base import fail

EXAMPLE = '''\
# note-assistant clinic configuration. Paths are relative to this file.
name = "Riverside Counseling"
# formats_dir = "formats"            # the clinic's own format TOML files
profile = "default"                  # or "medicare", or a profile file: "qa-profile.toml"
default_format = "auto"              # format used when a note's format is not detected
required_header = ["clinician", "cpt"]

[thresholds]                         # leave one out to keep the profile's value
plan_review_days = 90
late_entry_days = 3
clone_threshold = 90

[abbreviations]
# files = ["house-shorthand.jsonl"]  # abbreviations inventory schema, one entry a line

[[abbreviations.entries]]
form = "IOP"
expansion = "intensive outpatient program"

[[abbreviations.banned]]
form = "pt"
instead = "client"
reason = "We write client."

[[requirements.soap.elements]]
section = "assessment"
id = "risk-level"
description = "The assessment states a risk level."
any_terms = ["low risk", "risk low", "moderate risk", "risk moderate", "high risk", "risk high"]
'''


def _config_path(path: Path | None) -> Path:
    from ..config import load_settings

    chosen = path or load_settings().clinic_config
    if chosen is None:
        fail("give the configuration file, or set NOTE_ASSISTANT_CLINIC_CONFIG")
    return chosen


@cli.group("config")
def config_group() -> None:
    """The clinic configuration file: formats, rule profile, house abbreviations, banned
    abbreviations, required elements and review thresholds (one TOML file)."""


@config_group.command("validate")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the problems as one JSON object.")
def validate(path: Path | None, as_json: bool) -> int:
    """Check PATH (default: $NOTE_ASSISTANT_CLINIC_CONFIG) and every file it refers to.

    Lists every problem with its file, line and field. Exit 0 when valid, 1 when not, 2 when
    the file cannot be read.
    """
    from ..clinic import validate_config

    path = _config_path(path)
    report = validate_config(path)
    if as_json:
        click.echo(json.dumps({"path": str(path), "valid": report.ok,
                               "problems": [p.as_dict() for p in report.problems]}, ensure_ascii=False))
        return 0 if report.ok else 1
    for problem in report.problems:
        click.echo(str(problem))
    if report.ok:
        config = report.config
        click.echo(f"{path}: valid" + (f" ({config.name})" if config and config.name else ""))
        return 0
    click.echo(f"{path}: {len(report.problems)} problem(s)")
    return 1


@config_group.command("show")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def show(path: Path | None) -> None:
    """Print what the configuration resolves to: formats, profile and its options, house
    abbreviations, banned forms and extra requirements."""
    from ..clinic import load_clinic

    clinic = load_clinic(_config_path(path))
    config = clinic.config
    click.echo(f"Clinic: {config.name or '(unnamed)'}  ({clinic.path})")
    click.echo(f"Formats: {', '.join(f'{k} ({f.name})' for k, f in sorted(clinic.formats.items()))}")
    click.echo(f"Default format: {config.default_format}")
    click.echo(f"Rule profile: {clinic.profile.name}")
    for key, value in sorted(clinic.profile.options.items()):
        click.echo(f"  {key} = {value}")
    if config.required_header:
        click.echo(f"Required header fields: {', '.join(config.required_header)}")
    house = [f"{e.form} = {e.expansion}" for e in config.abbreviations.entries]
    if house or clinic.abbreviation_files:
        click.echo("House abbreviations: " + "; ".join(house + [str(p) for p in clinic.abbreviation_files]))
    if config.abbreviations.banned:
        click.echo("Banned abbreviations: " + ", ".join(
            f"{b.form}" + (f" (write {b.instead!r})" if b.instead else "") for b in config.abbreviations.banned))
    for key, req in sorted(config.requirements.items()):
        extra = [f"{e.section}: {e.id}" for e in req.elements]
        click.echo(f"Requirements for {key}: required sections {req.required_sections or '-'}; elements {extra or '-'}")


@config_group.command("example")
def example() -> None:
    """Print an annotated example configuration to start from."""
    click.echo(EXAMPLE, nl=False)
