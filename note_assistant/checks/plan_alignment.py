"""Plan alignment (A5, A17; DOMAIN.md section 3): which plan objectives and interventions a note
addresses, and what the plan is missing.

How an objective is matched (docs/RULES.md has the full account): the note's body outside the
Plan section, minus sentences that defer or skip work ("not reviewed", "deferred", "next
session"), is cut into clauses; clauses and objectives become weighted features (``plan_vocab``:
synonym concepts, else stems; ``plan_index``: an objective's features, shared features split
among objectives). A clause supports the objectives it scores at least ``RELATIVE`` x the best
score for; an objective is addressed when one clause reaches ``THRESHOLD`` or its clauses add up
to ``TOTAL``. Counting clauses and a rapidfuzz similarity to the objective add small bonuses.
Thresholds were set on the tune split of ``eval/data/plan_alignment.jsonl`` only.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from note_formats import ParsedNote, parse_note
from rapidfuzz import fuzz

from ..models import Finding, TreatmentPlan
from .context import CheckContext
from .plan_index import PlanIndex, _modalities_in, _Target, plan_index, techniques, topics
from .plan_vocab import vocabulary
from .textspans import FastPattern, heading_span, trim

NEEDS_DOC = False

THRESHOLD = 1.1
RELATIVE = 0.7
TOTAL = 2.0
FUZZ_BONUS_AT = 70.0
"""A clause whose token-set similarity to the objective text reaches this gets +0.5."""
MEASURE_BONUS = 0.3
MEASURE_MIN = 0.5
"""A clause that counts or scores something ("2 of 7 days", "= 14", "this wk") and already
shares this much with an objective gets MEASURE_BONUS: it likely measures the objective."""
_COUNT = FastPattern(
    r"\b\d+\s*(?:/\s*\d+|of\s+\d+|x\b|times\b|days?\b|nights?\b|episodes?\b|per\b|/\s*(?:wk|week|day|night))|"
    r"\b(?:this|past|last)\s+(?:wk|week)\b|[=:]\s*\d+|\d+\s*(?:->|to)\s*\d+|\b(?:no|zero|none)\s+\w+\s+(?:this|for|in)\b",
    re.IGNORECASE,
)
FUZZ_MIN = 0.5
"""The similarity bonus needs at least this much shared evidence first."""

_SKIPPED_SECTIONS = frozenset({"plan"})
_CLAUSE = re.compile(r"\s[-\u2013\u2014]+\s|;\s+")
_SENTENCE = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n")
_TIMEFRAME = FastPattern(r"\b(?:this|past|last)\s+(?:wk|week|weeks|wks|month|\d+\s+(?:wks?|weeks?|days?|months?))\b|"
                        r"\bfor\s+\d+\s+(?:wks?|weeks?|days?|months?)\b|\bsince\b|\b\d+\s*/\s*\d+\b|\b\d+\s*x\b",
                        re.IGNORECASE)
_NEGATORS = frozenset({"not", "no", "never", "without", "denies", "denied", "didn't", "hasn't",
                       "haven't", "isn't", "wasn't", "nor", "none"})
_PSEUDO_AFTER = frozenset({"change", "only", "increase", "longer"})
_OBJECTIVE_REF = FastPattern(r"\b(?:objective|obj\.?)\s*#?\s*([A-Za-z]?\d+(?:\.\d+)*)", re.IGNORECASE)


# --- the note ---------------------------------------------------------------------------------

_HEADER_LINE = re.compile(r"^\s*[-*]?\s*\**[A-Za-z][A-Za-z0-9 ./#-]{0,24}\**\s*:|\|")


def _prose_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Lines of text before the first heading that are prose, not header fields ("Date: ...",
    "DOS 2026-08-13 | 09:00 | 90837")."""
    regions, cursor = [], start
    while cursor < end:
        stop = text.find("\n", cursor, end)
        stop = end if stop < 0 else stop
        line = text[cursor:stop]
        if line.strip() and not _HEADER_LINE.search(line):
            regions.append((cursor, stop))
        cursor = stop + 1
    return regions


def clauses(parsed: ParsedNote) -> list[tuple[int, int]]:
    """Evidence units: clauses of the body outside the Plan section, skipping deferred ones."""
    text, vocab = parsed.text, vocabulary()
    if parsed.sections:
        regions = [(s.body_start, s.end) for s in parsed.sections if s.key not in _SKIPPED_SECTIONS]
        if parsed.format == "girp":
            regions += [(s.start, s.body_start) for s in parsed.sections if s.key == "goal"]
        regions += _prose_lines(text, parsed.front_matter_end, parsed.preamble_end)
    else:
        regions = [(parsed.front_matter_end, len(text))]
    units: list[tuple[int, int]] = []
    for start, end in regions:
        cursor = start
        for m in list(_SENTENCE.finditer(text, start, end)) + [None]:
            s, e = trim(text, cursor, m.start() if m else end)
            cursor = m.end() if m else end
            if e <= s or vocab.deferred(text, s, e):
                continue
            inner = s
            for c in list(_CLAUSE.finditer(text, s, e)) + [None]:
                cs, ce = trim(text, inner, c.start() if c else e)
                if ce > cs:
                    units.append((cs, ce))
                if c:
                    inner = c.end()
    return sorted(units)


def unit_features(text: str, start: int, end: int) -> dict[str, tuple[int, int]]:
    """A clause's features (see :func:`note_features`)."""
    return note_features(text, [(start, end)])[0]


def note_features(text: str, units: list[tuple[int, int]]) -> list[dict[str, tuple[int, int]]]:
    """Each clause's features, without negated mentions ("still not driving": a negation among
    the three words before) unless the clause counts something over a time frame ("no
    self-injury for 3 wks" measures the objective). One pass over the note's tokens."""
    vocab = vocabulary()
    if not units:
        return []
    lo, hi = units[0][0], max(e for _, e in units)
    tokens, lowers, hits = vocab.analyse(text, lo, hi)
    out: list[dict[str, tuple[int, int]]] = []
    h = 0
    for start, end in units:
        while h < len(hits) and hits[h].start < start:
            h += 1
        timed = None
        feats: dict[str, tuple[int, int]] = {}
        j = h
        while j < len(hits) and hits[j].start < end:
            hit = hits[j]
            j += 1
            if hit.end > end or hit.feature in feats:
                continue
            if _negated(tokens, lowers, hit.token, start):
                timed = timed if timed is not None else _TIMEFRAME.search(text, start, end) is not None
                if not timed:
                    continue
            feats[hit.feature] = (hit.start, hit.end)
        out.append(feats)
    return out


def _negated(tokens: list[re.Match[str]], lowers: list[str], index: int, clause_start: int) -> bool:
    for k in range(max(0, index - 3), index):
        if tokens[k].start() >= clause_start and lowers[k] in _NEGATORS:
            after = lowers[k + 1] if k + 1 < len(lowers) else ""
            if after not in _PSEUDO_AFTER:
                return True
    return False


@dataclass
class _Match:
    score: float = 0.0
    total: float = 0.0
    evidence: tuple[int, int] | None = None


@dataclass
class Alignment:
    """Which objectives and interventions a note addresses; ``as_dict()`` is JSON-able."""

    objectives: list[dict[str, Any]] = field(default_factory=list)
    interventions: list[dict[str, Any]] = field(default_factory=list)
    unplanned: list[dict[str, Any]] = field(default_factory=list)

    @property
    def addressed(self) -> set[str]:
        return {o["id"] for o in self.objectives if o["addressed"]}

    def as_dict(self) -> dict[str, Any]:
        return {"objectives": self.objectives, "interventions": self.interventions,
                "unplanned_interventions": self.unplanned}


def _score(targets: list[_Target], units: list[tuple[int, int]], text: str,
           unit_features: list[dict[str, tuple[int, int]]], fuzzy: bool) -> list[_Match]:
    matches = [_Match() for _ in targets]
    for (start, end), feats in zip(units, unit_features):
        if not feats:
            continue
        counts = None
        joined = None
        raws, scores = [], []
        for target in targets:
            weights = target.weights
            raw = 0.0
            for feature in feats:
                raw += weights.get(feature, 0.0)
            score = raw
            if raw >= FUZZ_MIN and fuzzy:
                joined = joined if joined is not None else " ".join(sorted(feats))
                if fuzz.token_set_ratio(joined, target.text, score_cutoff=FUZZ_BONUS_AT):
                    score += 0.5
            if raw >= MEASURE_MIN and fuzzy:
                counts = counts if counts is not None else _COUNT.search(text, start, end) is not None
                if counts:
                    score += MEASURE_BONUS
            raws.append(raw)
            scores.append(score)
        best = max(raws, default=0.0)
        for match, raw, score in zip(matches, raws, scores):
            if raw <= 0 or raw < RELATIVE * best:
                continue
            match.total += score
            if score > match.score:
                match.score, match.evidence = score, (start, end)
    if fuzzy:
        refs = [(ref.group(1).lower().lstrip("o"), ref.span()) for ref in _OBJECTIVE_REF.finditer(text)]
        for target, match in zip(targets, matches):
            for number, span in refs:
                if number == target.id.lower().lstrip("o"):
                    match.score, match.evidence = max(match.score, THRESHOLD + 1), span
    return matches


def _addressed(match: _Match) -> bool:
    return match.score >= THRESHOLD or match.total >= TOTAL


def align(plan: TreatmentPlan, parsed: ParsedNote | str) -> Alignment:
    """Match a note against a plan's objectives and interventions."""
    parsed = parse_note(parsed) if isinstance(parsed, str) else parsed
    index, text = plan_index(plan), parsed.text
    units = clauses(parsed)
    features = note_features(text, units)
    for feats in features:
        for feature, span in list(feats.items()):
            alias = None if feature.startswith("@") else index.alias(feature)
            if alias and alias != feature:
                feats.setdefault(alias, span)
    result = Alignment()
    for target, match in zip(index.objectives, _score(index.objectives, units, text, features, True)):
        result.objectives.append({
            "id": target.id, "description": target.label, "score": round(match.score, 2),
            "addressed": _addressed(match), "evidence": _evidence(text, match.evidence),
        })
    for target, match in zip(index.interventions, _score(index.interventions, units, text, features, False)):
        result.interventions.append({
            "id": target.id, "name": target.label, "objective_id": target.objective_id,
            "score": round(match.score, 2), "addressed": _addressed(match),
            "evidence": _evidence(text, match.evidence),
        })
    result.unplanned = _unplanned(index, parsed)
    return result


def _evidence(text: str, span: tuple[int, int] | None) -> dict[str, Any] | None:
    if span is None:
        return None
    return {"start": span[0], "end": span[1], "text": text[span[0]:span[1]]}


def _unplanned(index: PlanIndex, parsed: ParsedNote) -> list[dict[str, Any]]:
    """Named techniques used in the note that no plan intervention covers."""
    t, text = techniques(), parsed.text
    regions = [(s.body_start, s.end) for s in parsed.sections if s.key not in _SKIPPED_SECTIONS] \
        or [(parsed.front_matter_end, len(text))]
    names = [n.lower() for n in index.intervention_names]
    found: dict[str, dict[str, Any]] = {}
    for start, end in regions:
        for s, e, term in t.pattern.find(text, start, end):
            key = term.lower()
            if key in t.generic or key in found:
                continue
            modalities = t.modalities.get(key, frozenset()) | frozenset(_modalities_in(term))
            if modalities & index.modalities:
                continue
            if any(fuzz.partial_ratio(key, n) >= 90 for n in names):
                continue
            found[key] = {"technique": text[s:e], "modalities": sorted(modalities), "start": s, "end": e}
    return sorted(found.values(), key=lambda d: d["start"])


# --- the rule family --------------------------------------------------------------------------

@functools.lru_cache(maxsize=4096)
def _history_addressed(plan_json: str, note_id: str, text: str) -> frozenset[str]:
    return frozenset(align(TreatmentPlan.model_validate_json(plan_json), text).addressed)


def _neglected(ctx: CheckContext, plan: TreatmentPlan, addressed: set[str]) -> Iterator[Finding]:
    lookback = int(ctx.profile.option("objective_lookback_notes", 6))
    client = ctx.client_id or plan.client_id
    earlier = sorted(
        (n for n in ctx.history if n.client_id == client and n.date_of_service >= plan.start_date),
        key=lambda n: n.date_of_service, reverse=True,
    )[: max(lookback - 1, 0)]
    if lookback < 1 or len(earlier) < lookback - 1:
        return
    plan_json = plan.model_dump_json()
    seen = set(addressed)
    for note in earlier:
        seen |= _history_addressed(plan_json, note.id, note.text)
    start, end = heading_span(ctx.parsed, "goal", "problem", "assessment", "data")
    for obj in plan.objectives():
        if obj.id not in seen:
            yield ctx.finding("PLAN-OBJECTIVE-NEGLECTED", start, end, objective_id=obj.id,
                              description=obj.description, notes=lookback,
                              data={"objective_id": obj.id, "notes": lookback})


def _plan_dates(ctx: CheckContext, plan: TreatmentPlan) -> Iterator[Finding]:
    service = ctx.parsed.header.date
    reference = max(d for d in (ctx.today, service) if d is not None)
    start, end = heading_span(ctx.parsed, "goal", "problem", "assessment", "data")
    if plan.end_date is not None and reference > plan.end_date:
        yield ctx.finding("PLAN-EXPIRED", start, end, end_date=plan.end_date.isoformat(),
                          data={"plan_id": plan.id, "end_date": plan.end_date.isoformat()})
    elif reference > plan.review_due:
        days = (reference - plan.review_due).days
        yield ctx.finding("PLAN-REVIEW-OVERDUE", start, end, review_due=plan.review_due.isoformat(),
                          days=days, data={"plan_id": plan.id, "days": days})


def new_problems(parsed: ParsedNote, plan: TreatmentPlan, index: PlanIndex) -> list[tuple[int, int, str]]:
    """(start, end, topic label) for topics the note describes and the plan does not cover."""
    tp, text = topics(), parsed.text
    found = []
    body = parsed.sections[0].start if parsed.sections else parsed.front_matter_end
    for topic, note_pattern, _ in tp.topics:
        if topic.id not in index.uncovered:
            continue
        for m in note_pattern.finditer(text, body):
            if not tp.negation.negated(text, m.start(), m.end()):
                found.append((m.start(), m.end(), topic.label))
                break
    return found


def run(ctx: CheckContext) -> Iterator[Finding]:
    plan = ctx.plan
    if plan is None:
        return
    alignment = align(plan, ctx.parsed)
    ctx.extras["plan_alignment"] = alignment.as_dict()
    yield from _plan_dates(ctx, plan)
    if not ctx.text.strip():
        return
    index = plan_index(plan)
    if index.objectives and not alignment.addressed:
        start, end = heading_span(ctx.parsed, "goal", "problem", "assessment", "data")
        yield ctx.finding("PLAN-NO-OBJECTIVE", start, end)
    for item in alignment.unplanned:
        yield ctx.finding("PLAN-INTERVENTION-NOT-IN-PLAN", item["start"], item["end"],
                          technique=item["technique"],
                          modalities=", ".join(item["modalities"]) or "no known modality",
                          data={"modalities": item["modalities"]})
    for start, end, label in new_problems(ctx.parsed, plan, index):
        yield ctx.finding("PLAN-NEW-PROBLEM", start, end, topic=label, data={"topic": label})
    yield from _neglected(ctx, plan, alignment.addressed)
