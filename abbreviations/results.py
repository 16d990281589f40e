"""What the expander and the Do-Not-Use checker report (plain dataclasses with slots).

They are built by the hundred on every keystroke's check, so they are not frozen (frozen
dataclasses pay for ``object.__setattr__`` on every field); treat them as read-only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Source = Literal["note-definition", "mental-health", "general", "clinic"]


@dataclass(slots=True)
class Alternative:
    """Another sense the abbreviation could have, with its share of the confidence."""

    expansion: str
    confidence: float
    sense_id: str = ""


@dataclass(slots=True)
class Abbreviation:
    """One abbreviation found in a note, with the sense chosen for it."""

    text: str
    """The text as written (``doc.text[start:end]``)."""
    start: int
    """Character offset into the note where it starts."""
    end: int
    """Character offset just past its end."""
    form: str
    """The inventory form it resolved to (``SI`` for ``S.I.``, ``SSRI`` for ``SSRIs``)."""
    expansion: str
    """The chosen sense, inflected like the written form (``SSRIs`` -> ``...inhibitors``)."""
    confidence: float
    """Share of the evidence for the chosen sense, 0-1."""
    source: Source
    """Where the sense came from: a definition in the note, or an inventory layer."""
    sense_id: str
    """Stable id of the chosen sense (``note-definition`` for definitions in the note)."""
    ambiguous: bool
    """True when the top two senses are close: show the alternatives, don't guess silently."""
    alternatives: tuple[Alternative, ...] = ()
    """Other senses, most likely first."""
    category: str = ""
    """Inventory category (``therapy``, ``risk``...), empty for note definitions."""
    is_definition: bool = False
    """True for the occurrence that is itself the definition, e.g. ``(ACT)`` in
    ``acceptance and commitment therapy (ACT)``; expanded text leaves it as written."""

    def to_dict(self) -> dict:
        """JSON-ready form (alternatives as ``{"expansion", "confidence", "sense_id"}``)."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class DoNotUseHit:
    """A Joint Commission Do-Not-Use or ISMP error-prone abbreviation in the note."""

    rule_id: str
    source: str
    """``TJC`` or ``ISMP``."""
    severity: str
    """``error`` (TJC) or ``warning`` (ISMP)."""
    start: int
    end: int
    text: str
    message: str
    replacement: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ExpandedSpan:
    """Where one abbreviation's expansion landed in ``ExpansionResult.expanded_text``."""

    start: int
    end: int
    abbreviation: Abbreviation

    @property
    def ambiguous(self) -> bool:
        return self.abbreviation.ambiguous


@dataclass(frozen=True, slots=True)
class ExpansionResult:
    """The abbreviations of a note and the note with them written out."""

    text: str
    abbreviations: list[Abbreviation]
    expanded_text: str
    """The note with every abbreviation written out (ambiguous ones with their best sense;
    their positions are in ``expanded_spans`` with ``ambiguous=True``). Text outside
    abbreviations is unchanged."""
    expanded_spans: list[ExpandedSpan] = field(default_factory=list)
    do_not_use: list[DoNotUseHit] = field(default_factory=list)

    @property
    def ambiguous(self) -> list[Abbreviation]:
        """The abbreviations whose sense should be confirmed by the author."""
        return [a for a in self.abbreviations if a.ambiguous]
