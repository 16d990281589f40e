"""Stigmatizing language (DOMAIN.md section 7): flag labels and loaded verbs, suggest neutral,
person-first wording. Patterns and their sense-deciding context are data
(``data/lexicons/stigma.toml``); each names the catalogue rule it fires.

Decisions (see docs/RULES.md): words inside quotation marks are the client's own and are not
flagged ("Client said, 'I'm an addict'"); a term right after a negation is not flagged ("did
not refuse medication"); reported speech without quotes is the clinician's wording and is.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from abbreviations import regex_cache

from ..models import Finding
from .context import CheckContext
from ..spans import SpanIndex
from .textspans import FastPattern, data_toml, fast, quoted_spans

NEEDS_DOC = False
_NEGATED = re.compile(
    r"(?:\b(?:not|never|no\s+longer|didn't|doesn't|isn't|wasn't|hasn't|did\s+not|does\s+not|has\s+not|"
    r"was\s+not|is\s+not)\s+(?:\w+\s+){0,2})$",
    re.IGNORECASE,
)


class StigmaTerm(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str
    pattern: str
    before: str | None = None
    after: str | None = None
    not_before: str | None = None
    not_after: str | None = None


class StigmaLexicon(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    term: list[StigmaTerm]


def _opt(pattern: str | None) -> re.Pattern[str] | None:
    return regex_cache.compile(pattern, re.IGNORECASE) if pattern else None


@dataclass(frozen=True)
class _Term:
    rule: str
    pattern: FastPattern
    before: re.Pattern[str] | None
    after: re.Pattern[str] | None
    not_before: re.Pattern[str] | None
    not_after: re.Pattern[str] | None


@functools.cache
def terms() -> tuple[_Term, ...]:
    lex = StigmaLexicon.model_validate(data_toml("lexicons", "stigma.toml"))
    return tuple(
        _Term(
            t.rule, fast(t.pattern),
            _opt(t.before), _opt(t.after), _opt(t.not_before), _opt(t.not_after),
        )
        for t in lex.term
    )


def find_stigma(text: str, start: int = 0) -> list[tuple[int, int, str]]:
    """(start, end, rule id) of every stigmatizing use in ``text[start:]``, in text order."""
    quoted = SpanIndex(quoted_spans(text))
    hits: list[tuple[int, int, str]] = []
    for term in terms():
        for m in term.pattern.finditer(text, start):
            s, e = m.span()
            if quoted.holds(s):
                continue
            before, after = text[max(0, s - 80):s], text[e:e + 60]
            if term.not_before and term.not_before.search(before):
                continue
            if term.not_after and term.not_after.search(after):
                continue
            if (term.before or term.after) and not (
                (term.before and term.before.search(before)) or (term.after and term.after.search(after))
            ):
                continue
            if _NEGATED.search(before[-40:]):
                continue
            if any(hs < e and s < he for hs, he, _ in hits):
                continue
            hits.append((s, e, term.rule))
    hits.sort()
    return hits


def run(ctx: CheckContext) -> Iterator[Finding]:
    for start, end, rule_id in find_stigma(ctx.text, ctx.parsed.front_matter_end):
        phrase = ctx.text[start:end]
        yield ctx.finding(rule_id, start, end, term=phrase, cue=phrase)
