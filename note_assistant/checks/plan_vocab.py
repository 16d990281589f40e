"""Plan-alignment vocabulary: text -> weighted features (concepts from the synonym data, else
light stems). Shared by ``plan_alignment`` (scoring) and its evaluation.

Features: ``@concept`` for a synonym-concept hit ("drinking" -> ``@alcohol``), a stem otherwise
("socializing" -> ``social``). Stop words never count; generic words count little.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from .textspans import data_toml, stem

GENERIC_WEIGHT = 0.3
STEM_WEIGHT = 0.6
"""A plain word (stem) counts less than a curated concept."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Concept(_Strict):
    id: str
    terms: list[str] = Field(min_length=1)
    weight: float = 1.0


class Words(_Strict):
    stop: list[str]
    generic: list[str]


class Deferral(_Strict):
    after_not: list[str]
    single: list[str]
    pairs: dict[str, list[str]]
    no_opening: list[str]


class SynonymFile(_Strict):
    words: Words
    concept: list[Concept]
    deferral: Deferral


_TOKEN = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")


def _tokens(term: str) -> list[str]:
    return _TOKEN.findall(term)


class Hit(NamedTuple):
    feature: str
    start: int
    end: int
    token: int
    """Index of the hit's first token in the token list :meth:`Vocabulary.analyse` returns."""


@dataclass(frozen=True)
class Vocabulary:
    loose: dict[str, tuple[str, ...]]
    """Multi-word terms by stemmed tokens ("panic attack") -> concepts: inflections match too."""
    single: dict[str, tuple[str, ...]]
    """One-word terms, lower case, with their singular and plural forms -> concepts."""
    strict: dict[str, tuple[str, ...]]
    """Case-sensitive acronyms ("NA", "SMART", "PHQ-9") -> concepts."""
    longest: int
    sizes: dict[str, tuple[int, ...]]
    """First token (stemmed) -> the token counts of multi-word terms starting with it, longest first."""
    strict_sizes: dict[str, tuple[int, ...]]
    weights: dict[str, float]
    stop: frozenset[str]
    generic: frozenset[str]
    defer_after_not: frozenset[str] = frozenset()
    defer_single: frozenset[str] = frozenset()
    defer_pairs: dict[str, frozenset[str]] = field(default_factory=dict)
    defer_no_opening: frozenset[str] = frozenset()

    def deferred(self, text: str, start: int = 0, end: int | None = None) -> bool:
        """True when the sentence says the work was not done now ("log not brought - review
        deferred", "next session", "No mood chart review today")."""
        words = [t.lower() for t in _TOKEN.findall(text, start, len(text) if end is None else end)]
        pairs = self.defer_pairs
        for i, word in enumerate(words):
            if word in self.defer_single:
                return True
            if word == "not" and any(w in self.defer_after_not for w in words[i + 1:i + 4]):
                return True
            if word == "to" and words[i + 1:i + 2] == ["be"]:
                if i + 2 < len(words) and words[i + 2] in pairs.get("to be", ()):
                    return True
                continue
            follow = pairs.get(word)
            if follow and i + 1 < len(words) and words[i + 1] in follow:
                return True
        return bool(words) and words[0] == "no" and any(w in self.defer_no_opening for w in words[1:6])

    def weight(self, feature: str) -> float:
        if feature.startswith("@"):
            return self.weights.get(feature[1:], 1.0)
        return GENERIC_WEIGHT if feature in self.generic else STEM_WEIGHT

    def tokenize(self, text: str, start: int = 0, end: int | None = None) -> list[re.Match[str]]:
        return list(_TOKEN.finditer(text, start, len(text) if end is None else end))

    def hits(self, text: str, start: int = 0, end: int | None = None) -> list[Hit]:
        return self.analyse(text, start, end)[2]

    def analyse(self, text: str, start: int = 0, end: int | None = None
                ) -> tuple[list[re.Match[str]], list[str], list[Hit]]:
        """(tokens, lower-case tokens, hits): every feature occurrence in ``text[start:end]``,
        the longest concept term at each token (dictionary lookup of token n-grams: multi-word
        terms by stems, single words by their singular/plural forms, acronyms by their case),
        else the token's stem."""
        tokens = self.tokenize(text, start, end)
        words = [t.group(0) for t in tokens]
        lowers = [w.lower() for w in words]
        stems = [stem(w) for w in lowers]
        found: list[Hit] = []
        i, n = 0, len(tokens)
        while i < n:
            matched = 0
            for size in self.sizes.get(stems[i], ()):
                if size <= n - i:
                    concepts = self.loose.get(" ".join(stems[i:i + size]))
                    if concepts:
                        matched = size
                        break
            for size in self.strict_sizes.get(words[i], ()):
                if size <= n - i and size > matched:
                    strict = self.strict.get(" ".join(words[i:i + size]))
                    if strict:
                        concepts, matched = strict, size
                        break
            if not matched:
                concepts = self.single.get(lowers[i])
                matched = 1 if concepts else 0
            if matched:
                s, e = tokens[i].start(), tokens[i + matched - 1].end()
                found.extend(Hit("@" + c, s, e, i) for c in concepts)
                i += matched
                continue
            word = lowers[i]
            if len(word) >= 3 and word not in self.stop and not word[0].isdigit():
                found.append(Hit(stems[i], tokens[i].start(), tokens[i].end(), i))
            i += 1
        return tokens, lowers, found

    def features(self, text: str, start: int = 0, end: int | None = None) -> dict[str, tuple[int, int]]:
        """Feature -> span of its first occurrence in ``text[start:end]``."""
        found: dict[str, tuple[int, int]] = {}
        for hit in self.hits(text, start, end):
            found.setdefault(hit.feature, (hit.start, hit.end))
        return found


def _number_forms(word: str) -> set[str]:
    """A word and its plain singular/plural forms ("exposure" <-> "exposures")."""
    forms = {word}
    if word.endswith("ies") and len(word) > 4:
        forms.add(word[:-3] + "y")
    elif word.endswith("es") and word[:-2].endswith(("s", "x", "ch", "sh")):
        forms.add(word[:-2])
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        forms.add(word[:-1])
    else:
        forms.add(word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else
                  word + ("es" if word.endswith(("s", "x", "ch", "sh")) else "s"))
    return forms


@functools.cache
def vocabulary() -> Vocabulary:
    data = SynonymFile.model_validate(data_toml("lexicons", "plan_synonyms.toml"))
    loose: dict[str, list[str]] = {}
    single: dict[str, list[str]] = {}
    strict: dict[str, list[str]] = {}
    longest = 1
    sizes: dict[str, set[int]] = {}
    strict_sizes: dict[str, set[int]] = {}

    def add(table: dict[str, list[str]], key: str, concept: str) -> None:
        ids = table.setdefault(key, [])
        if concept not in ids:
            ids.append(concept)

    for concept in data.concept:
        for term in concept.terms:
            tokens = _tokens(term)
            if not tokens:
                continue
            longest = max(longest, len(tokens))
            if term.isupper() and len(term) <= 5 and " " not in term:
                strict_sizes.setdefault(tokens[0], set()).add(len(tokens))
                add(strict, " ".join(tokens), concept.id)
            elif len(tokens) == 1:
                for form in _number_forms(tokens[0].lower()):
                    add(single, form, concept.id)
            else:
                sizes.setdefault(stem(tokens[0].lower()), set()).add(len(tokens))
                add(loose, " ".join(stem(t.lower()) for t in tokens), concept.id)
    return Vocabulary(
        loose={k: tuple(v) for k, v in loose.items()},
        single={k: tuple(v) for k, v in single.items()},
        strict={k: tuple(v) for k, v in strict.items()},
        longest=longest,
        sizes={k: tuple(sorted(v, reverse=True)) for k, v in sizes.items()},
        strict_sizes={k: tuple(sorted(v, reverse=True)) for k, v in strict_sizes.items()},
        weights={c.id: c.weight for c in data.concept},
        stop=frozenset(w.lower() for w in data.words.stop),
        generic=frozenset(stem(w) for w in data.words.generic) | frozenset(w.lower() for w in data.words.generic),
        defer_after_not=frozenset(data.deferral.after_not),
        defer_single=frozenset(data.deferral.single),
        defer_pairs={k: frozenset(v) for k, v in data.deferral.pairs.items()},
        defer_no_opening=frozenset(data.deferral.no_opening),
    )
