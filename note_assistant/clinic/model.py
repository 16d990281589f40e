"""The clinic configuration file: one TOML file, validated with pydantic (``extra="forbid"``).

Paths in the file (formats folder, profile file, abbreviation files) are relative to the file's
own folder. Example::

    name = "Riverside Counseling"
    formats_dir = "formats"
    profile = "medicare"
    required_header = ["cpt", "diagnosis"]

    [thresholds]
    plan_review_days = 90
    late_entry_days = 3
    clone_threshold = 88

    [abbreviations]
    files = ["house-shorthand.jsonl"]

    [[abbreviations.entries]]
    form = "IOP"
    expansion = "intensive outpatient program"

    [[abbreviations.banned]]
    form = "pt"
    instead = "client"

    [[requirements.soap.elements]]
    section = "assessment"
    id = "risk-level"
    description = "The assessment states a risk level."
    any_terms = ["low risk", "risk low", "moderate risk", "high risk"]
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

HeaderField = Literal[
    "client", "date", "start", "end", "duration", "cpt", "clinician", "credentials", "modality",
    "diagnosis", "platform", "client_location", "signature",
]
"""Header fields a clinic can require on every note (``NoteHeader`` names; ``duration`` is
satisfied by start and stop times too)."""

Severity = Literal["error", "warning", "info"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HouseAbbreviation(_Strict):
    """A clinic's own shorthand with its one meaning, e.g. ``IOP`` = intensive outpatient program."""

    form: str = Field(min_length=1, max_length=24)
    """The written form."""
    expansion: str = Field(min_length=1, max_length=200)
    """What it stands for, as it should read in an expanded (client-access) copy."""
    variants: list[str] = Field(default_factory=list)
    """Other spellings of the same form."""
    case_sensitive: bool = False
    """Match only as written (set it for forms that are also ordinary words)."""

    def inventory_entry(self) -> dict[str, object]:
        """The entry in the abbreviations inventory schema (category ``clinic``, prior 1)."""
        sense_id = re.sub(r"[^a-z0-9]+", "-", self.expansion.lower()).strip("-")[:80] or "clinic"
        return {
            "form": self.form, "variants": list(self.variants),
            "case_sensitive": self.case_sensitive, "category": "clinic",
            "senses": [{"id": sense_id, "expansion": self.expansion, "prior": 1.0}],
        }


class BannedAbbreviation(_Strict):
    """A form the clinic does not allow in notes (on top of the Joint Commission list)."""

    form: str = Field(min_length=1, max_length=24)
    """The written form, e.g. ``pt`` or ``b/c``."""
    instead: str = ""
    """What to write instead."""
    reason: str = ""
    """Why, in one sentence (shown with the finding)."""
    case_sensitive: bool = False
    """Match only as written; otherwise any casing."""
    severity: Severity = "warning"


class AbbreviationSettings(_Strict):
    """House shorthand (added to the inventory) and banned forms."""

    files: list[str] = Field(default_factory=list)
    """JSONL files in the abbreviations inventory schema, one entry a line."""
    entries: list[HouseAbbreviation] = Field(default_factory=list)
    """Short entries written inline in this file."""
    banned: list[BannedAbbreviation] = Field(default_factory=list)


class ElementRequirement(_Strict):
    """Something a section must contain, added to a format (like a format's own ``elements``)."""

    section: str
    """The section key (``assessment``, ``plan``...)."""
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    """Stable id; findings cite it as ``FMT-ELEMENT-MISSING`` with ``element = id``."""
    description: str = Field(min_length=1)
    any_terms: list[str] = Field(default_factory=list)
    lexicon: str | None = None
    severity: Severity = "warning"

    @model_validator(mode="after")
    def _has_a_test(self) -> "ElementRequirement":
        if not self.any_terms and not self.lexicon:
            raise ValueError("a required element needs any_terms or a lexicon")
        return self


class FormatRequirements(_Strict):
    """What a clinic adds to one format."""

    required_sections: list[str] = Field(default_factory=list)
    """Section keys that become required (for clinic formats with optional sections)."""
    elements: list[ElementRequirement] = Field(default_factory=list)


class Thresholds(_Strict):
    """Review thresholds; a value left out keeps the rule profile's own."""

    plan_review_days: int | None = Field(default=None, ge=1, le=730)
    """Days between treatment-plan reviews (commonly 90)."""
    late_entry_days: int | None = Field(default=None, ge=0, le=365)
    """A note written this many days after the session is a late entry."""
    clone_threshold: int | None = Field(default=None, ge=50, le=100)
    """Similarity (0-100) above which a section counts as cloned from an earlier note."""


class ClinicConfig(_Strict):
    """One clinic's settings. Every field is optional; an empty file is a valid configuration."""

    name: str = ""
    """The clinic's name, shown in reports and exports."""
    formats_dir: str | None = None
    """Folder of the clinic's own format TOML files (added to SOAP, BIRP, DAP, GIRP, PIRP)."""
    profile: str = "default"
    """Active rule profile: a built-in name (``default``, ``medicare``) or a ``.toml`` file."""
    default_format: str = "auto"
    """Format used when a note's format is not detected (``auto`` detects it)."""
    required_header: list[HeaderField] = Field(default_factory=list)
    """Header fields every note must have."""
    abbreviations: AbbreviationSettings = Field(default_factory=AbbreviationSettings)
    requirements: dict[str, FormatRequirements] = Field(default_factory=dict)
    """Extra requirements per format key (``[requirements.soap]``)."""
    thresholds: Thresholds = Field(default_factory=Thresholds)

    @field_validator("required_header")
    @classmethod
    def _no_repeats(cls, fields: list[str]) -> list[str]:
        if len(set(fields)) != len(fields):
            raise ValueError("a header field is listed twice")
        return fields
