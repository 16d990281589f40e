"""Rule data for the process-content component: cue rules (JSONL) and decisions (TOML).

Everything is read with ``importlib.resources`` from ``note_assistant/nlp/data/process_content``
and validated with pydantic models that forbid unknown fields. A bad line raises
:class:`RuleDataError` naming the file, the line and the field.

* **Cue rules** (``*.jsonl``, one rule a line) follow medspacy's ConText rules: a stable ``id``, a
  readable ``literal`` (matched case-insensitively as a phrase unless a ``regex`` is given), a
  ``category`` (a modifier such as ``HEDGE`` or ``NEGATED``, or a target such as
  ``INTERP_STRONG``), and for modifiers a ``direction`` and optional ``max_scope`` in words.
* **Decisions** (``decisions.toml``) say which combination of cues makes a sentence
  psychotherapy-note content, and which sub-category it is.
"""

from __future__ import annotations

import functools
import json
import re
import tomllib
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from abbreviations import regex_cache

DATA_PACKAGE = "note_assistant.nlp"
DATA_DIR = ("data", "process_content")
DECISIONS_FILE = "decisions.toml"

Direction = Literal["FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO", "NONE"]
Subcategory = Literal[
    "countertransference", "speculation", "transference-defence", "dream-fantasy",
    "intimate-detail", "third-party",
]
SUBCATEGORIES: tuple[str, ...] = Subcategory.__args__  # type: ignore[attr-defined]

#: Categories the component computes itself (not from cue rules).
COMPUTED_CATEGORIES = ("NAME", "QUOTE_LONG")


class RuleDataError(ValueError):
    """A rule file is malformed; the message names the file, the line and the field."""


class CueRule(BaseModel):
    """One cue: a word or phrase that signals a modifier or a target concept."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    """Stable id, cited in findings (``data["cue_rule"]``)."""
    literal: str = Field(min_length=1)
    """The readable phrase; matched as written (case-insensitive, any whitespace) unless
    ``regex`` is given, in which case it is the example shown to people."""
    regex: str | None = None
    """A Python regular expression over lower-cased text, anchored at a word start and ending at
    a word end. Use ``(?:...)`` groups only."""
    category: str = Field(pattern=r"^[A-Z][A-Z_]*$")
    direction: Direction = "NONE"
    """ConText direction for modifiers; targets use NONE."""
    max_scope: int | None = Field(default=None, ge=1, le=60)
    """Scope limit in words (None: up to the sentence end or a TERMINATE cue)."""
    terminated_by: list[str] = Field(default_factory=list)
    """Extra categories that end this modifier's scope (besides TERMINATE), e.g. COMMA."""
    cancelled_by: list[str] = Field(default_factory=list)
    """Modifier categories that, starting before this modifier and covering it, cancel it
    ("perhaps she believes ..." is the clinician's guess, not the client's belief)."""
    weight: int = Field(default=1, ge=0, le=5)
    """Contribution to a decision's ``score`` (e.g. how identifying or sensitive)."""
    comment: str = ""

    @field_validator("literal")
    @classmethod
    def _literal_lower(cls, value: str) -> str:
        if value != value.strip():
            raise ValueError("literal has leading or trailing whitespace")
        return value

    @field_validator("regex")
    @classmethod
    def _regex_compiles(cls, value: str | None) -> str | None:
        if value is None:
            return value
        try:
            compiled = regex_cache.compile(value)
        except re.error as exc:
            raise ValueError(f"regex does not compile: {exc}") from None
        if compiled.groups:
            raise ValueError("regex must not use capturing groups; write (?:...)")
        if compiled.match(""):
            raise ValueError("regex matches the empty string")
        return value

    @property
    def source(self) -> str:
        """The regex source this rule matches with."""
        if self.regex is not None:
            return self.regex
        words = self.literal.lower().split()
        return r"\s+".join(re.escape(w) for w in words)


class Decision(BaseModel):
    """When cue hits in one sentence make it psychotherapy-note content."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    subcategory: Subcategory
    description: str = ""
    target: list[str] = Field(min_length=1)
    """Categories of the anchor cue (the cue the finding cites)."""
    target_quoted: Literal["exclude", "include", "only"] = "exclude"
    """Whether a target inside a client quote counts."""
    in_scope_any: list[str] = Field(default_factory=list)
    """At least one modifier of these categories must have the target in its scope."""
    in_scope_none: list[str] = Field(default_factory=list)
    """No modifier of these categories may have the target in its scope."""
    sentence_any: list[str] = Field(default_factory=list)
    """At least one hit of these categories anywhere in the sentence."""
    sentence_none: list[str] = Field(default_factory=list)
    """No hit of these categories anywhere in the sentence."""
    score: list[str] = Field(default_factory=list)
    """Categories whose hits' weights add up to the sentence's score."""
    min_score: int = 0
    count_quoted: bool = False
    """Whether hits inside quotes count for ``sentence_any`` and ``score``."""
    min_words_after: int = 0
    """Words needed after the target, up to the sentence end (elaborated content)."""
    after_any: list[str] = Field(default_factory=list)
    """A hit of one of these categories must start after the target's start and within
    ``after_within`` words of its end (it may lie inside the target's own span)."""
    after_within: int = Field(default=5, ge=0, le=60)

    def categories(self) -> set[str]:
        return {*self.target, *self.in_scope_any, *self.in_scope_none, *self.sentence_any,
                *self.sentence_none, *self.score, *self.after_any}


class SubcategoryInfo(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: Subcategory
    rule_id: str = Field(pattern=r"^PC-[A-Z-]+$")
    """The catalogue rule a finding of this sub-category reports under."""
    label: str


class ComputedConfig(BaseModel):
    """Settings of the computed categories NAME and QUOTE_LONG."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name_exclude: list[str] = Field(default_factory=list)
    """Capitalised words that are not names (headings, roles, common note words)."""
    name_weight: int = Field(default=1, ge=0, le=5)
    quote_min_words: int = Field(default=6, ge=1)
    """A client quote this long counts as a verbatim quote (QUOTE_LONG)."""


class ModelHints(BaseModel):
    """How a model-only finding gets its sub-category: the first hint category present."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    default_subcategory: Subcategory = "speculation"
    hints: list[tuple[str, Subcategory]] = Field(default_factory=list)
    veto: list[str] = Field(default_factory=list)
    """Categories that keep the model quiet on a sentence: the rules' explicit reasons for
    progress-note content (a client's belief, a plan, a risk assessment ...)."""


class Decisions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    computed: ComputedConfig = Field(default_factory=ComputedConfig)
    model: ModelHints = Field(default_factory=ModelHints)
    categories: dict[str, str]
    """Every category a cue may have, with what it means."""
    subcategory: list[SubcategoryInfo]
    decision: list[Decision]


class RuleSet:
    """All cue rules and decisions, validated and cross-checked."""

    def __init__(self, cues: list[CueRule], decisions: Decisions) -> None:
        self.cues = cues
        self.decisions = decisions.decision
        self.categories = decisions.categories
        self.computed = decisions.computed
        self.model_hints = decisions.model
        self.subcategories = {s.key: s for s in decisions.subcategory}
        self.by_id = {cue.id: cue for cue in cues}


def _data_dir() -> Traversable:
    folder = resources.files(DATA_PACKAGE)
    for part in DATA_DIR:
        folder = folder / part
    return folder


def _error_field(exc: ValidationError) -> tuple[str, str]:
    err = exc.errors()[0]
    return ".".join(str(p) for p in err["loc"]) or "(line)", err["msg"]


def parse_cue_lines(name: str, text: str) -> list[tuple[int, CueRule]]:
    """Parse one JSONL file of cue rules into ``(line number, rule)``.

    Errors name ``name``, the line and the field. Blank lines and ``//`` comment lines are
    skipped.
    """
    rules: list[tuple[int, CueRule]] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("//"):
            continue
        try:
            raw = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise RuleDataError(f"{name}:{lineno}: not valid JSON ({exc.msg})") from None
        if not isinstance(raw, dict):
            raise RuleDataError(f"{name}:{lineno}: a rule must be a JSON object")
        try:
            rules.append((lineno, CueRule.model_validate(raw)))
        except ValidationError as exc:
            field, msg = _error_field(exc)
            rid = raw.get("id", "?")
            raise RuleDataError(f"{name}:{lineno}: rule {rid!r} field {field}: {msg}") from None
    return rules


def parse_decisions(name: str, text: str) -> Decisions:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleDataError(f"{name}: not valid TOML ({exc})") from None
    try:
        return Decisions.model_validate(raw)
    except ValidationError as exc:
        field, msg = _error_field(exc)
        raise RuleDataError(f"{name}: field {field}: {msg}") from None


def build_ruleset(files: dict[str, str], decisions_text: str,
                  decisions_name: str = DECISIONS_FILE) -> RuleSet:
    """Validate and cross-check rule files given as ``{file name: text}``."""
    decisions = parse_decisions(decisions_name, decisions_text)
    known = set(decisions.categories)
    missing = set(COMPUTED_CATEGORIES) - known
    if missing:
        raise RuleDataError(f"{decisions_name}: categories lacks computed {sorted(missing)}")
    cues: list[CueRule] = []
    seen: dict[str, str] = {}
    for name in sorted(files):
        for lineno, cue in parse_cue_lines(name, files[name]):
            if cue.id in seen:
                raise RuleDataError(
                    f"{name}:{lineno}: rule {cue.id!r} field id: already defined at {seen[cue.id]}"
                )
            if cue.category not in known:
                raise RuleDataError(
                    f"{name}:{lineno}: rule {cue.id!r} field category: "
                    f"unknown category {cue.category!r}"
                )
            for field in ("terminated_by", "cancelled_by"):
                for term in getattr(cue, field):
                    if term not in known:
                        raise RuleDataError(
                            f"{name}:{lineno}: rule {cue.id!r} field {field}: "
                            f"unknown category {term!r}"
                        )
            seen[cue.id] = f"{name}:{lineno}"
            cues.append(cue)
    for decision in decisions.decision:
        unknown = decision.categories() - known
        if unknown:
            raise RuleDataError(
                f"{decisions_name}: decision {decision.id!r} uses unknown categories {sorted(unknown)}"
            )
    unknown = ({category for category, _ in decisions.model.hints}
               | set(decisions.model.veto)) - known
    if unknown:
        raise RuleDataError(f"{decisions_name}: model.hints uses unknown categories {sorted(unknown)}")
    subs = {s.key for s in decisions.subcategory}
    if subs != set(SUBCATEGORIES):
        raise RuleDataError(f"{decisions_name}: subcategory table must list {sorted(SUBCATEGORIES)}")
    return RuleSet(cues, decisions)


@functools.cache
def load_ruleset() -> RuleSet:
    """The packaged rules, loaded once per process."""
    folder = _data_dir()
    files = {
        entry.name: entry.read_text(encoding="utf-8")
        for entry in folder.iterdir()
        if entry.name.endswith(".jsonl")
    }
    decisions = (folder / DECISIONS_FILE).read_text(encoding="utf-8")
    return build_ruleset(files, decisions)
