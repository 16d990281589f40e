"""Note formats as data: the pydantic models that a format TOML file must satisfy.

A format is a list of sections. Each section carries what the guided editor needs (title,
prompt, example), what the parser needs (heading aliases) and what the checks need (required,
minimum words, required elements expressed as term lists or named lexicons).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

#: Canonical roles a section plays. Conversion between formats maps sections through these.
Role = Literal[
    "client-report",
    "observation",
    "assessment",
    "plan",
    "behavior",
    "intervention",
    "response",
    "goal",
    "problem",
]

_KEY_RE = re.compile(r"^[a-z][a-z0-9_-]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RequiredElement(_Strict):
    """Something a section must contain, e.g. "Plan names a next step".

    The element is satisfied when the section's text contains any of ``any_terms``
    (case-insensitive, whole words) or any term of the named ``lexicon`` (lexicons are
    shipped by the checks, e.g. ``interventions``).
    """

    id: str
    """Stable id, cited by the finding (``FMT-ELEMENT-<id>``)."""
    description: str
    """What the clinician should write, in plain words."""
    any_terms: list[str] = Field(default_factory=list)
    lexicon: str | None = None
    severity: Literal["error", "warning", "info"] = "warning"
    source: str | None = None
    """Where the requirement comes from (e.g. a payer audit item such as ``A4``)."""

    @model_validator(mode="after")
    def _has_a_test(self) -> "RequiredElement":
        if not self.any_terms and not self.lexicon:
            raise ValueError("a required element needs any_terms or a lexicon")
        return self


class SectionSpec(_Strict):
    """One section of a note format."""

    key: str
    """Stable machine key, lower case (``subjective``)."""
    title: str
    """Heading shown to the clinician (``Subjective``)."""
    aliases: list[str] = Field(default_factory=list)
    """Other headings that mean this section (``S``, ``Subj``). Matching ignores case."""
    prompt: str
    """What to write here, shown in the guided editor."""
    example: str
    """A short synthetic example."""
    required: bool = True
    min_words: int = Field(default=0, ge=0)
    roles: list[Role] = Field(min_length=1)
    """Canonical roles, used to convert between formats."""
    elements: list[RequiredElement] = Field(default_factory=list)

    @field_validator("key")
    @classmethod
    def _key_shape(cls, value: str) -> str:
        if not _KEY_RE.match(value):
            raise ValueError("must be lower case letters, digits, '-' or '_'")
        return value

    @property
    def headings(self) -> list[str]:
        """Every heading text that introduces this section (title first)."""
        seen: list[str] = []
        for name in [self.title, *self.aliases]:
            if name.lower() not in (s.lower() for s in seen):
                seen.append(name)
        return seen


class NoteFormat(_Strict):
    """A complete note format (SOAP, BIRP, DAP, GIRP, PIRP or a clinic's own)."""

    key: str
    name: str
    description: str
    sections: list[SectionSpec] = Field(min_length=1)

    @field_validator("key")
    @classmethod
    def _key_shape(cls, value: str) -> str:
        if not _KEY_RE.match(value):
            raise ValueError("must be lower case letters, digits, '-' or '_'")
        return value

    @model_validator(mode="after")
    def _unique(self) -> "NoteFormat":
        keys = [s.key for s in self.sections]
        if len(set(keys)) != len(keys):
            raise ValueError(f"section keys repeat: {keys}")
        owner: dict[str, str] = {}
        for section in self.sections:
            for heading in section.headings:
                other = owner.setdefault(heading.lower(), section.key)
                if other != section.key:
                    raise ValueError(
                        f"heading {heading!r} is used by both {other!r} and {section.key!r}"
                    )
        return self

    def section(self, key: str) -> SectionSpec:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    @property
    def required_keys(self) -> list[str]:
        return [s.key for s in self.sections if s.required]
