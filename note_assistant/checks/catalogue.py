"""The rule catalogue: every rule's id, category, severity, message and source live in data.

Rule families decide *where* a rule fires; the catalogue (``checks/data/rules/*.toml``) says
*what* it tells the clinician. A message may use ``{placeholders}`` that the family fills.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from ..models import Category, Finding, Severity


class RuleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    category: Category
    severity: Severity
    message: str
    suggestion: str | None = None
    source: str | None = None
    """Where the rule comes from: a DOMAIN.md audit id (A1-A18), a regulation, a list."""
    description: str = ""


class CatalogueError(ValueError):
    pass


@functools.cache
def catalogue() -> dict[str, RuleSpec]:
    rules: dict[str, RuleSpec] = {}
    folder = resources.files("note_assistant.checks") / "data" / "rules"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
        for index, raw in enumerate(data.get("rule", [])):
            try:
                spec = RuleSpec.model_validate(raw)
            except ValidationError as exc:
                err = exc.errors()[0]
                field = ".".join(str(p) for p in err["loc"])
                raise CatalogueError(f"{entry.name}: rule #{index + 1} field {field}: {err['msg']}") from None
            if spec.id in rules:
                raise CatalogueError(f"{entry.name}: rule id {spec.id} defined twice")
            rules[spec.id] = spec
    return rules


def rule(rule_id: str) -> RuleSpec:
    try:
        return catalogue()[rule_id]
    except KeyError:
        raise CatalogueError(f"rule {rule_id} is not in the catalogue") from None


def make_finding(
    rule_id: str, *, text: str, start: int, end: int, section: str | None = None,
    cue: str | None = None, suggestion: str | None = None, data: dict[str, Any] | None = None,
    **values: Any,
) -> Finding:
    """A finding for ``rule_id`` over ``text[start:end]``, message filled from ``values``."""
    spec = rule(rule_id)
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"{rule_id}: span {start}..{end} is outside the text")
    return _trusted_finding(
        rule_id=spec.id, category=spec.category, severity=spec.severity,
        start=start, end=end, section=section, text=text[start:end],
        message=spec.message.format(**values),
        suggestion=suggestion if suggestion is not None else (
            spec.suggestion.format(**values) if spec.suggestion else None
        ),
        cue=cue, source=spec.source, data=data or {},
    )


_FINDING_FIELDS = frozenset(Finding.model_fields)


def _trusted_finding(**fields: Any) -> Finding:
    """A :class:`Finding` from fields built here out of a validated catalogue entry and checked
    offsets, without validating them again (a note can carry dozens of findings, and
    validation was a tenth of a check). Every field is given; the result equals the validated
    model (tests/checks/test_rule_catalogue_profiles.py)."""
    finding = Finding.__new__(Finding)
    object.__setattr__(finding, "__dict__", fields)
    object.__setattr__(finding, "__pydantic_fields_set__", set(_FINDING_FIELDS))
    object.__setattr__(finding, "__pydantic_extra__", None)
    object.__setattr__(finding, "__pydantic_private__", None)
    return finding
