"""Rule profiles: which rules run, at what severity, with which options.

A profile is TOML. ``[rules]`` keys are a rule id (``DOC-CPT-MISMATCH``), a glob over ids
(``STIG-*``) or a category (``stigmatizing-language``); the most specific match wins (id, then
the longest glob, then category). ``extends`` names a profile to start from.
"""

from __future__ import annotations

import fnmatch
import functools
from importlib import resources
from pathlib import Path
from typing import Any

from note_formats.validation import parse_toml_model
from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..models import Finding, Severity


class ProfileError(ValueError):
    pass


#: Options that switch something on or off (true / false in the TOML).
SWITCHES = ("process_content_classifier",)


class RuleSetting(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enabled: bool = True
    severity: Severity | None = None


class RuleProfile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    description: str = ""
    extends: str | None = None
    rules: dict[str, RuleSetting] = Field(default_factory=dict)
    options: dict[str, Any] = Field(default_factory=dict)
    """Thresholds and settings read by rule families (e.g. ``clone_threshold``)."""

    @field_validator("options")
    @classmethod
    def _switches_are_booleans(cls, options: dict[str, Any]) -> dict[str, Any]:
        for name in SWITCHES:
            if name in options and not isinstance(options[name], bool):
                raise ValueError(f"{name} must be true or false")
        return options

    def setting(self, finding: Finding) -> RuleSetting | None:
        return self.setting_for(finding.rule_id, finding.category)

    def setting_for(self, rule_id: str, category: str) -> RuleSetting | None:
        """The setting for a rule: by its id, else the longest matching glob, else its category."""
        if rule_id in self.rules:
            return self.rules[rule_id]
        globs = [k for k in self.rules if any(c in k for c in "*?[") and fnmatch.fnmatchcase(rule_id, k)]
        if globs:
            return self.rules[max(globs, key=len)]
        return self.rules.get(category)

    def enabled(self, rule_id: str, category: str) -> bool:
        """Whether findings of this rule survive :meth:`apply` (families skip building the
        others: ABBR-EXPANSION is off by default and would be ~20 findings a note)."""
        setting = self.setting_for(rule_id, category)
        return setting is None or setting.enabled

    def apply(self, findings: list[Finding]) -> list[Finding]:
        kept: list[Finding] = []
        for finding in findings:
            setting = self.setting(finding)
            if setting is not None and not setting.enabled:
                continue
            if setting is not None and setting.severity and setting.severity != finding.severity:
                finding = finding.model_copy(update={"severity": setting.severity})
            kept.append(finding)
        return kept

    def option(self, name: str, default: Any) -> Any:
        return self.options.get(name, default)


def _parse(text: str, source: str) -> RuleProfile:
    return parse_toml_model(text, source, RuleProfile, ProfileError)


def builtin_profile_names() -> list[str]:
    folder = resources.files("note_assistant.checks") / "data" / "profiles"
    return sorted(e.name[:-5] for e in folder.iterdir() if e.name.endswith(".toml"))


def load_profile(name_or_path: str | Path | None = None) -> RuleProfile:
    """A built-in profile by name (``default``, ``medicare``) or a profile file by path.

    Built-in profiles are read once per process (treat the returned profile as read-only).
    """
    name = str(name_or_path or "default")
    if name in _builtin_names():
        return _builtin_profile(name)
    return _load_profile(name)


@functools.cache
def _builtin_names() -> tuple[str, ...]:
    return tuple(builtin_profile_names())


@functools.cache
def _builtin_profile(name: str) -> RuleProfile:
    return _load_profile(name)


def _load_profile(name: str) -> RuleProfile:
    path = Path(name)
    if name in _builtin_names():
        entry = resources.files("note_assistant.checks") / "data" / "profiles" / f"{name}.toml"
        profile = _parse(entry.read_text(encoding="utf-8"), f"profile {name}")
    elif path.suffix == ".toml":
        try:
            profile = _parse(path.read_text(encoding="utf-8"), str(path))
        except FileNotFoundError:
            raise ProfileError(f"{path}: no such profile file") from None
        except UnicodeDecodeError:
            raise ProfileError(f"{path}: not UTF-8 text") from None
    else:
        raise ProfileError(
            f"unknown profile {name!r} (built-in: {', '.join(builtin_profile_names())}, or a .toml path)"
        )
    if profile.extends:
        if profile.extends == profile.name:
            raise ProfileError(f"profile {profile.name} extends itself")
        base = load_profile(profile.extends)
        profile = RuleProfile(
            name=profile.name, description=profile.description, extends=profile.extends,
            rules={**base.rules, **profile.rules}, options={**base.options, **profile.options},
        )
    return profile
