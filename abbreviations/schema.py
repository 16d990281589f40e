"""The shape of the data files, validated with pydantic (``extra="forbid"``).

* :class:`InventoryEntry` / :class:`Sense`: one line of ``mental_health.jsonl``, ``general.jsonl``
  or a clinic's house-shorthand file.
* :class:`DoNotUseRule`: one line of ``do_not_use.jsonl``.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Category = Literal[
    "therapy", "diagnosis", "measure", "risk", "level-of-care", "medication", "dosing",
    "credential", "agency", "legal", "shorthand", "substance", "clinical", "general", "unit",
    "clinic",
]
"""What kind of thing an abbreviation names (for grouping in the UI, never for matching)."""

_ID = r"^[a-z0-9][a-z0-9-]*$"


class Sense(BaseModel):
    """One meaning of an abbreviation, with how likely it is and what suggests it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID, max_length=80)
    """Stable identifier, unique within the entry (e.g. ``suicidal-ideation``)."""
    expansion: str = Field(min_length=1, max_length=200)
    """The words the abbreviation stands for, as they should appear in an expanded note."""
    prior: float = Field(ge=0.0, le=1.0)
    """How often this sense is meant in a mental-health outpatient note, before context."""
    cues: list[str] = Field(default_factory=list)
    """Single words (any case) that, near the abbreviation, point to this sense.
    ``<number>`` stands for any number, ``<code>`` for a five-digit code, ``<after-colon>`` for
    the abbreviation being a label's value (``Legal: NA``) and ``<label>`` for it labelling a
    field, first on its line (or right after a sentence's end) before a colon
    (``PE: lungs clear``)."""
    plural: str | None = Field(default=None, min_length=1, max_length=200)
    """The expansion for a plural spelling when adding ``-s`` would not do (``PRNs``:
    ``as-needed doses``, not ``as neededs``)."""
    past: str | None = Field(default=None, min_length=1, max_length=200)
    """The expansion for a past-tense use (``Rx'd``: ``prescribed``, ``f/u'd``: ``followed
    up``); without it the expansion's words get ``-ed``, which suits verbs only."""
    sections: list[str] = Field(default_factory=list)
    """Note-section keys (``subjective``, ``plan``, ``intervention``...) where this sense is usual."""
    domains: list[str] = Field(default_factory=list)
    """Broad topics (``medical``, ``substance``, ``billing``... from ``cue_domains.json``) whose
    words near the abbreviation give this sense a weaker vote than its own cues."""
    concept: str | None = Field(default=None, pattern=r"^[a-z]+:[A-Za-z0-9]+$", max_length=40)
    """Senses of one entry sharing a concept are one meaning worded twice (``umls:C0232230``:
    "second heart sound", "s2 (heart sound)"): the context weighs meanings, so they are not
    alternatives to each other and their probabilities add up."""

    @field_validator("cues")
    @classmethod
    def _single_words(cls, cues: list[str]) -> list[str]:
        for cue in cues:
            if not cue or any(ch.isspace() for ch in cue):
                raise ValueError(f"cue {cue!r} must be one word without spaces")
        return [cue.lower() for cue in cues]

    @field_validator("sections")
    @classmethod
    def _lower_sections(cls, sections: list[str]) -> list[str]:
        return [s.lower() for s in sections]


class InventoryEntry(BaseModel):
    """An abbreviation as written (with its spelling variants) and its senses."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    form: str = Field(min_length=1, max_length=24)
    """The usual written form, e.g. ``SI``, ``s/p``, ``PHQ-9``."""
    variants: list[str] = Field(default_factory=list)
    """Other spellings that mean the same (``S.I.``, ``si``)."""
    case_sensitive: bool = False
    """When true only ``form`` and ``variants`` match exactly as written; otherwise any casing."""
    common_word: bool = False
    """The form is also an ordinary English word (``ACT``, ``ADD``, ``ODD``): it must be
    case-sensitive, and in ALL-CAPS text it only counts when a cue word is near."""
    require_cue: bool = False
    """Only treat it as an abbreviation when a cue word of one of its senses is near."""
    category: Category
    """What kind of thing it names."""
    senses: list[Sense] = Field(min_length=1)
    """The meanings, most likely first is customary but not required."""

    @field_validator("variants")
    @classmethod
    def _no_blank_variants(cls, variants: list[str]) -> list[str]:
        for variant in variants:
            if not variant.strip() or len(variant) > 24:
                raise ValueError(f"variant {variant!r} must be 1-24 visible characters")
        return variants

    @model_validator(mode="after")
    def _consistent(self) -> "InventoryEntry":
        ids = [s.id for s in self.senses]
        if len(ids) != len(set(ids)):
            raise ValueError(f"sense ids must be unique within an entry: {ids}")
        total = sum(s.prior for s in self.senses)
        if total > 1.0 + 1e-6:
            raise ValueError(f"sense priors add up to {total:.3f}; they must not exceed 1")
        if self.common_word and not self.case_sensitive:
            raise ValueError("a common_word entry must be case_sensitive")
        if self.require_cue and not any(s.cues for s in self.senses):
            raise ValueError("require_cue needs at least one sense with cues")
        return self


Context = Literal["after_number", "dose_before", "medication"]
"""Named context tests for Do-Not-Use rules (see ``do_not_use.py``)."""


class DoNotUseRule(BaseModel):
    """One entry of the Joint Commission Do-Not-Use list or ISMP's error-prone list."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^(DNU|ISMP)-[A-Z0-9-]+$")
    """Stable id that findings cite (``DNU-U``, ``ISMP-CC``)."""
    source: Literal["TJC", "ISMP"]
    """The Joint Commission (Do-Not-Use) or ISMP (error-prone abbreviations)."""
    severity: Literal["error", "warning"]
    """TJC entries are errors, ISMP entries warnings."""
    forms: list[str] = Field(default_factory=list)
    """Literal spellings to find (bounded so they never match inside a word)."""
    regex: str | None = None
    """Alternatively, a regular expression over the note text (named groups may feed
    ``replacement``)."""
    trigger: str | None = None
    """For ``regex`` rules: a pattern one token's text must match in full for the regex to be
    tried around it (keeps checking a tokenized note fast). Required with ``regex``."""
    case_sensitive: bool = True
    """Whether ``forms`` match only as written."""
    context: list[Context] = Field(default_factory=list)
    """Any one of these must hold (empty: always). ``after_number``: a number right before;
    ``dose_before``: a number or dose unit within two tokens before; ``medication``: a dose,
    unit, route or dosing frequency within ``window`` tokens."""
    cues: list[str] = Field(default_factory=list)
    """Words that, within ``window`` tokens, also satisfy the context (e.g. ``drops`` for ``AU``)."""
    window: int = Field(default=4, ge=1, le=12)
    """Tokens to look at on each side for ``medication`` and ``cues``."""
    not_next: list[str] = Field(default_factory=list)
    """Lower-case words that, right after the match, mean it is something else."""
    not_previous: list[str] = Field(default_factory=list)
    """Lower-case words that, right before the match, mean it is something else."""
    not_after: list[str] = Field(default_factory=list)
    """Lower-case words that, among the ``window`` words before the match in its sentence, mean
    it is something else (``level`` for ``lithium level 1.0 mEq/L``: TJC allows the trailing
    zero of a reported lab value)."""
    not_before_number: list[str] = Field(default_factory=list)
    """For ``after_number``: lower-case words that, right before the number, make it a label
    rather than a dose (``room 4U``, ``ward 10 U``)."""
    message: str = Field(min_length=10)
    """What is wrong, in the project's own words."""
    replacement: str
    """What to write instead (regex rules may use ``\\g<name>`` groups)."""

    @model_validator(mode="after")
    def _consistent(self) -> "DoNotUseRule":
        if bool(self.forms) == bool(self.regex):
            raise ValueError("give exactly one of 'forms' or 'regex'")
        if self.regex:
            if not self.trigger:
                raise ValueError("a 'regex' rule needs a 'trigger'")
            for name in ("regex", "trigger"):
                try:
                    re.compile(getattr(self, name))
                except re.error as exc:
                    raise ValueError(f"{name} does not compile: {exc}") from exc
        expected = "error" if self.source == "TJC" else "warning"
        if self.severity != expected:
            raise ValueError(f"{self.source} rules have severity {expected!r}")
        return self
