"""Loading a clinic: the configuration applied to formats, rule profile and abbreviations.

``load_clinic()`` reads the file named by ``--config`` / ``NOTE_ASSISTANT_CLINIC_CONFIG``; with
no file it returns the built-in behaviour (built-in formats plus ``NOTE_ASSISTANT_FORMATS_DIR``,
the ``default`` profile). :meth:`Clinic.check` is ``check_note`` with the clinic applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from note_formats import NoteFormat, RequiredElement, load_formats

from ..checks.profiles import RuleProfile, load_profile
from .model import ClinicConfig
from .references import AUTO_FORMATS, resolve
from .rules import clinic_findings
from .validate import validate_config

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


class ClinicConfigError(ValueError):
    """The clinic configuration cannot be used; the message names the first problem."""


@dataclass
class Clinic:
    """A clinic's configuration, resolved and ready to use."""

    config: ClinicConfig
    path: Path | None
    """The configuration file (None: built-in defaults)."""
    formats: dict[str, NoteFormat]
    """Built-in and clinic formats, with the clinic's requirements merged in."""
    profile: RuleProfile
    """The active rule profile, with the clinic's thresholds in its options."""
    abbreviation_files: list[Path] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def default_format(self) -> str:
        return self.config.default_format

    def check(self, text: str, *, format: str | None = None, **kwargs: Any):  # noqa: ANN201, A002
        """``check_note`` with this clinic's formats, profile and own rules."""
        from ..checks.engine import check_note

        wanted = format if format not in (None, "", "auto") else None
        result = check_note(text, format=wanted, formats=self.formats, profile=self.profile, **kwargs)
        if wanted is None and result.parsed.format == "free-text" and self.default_format.lower() not in AUTO_FORMATS:
            result = check_note(text, format=self.default_format, formats=self.formats,
                                profile=self.profile, **kwargs)
        extra = self.profile.apply(clinic_findings(result.parsed, self.config))
        if extra:
            result.findings = sorted(
                result.findings + extra,
                key=lambda f: (f.start, _SEVERITY_ORDER[f.severity], f.rule_id),
            )
        return result

    def inventory(self):  # noqa: ANN201
        """The abbreviations inventory with the clinic's house shorthand on top."""
        from abbreviations.inventory import load_inventory

        entries = [e.inventory_entry() for e in self.config.abbreviations.entries]
        return load_inventory(extra_paths=self.abbreviation_files, extra_entries=entries)

    def expand(self, text: str) -> str:
        """``text`` with abbreviations written out, house shorthand included; the note's
        sections guide the choice of sense."""
        import abbreviations
        from note_formats import parse_note

        expand = getattr(abbreviations, "expand", None)
        if expand is None:
            raise ValueError("client-access copies need abbreviations.expand, which is not installed")
        parsed = parse_note(text, formats=self.formats or None)
        sections = [(s.body_start, s.end, s.key) for s in parsed.sections]
        result = expand(
            text, sections=sections or None,
            extra_entries=[e.inventory_entry() for e in self.config.abbreviations.entries] or None,
            extra_paths=[str(p) for p in self.abbreviation_files],
        )
        return result.expanded_text


def apply_requirements(formats: dict[str, NoteFormat], config: ClinicConfig) -> dict[str, NoteFormat]:
    """Formats with the clinic's required sections and elements merged in."""
    out = dict(formats)
    for key, req in config.requirements.items():
        fmt = out.get(key.lower())
        if fmt is None:
            raise ClinicConfigError(f"requirements.{key}: unknown format {key!r}")
        sections = []
        for spec in fmt.sections:
            extra = [
                RequiredElement(**el.model_dump(exclude={"section"}))
                for el in req.elements if el.section == spec.key
            ]
            update: dict[str, Any] = {}
            if spec.key in req.required_sections:
                update["required"] = True
            if extra:
                update["elements"] = [*spec.elements, *extra]
            sections.append(spec.model_copy(update=update) if update else spec)
        out[fmt.key] = fmt.model_copy(update={"sections": sections})
    return out


def apply_thresholds(profile: RuleProfile, config: ClinicConfig) -> RuleProfile:
    values = {k: v for k, v in config.thresholds.model_dump().items() if v is not None}
    if not values:
        return profile
    return profile.model_copy(update={"options": {**profile.options, **values}})


def load_clinic(
    path: str | Path | None = None,
    *,
    formats_dir: str | Path | None = None,
    profile: str | Path | None = None,
    use_settings: bool = True,
) -> Clinic:
    """The clinic from ``path`` (else ``Settings.clinic_config``); explicit arguments win."""
    from ..config import load_settings

    settings = load_settings() if use_settings else None
    if path is None and settings is not None:
        path = settings.clinic_config
    default_formats_dir = settings.formats_dir if settings is not None else None
    if path is None:
        formats = load_formats(formats_dir or default_formats_dir)
        return Clinic(ClinicConfig(), None, formats, load_profile(profile))
    path = Path(path)
    report = validate_config(path)
    if report.problems or report.config is None:
        first = report.problems[0]
        more = len(report.problems) - 1
        hint = f" (and {more} more: run 'note-assistant config validate {path}')" if more else ""
        raise ClinicConfigError(f"clinic configuration: {first}{hint}")
    config = report.config
    base = path.parent
    folder = formats_dir or (resolve(base, config.formats_dir) if config.formats_dir else default_formats_dir)
    formats = apply_requirements(load_formats(folder), config)
    chosen = profile or (resolve(base, config.profile) if config.profile.endswith(".toml") else config.profile)
    rule_profile = apply_thresholds(load_profile(chosen), config)
    files = [resolve(base, f) for f in config.abbreviations.files]
    return Clinic(config, path, formats, rule_profile, files)
