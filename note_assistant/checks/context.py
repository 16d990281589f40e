"""What every rule family receives, and how it reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from note_formats import NoteFormat, ParsedNote

from ..models import Finding, Note, TreatmentPlan
from .catalogue import make_finding

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .profiles import RuleProfile


@dataclass
class CheckContext:
    """One note being checked, with everything a rule may consult."""

    parsed: ParsedNote
    fmt: NoteFormat | None
    """The note's format (None for free text)."""
    doc: "Doc | None"
    """The spaCy Doc over the whole text (offsets equal the text's)."""
    profile: "RuleProfile"
    plan: TreatmentPlan | None = None
    history: list[Note] = field(default_factory=list)
    """Earlier notes: the same client's, and the same clinician's for other clients."""
    today: dt.date = field(default_factory=dt.date.today)
    client_id: str | None = None
    author_id: str | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    """Family results worth showing beside findings (e.g. matched plan objectives)."""

    @property
    def text(self) -> str:
        return self.parsed.text

    def section_key(self, offset: int) -> str | None:
        section = self.parsed.section_at(offset)
        return section.key if section else None

    def finding(self, rule_id: str, start: int, end: int, **values: Any) -> Finding:
        """A catalogue rule's finding over ``text[start:end]``, its section filled in."""
        values.setdefault("section", self.section_key(start))
        return make_finding(rule_id, text=self.text, start=start, end=end, **values)


RuleFamily = Callable[[CheckContext], Iterable[Finding]]
