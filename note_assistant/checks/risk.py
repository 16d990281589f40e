"""Risk documentation (A10, DOMAIN.md section 6): risk language needs an assessment in the note.

Terms, negation cues and assessment evidence are data (``data/lexicons/risk.toml``). A negated
term ("denies SI", "no history of self-harm") is a screen result, not risk language.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from abbreviations import regex_cache

from ..models import Finding
from ..spans import SpanIndex
from .context import CheckContext
from .textspans import FastPattern, Negation, data_toml, fast, heading_span

NEEDS_DOC = False


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RiskTerm(_Strict):
    kind: str
    pattern: str
    case_sensitive: bool = False
    not_before: str | None = None
    not_after: str | None = None


class NegationSpec(_Strict):
    before: list[str]
    after: list[str]
    pseudo: list[str] = []


class AssessmentSpec(_Strict):
    instrument: str
    level: list[str]
    low_levels: list[str]
    plan: str
    reason_none: str
    protective: str
    denial: list[str]


class RiskLexicon(_Strict):
    term: list[RiskTerm]
    negation: NegationSpec
    assessment: AssessmentSpec


def _word(pattern: str, flags: int) -> FastPattern:
    return fast(pattern, flags)


@dataclass(frozen=True)
class _Compiled:
    terms: list[tuple[RiskTerm, FastPattern, re.Pattern[str] | None, re.Pattern[str] | None]]
    negation: Negation
    instrument: FastPattern
    levels: list[FastPattern]
    low_levels: frozenset[str]
    plan: FastPattern
    reason_none: FastPattern
    protective: FastPattern
    denials: list[FastPattern]


@functools.cache
def compiled() -> _Compiled:
    lex = RiskLexicon.model_validate(data_toml("lexicons", "risk.toml"))
    terms = []
    for term in lex.term:
        flags = 0 if term.case_sensitive else re.IGNORECASE
        terms.append((
            term, _word(term.pattern, flags),
            regex_cache.compile(term.not_before, re.IGNORECASE) if term.not_before else None,
            regex_cache.compile(term.not_after, re.IGNORECASE) if term.not_after else None,
        ))
    a = lex.assessment
    return _Compiled(
        terms=terms,
        negation=Negation(lex.negation.before, lex.negation.after, lex.negation.pseudo, window=8),
        instrument=_word(a.instrument, re.IGNORECASE),
        levels=[_word(p, re.IGNORECASE) for p in a.level],
        low_levels=frozenset(a.low_levels),
        plan=_word(a.plan, re.IGNORECASE),
        reason_none=_word(a.reason_none, re.IGNORECASE),
        protective=_word(a.protective, re.IGNORECASE),
        denials=[_word(p, re.IGNORECASE) for p in a.denial],
    )


@dataclass
class RiskReading:
    """What the note says about risk: language found, and the assessment elements present."""

    hits: list[tuple[int, int, str]]
    """Non-negated risk language: (start, end, kind)."""
    denials: list[tuple[int, int]]
    instrument: bool
    level: str | None
    plan: bool
    reason_none: bool
    protective: bool


def read_risk(text: str) -> RiskReading:
    c = compiled()
    denied = SpanIndex()
    for pattern in c.denials:
        for m in pattern.finditer(text):
            if not denied.holds(m.start()):
                denied.add(m.start(), m.end())
    taken = SpanIndex()  # the hits so far
    hits: list[tuple[int, int, str]] = []
    for term, pattern, not_before, not_after in c.terms:
        for m in pattern.finditer(text):
            start, end = m.start(), m.end()
            if taken.meets(start, end):
                continue
            if not_before and not_before.search(text[max(0, start - 40):start]):
                continue
            if not_after and not_after.match(text[end:end + 40]):
                continue
            if denied.holds(start) or c.negation.negated(text, start, end):
                continue
            hits.append((start, end, term.kind))
            taken.add(start, end)
    hits.sort()
    level = None
    for pattern in c.levels:
        m = pattern.search(text)
        if m:
            level = m.group("level").lower()
            break
    return RiskReading(
        hits=hits, denials=list(denied.spans), instrument=bool(c.instrument.search(text)),
        level=level, plan=bool(c.plan.search(text)), reason_none=bool(c.reason_none.search(text)),
        protective=bool(c.protective.search(text)),
    )


def run(ctx: CheckContext) -> Iterator[Finding]:
    text = ctx.text
    reading = read_risk(text)
    screened = reading.instrument or reading.level is not None
    if reading.hits:
        missing = []
        if not screened:
            missing.append("a screen result or risk level (e.g. C-SSRS, \"risk low\")")
        low = reading.level in compiled().low_levels
        if not (reading.plan or reading.reason_none or low):
            missing.append("a safety plan or the reason none is needed")
        if not missing:
            return
        kinds = sorted({kind for _, _, kind in reading.hits})
        first = reading.hits[0]
        data = {"kinds": kinds, "missing": missing}
        if reading.denials and not screened:
            for start, end in reading.denials:
                yield ctx.finding("RISK-UNSUPPORTED-DENIAL", start, end,
                                  risk_text=text[first[0]:first[1]], kinds=", ".join(kinds),
                                  cue=text[first[0]:first[1]], data=data)
            return
        yield ctx.finding("RISK-NO-ASSESSMENT", first[0], first[1], kinds=", ".join(kinds),
                          missing="; ".join(missing), cue=text[first[0]:first[1]], data=data)
        return
    if not (screened or reading.denials):
        start, end = heading_span(ctx.parsed, "assessment", "response", "data", "behavior")
        yield ctx.finding("RISK-NO-SCREEN", start, end)
