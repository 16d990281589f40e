"""A treatment plan indexed for matching (built once per plan, cached): each objective and
intervention as weighted features, the plan's modalities, and the problem topics it covers.
Also the technique/modality and problem-topic data that plan alignment and plan quality share.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict
from rapidfuzz import fuzz, process

from ..models import TreatmentPlan
from .lexicons import lexicon
from .plan_vocab import vocabulary
from .textspans import FastPattern, Negation, TermIndex, data_toml

CONTEXT_WEIGHT = 0.25
"""Goal and problem text count this much toward each of their objectives."""
SPELLING_CUTOFF = 88.0
"""A note word this similar (rapidfuzz ratio) to a plan word counts as it ("behaviour" ~ "behavior")."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Technique(_Strict):
    name: str
    modalities: list[str]


class _Modality(_Strict):
    id: str
    aliases: list[str]


class _TechniqueFile(_Strict):
    generic: list[str]
    modality: list[_Modality]
    technique: list[_Technique]


class _Topic(_Strict):
    id: str
    label: str
    note: str
    plan: str
    icd: list[str] = []


class _TopicNegation(_Strict):
    before: list[str]
    after: list[str]
    pseudo: list[str] = []


class _TopicFile(_Strict):
    topic: list[_Topic]
    negation: _TopicNegation


@dataclass(frozen=True)
class _Techniques:
    pattern: TermIndex
    modalities: dict[str, frozenset[str]]
    generic: frozenset[str]
    modality_pattern: TermIndex
    modality_of_alias: dict[str, str]


@functools.cache
def techniques() -> _Techniques:
    data = _TechniqueFile.model_validate(data_toml("lexicons", "technique_modalities.toml"))
    aliases = {a.lower(): m.id for m in data.modality for a in m.aliases}
    return _Techniques(
        pattern=TermIndex(lexicon("interventions")),
        modalities={t.name.lower(): frozenset(t.modalities) for t in data.technique},
        generic=frozenset(g.lower() for g in data.generic),
        modality_pattern=TermIndex([a for m in data.modality for a in m.aliases]),
        modality_of_alias=aliases,
    )


@dataclass(frozen=True)
class _Topics:
    topics: list[tuple[_Topic, FastPattern, re.Pattern[str]]]
    negation: Negation


@functools.cache
def topics() -> _Topics:
    data = _TopicFile.model_validate(data_toml("lexicons", "problem_topics.toml"))
    word = r"(?<![A-Za-z0-9])(?:{})(?![A-Za-z0-9])"
    return _Topics(
        topics=[(t, FastPattern(word.format(t.note), re.IGNORECASE), re.compile(t.plan, re.IGNORECASE))
                for t in data.topic],
        negation=Negation(data.negation.before, data.negation.after, data.negation.pseudo),
    )


@dataclass(frozen=True)
class _Target:
    """An objective or an intervention, as weighted features."""

    id: str
    label: str
    weights: dict[str, float]
    text: str
    objective_id: str = ""


@dataclass(frozen=True)
class PlanIndex:
    objectives: list[_Target]
    interventions: list[_Target]
    modalities: frozenset[str]
    """Canonical modalities named anywhere in the plan's interventions."""
    intervention_names: list[str]
    plan_text: str
    words: tuple[str, ...] = ()
    """Plain-word (stem) features of the plan, for spelling-variant matching."""
    uncovered: tuple[str, ...] = ()
    """Problem topics (problem_topics.toml ids) that nothing in the plan covers."""
    _aliases: dict[str, str | None] = field(default_factory=dict)

    def alias(self, feature: str) -> str | None:
        """The plan word a note word is a spelling variant of (cached)."""
        if feature in self._aliases:
            return self._aliases[feature]
        found = None
        if len(feature) >= 5 and not feature.startswith("@") and self.words:
            best = process.extractOne(feature, self.words, scorer=fuzz.ratio, score_cutoff=SPELLING_CUTOFF)
            found = best[0] if best else None
        if len(self._aliases) < 20000:
            self._aliases[feature] = found
        return found


def _weights(sources: Sequence[tuple[str, float]]) -> dict[str, float]:
    vocab = vocabulary()
    weights: dict[str, float] = {}
    for text, factor in sources:
        for feature in vocab.features(text):
            weights[feature] = max(weights.get(feature, 0.0), factor * vocab.weight(feature))
    return weights


def _idf(targets: list[dict[str, float]]) -> list[dict[str, float]]:
    """Share each feature among the targets that hold it, in proportion to how strongly they do."""
    top: dict[str, float] = {}
    for weights in targets:
        for feature, w in weights.items():
            top[feature] = max(top.get(feature, 0.0), w)
    df: dict[str, float] = {}
    for weights in targets:
        for feature, w in weights.items():
            df[feature] = df.get(feature, 0.0) + w / top[feature]
    return [{f: w / df[f] for f, w in weights.items()} for weights in targets]


def _modalities_in(text: str) -> set[str]:
    t = techniques()
    return {t.modality_of_alias[term.lower()] for _, _, term in t.modality_pattern.find(text)
            if term.lower() in t.modality_of_alias}


@functools.lru_cache(maxsize=64)
def _index(plan_json: str) -> PlanIndex:
    plan = TreatmentPlan.model_validate_json(plan_json)
    objective_sources, labels, intervention_sources, intervention_labels = [], [], [], []
    modalities: set[str] = set()
    names: list[str] = []
    texts: list[str] = [d.description for d in plan.diagnoses]
    for problem in plan.problems:
        texts.append(problem.description)
        for goal in problem.goals:
            texts.append(goal.description)
            for obj in goal.objectives:
                sources = [(obj.description, 1.0), (obj.criterion, 1.0),
                           (goal.description, CONTEXT_WEIGHT), (problem.description, CONTEXT_WEIGHT)]
                for iv in obj.interventions:
                    sources += [(iv.name, 1.0), (iv.modality, 0.5)]
                    intervention_sources.append([(iv.name, 1.0), (iv.modality, 0.5)])
                    intervention_labels.append((iv.id, iv.name, obj.id))
                    modalities |= _modalities_in(f"{iv.name} {iv.modality}")
                    names.append(iv.name)
                    texts.append(f"{iv.name} {iv.modality}")
                objective_sources.append(sources)
                labels.append((obj.id, obj.description, f"{obj.description} {obj.criterion}"))
                texts += [obj.description, obj.criterion]
    objective_weights = _idf([_weights(s) for s in objective_sources])
    intervention_weights = _idf([_weights(s) for s in intervention_sources])
    vocab = vocabulary()
    return PlanIndex(
        objectives=[_Target(i, d, w, " ".join(sorted(vocab.features(t))))
                    for (i, d, t), w in zip(labels, objective_weights)],
        interventions=[_Target(i, n, w, n.lower(), objective_id=o)
                       for (i, n, o), w in zip(intervention_labels, intervention_weights)],
        modalities=frozenset(modalities), intervention_names=names, plan_text="\n".join(texts),
        words=tuple(sorted({f for w in objective_weights for f in w if not f.startswith("@")})),
        uncovered=_uncovered(plan, "\n".join(texts)),
    )


def _uncovered(plan: TreatmentPlan, plan_text: str) -> tuple[str, ...]:
    codes = [d.code.upper() for d in plan.diagnoses]
    return tuple(
        topic.id for topic, _, plan_pattern in topics().topics
        if not plan_pattern.search(plan_text) and not any(c.startswith(p) for c in codes for p in topic.icd)
    )


def plan_index(plan: TreatmentPlan) -> PlanIndex:
    return _index(plan.model_dump_json())
