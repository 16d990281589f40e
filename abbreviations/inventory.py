"""The sense inventory: layers of JSONL data compiled into fast look-up tables.

Layers, from lowest to highest priority:

``general``        built from public clinical inventories by ``tools/build_general.py``;
``mental-health``  the curated layer with mental-health priors and cue words;
``clinic``         a clinic's own house shorthand (``load_inventory(extra_paths=...)``).

A higher layer wins for any spelling it knows. Senses of a lower layer that the winning entry
does not list are kept as low-prior alternatives, sharing whatever prior mass the winner left
unassigned (none, when the winner's priors add up to 1).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from .errors import InventoryError
from .schema import InventoryEntry

LAYER_FILES: tuple[tuple[str, str], ...] = (
    ("general", "general.jsonl"),
    ("mental-health", "mental_health.jsonl"),
)
"""Built-in layers, lowest priority first, as (source name, file in ``abbreviations/data``)."""

Model = TypeVar("Model", bound=BaseModel)

_MIN_PRIOR = 1e-4


def read_jsonl(text: str, model: type[Model], name: str) -> list[Model]:
    """Validate every non-blank line of ``text`` as ``model``.

    Raises :class:`InventoryError` naming ``name``, the line and the offending field.
    """
    items: list[Model] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InventoryError(
                f"{name}, line {lineno}: not valid JSON ({exc.msg}, column {exc.colno})",
                path=name, line=lineno,
            ) from None
        try:
            items.append(model.model_validate(data))
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or "(entry)"
            label = f" (form {data['form']!r})" if isinstance(data, dict) and "form" in data else ""
            raise InventoryError(
                f"{name}, line {lineno}{label}, field '{field}': {first['msg']}",
                path=name, line=lineno, field=field,
            ) from None
    return items


def _data_text(filename: str) -> str:
    return resources.files("abbreviations.data").joinpath(filename).read_text(encoding="utf-8")


def cue_forms(cue: str) -> set[str]:
    """The cue word and its regular inflections (``plan`` -> ``plans``, ``planned``...)."""
    forms = {cue, cue + "s", cue + "es", cue + "ed", cue + "d", cue + "ing", cue + "'s"}
    if cue.endswith("e"):
        forms.add(cue[:-1] + "ing")
    if cue.endswith("y") and len(cue) > 2:
        forms.update({cue[:-1] + "ies", cue[:-1] + "ied"})
    if len(cue) > 2 and cue[-1] not in "aeiouwxy" and cue[-2] in "aeiou" and cue[-3] not in "aeiou":
        forms.update({cue + cue[-1] + "ed", cue + cue[-1] + "ing"})  # plan -> planned
    return forms


@dataclass(frozen=True, slots=True)
class CompiledSense:
    """A sense ready for scoring."""

    id: str
    expansion: str
    prior: float
    log_prior: float
    sections: frozenset[str]
    past: str | None = None
    """The expansion for a past-tense use (``Rx'd``), when the sense gives one."""
    plural: str | None = None
    """The expansion for a plural spelling (``PRNs``), when the sense gives one."""
    concept: str | None = None
    """Shared by senses that are one meaning worded twice (see ``Sense.concept``)."""


def meaning_groups(senses: tuple[CompiledSense, ...]) -> tuple[int, ...] | None:
    """For each sense, the index of the first sense with its meaning (its concept, else
    itself); None when every sense is its own meaning (the usual case)."""
    first: dict[str, int] = {}
    groups = tuple(first.setdefault(s.concept, i) if s.concept else i for i, s in enumerate(senses))
    return None if groups == tuple(range(len(senses))) else groups


@dataclass(frozen=True, slots=True)
class CompiledEntry:
    """An inventory entry ready for look-up and scoring."""

    form: str
    category: str
    source: str
    """Layer name: ``general``, ``mental-health`` or ``clinic``."""
    senses: tuple[CompiledSense, ...]
    cue_map: dict[str, tuple[tuple[int, float], ...]]
    """Inflected cue word -> (sense index, weight) pairs: 1 for a sense's own cue,
    ``DOMAIN_WEIGHT`` for a word of one of its domains."""
    common_word: bool
    require_cue: bool
    groups: tuple[int, ...] | None = None
    """:func:`meaning_groups` of ``senses``."""


@dataclass(frozen=True, slots=True)
class Match:
    """What a written token resolved to."""

    entry: CompiledEntry
    suffix: str
    """``""``, ``"plural"`` (SSRIs), ``"possessive"`` (PCP's) or ``"past"`` (DC'd)."""
    offset: int = 0
    """Characters of the written token before the abbreviation (``Post-MI``: 5)."""


#: Word prefixes written with a hyphen before an abbreviation the tokenizer keeps whole
#: (``Post-MI``, ``Non-SI``): the abbreviation is looked up after the hyphen.
_HYPHEN_PREFIXES = frozenset({"post", "pre", "non", "anti", "peri"})


DOMAIN_WEIGHT = 0.5
"""A domain word's vote, relative to one of the sense's own cue words."""


def cue_domains() -> dict[str, frozenset[str]]:
    """The packaged topic word lists (``data/cue_domains.json``), read once."""
    global _DOMAINS
    if _DOMAINS is None:
        raw = json.loads(_data_text("cue_domains.json"))
        _DOMAINS = {name: frozenset(w.lower() for w in words)
                    for name, words in raw.items() if not name.startswith("_")}
    return _DOMAINS


_DOMAINS: dict[str, frozenset[str]] | None = None
_DOMAIN_FORMS: dict[str, frozenset[str]] = {}


def _domain_forms(domain: str) -> frozenset[str] | None:
    """Every :func:`cue_forms` of a domain's words (None for an unknown domain), worked out
    once: an entry's senses share a few domains, and expanding them per entry was most of the
    cost of compiling one."""
    forms = _DOMAIN_FORMS.get(domain)
    if forms is None:
        words = cue_domains().get(domain)
        if words is None:
            return None
        forms = _DOMAIN_FORMS[domain] = frozenset(
            form for word in words
            for form in (cue_forms(word) if not word.startswith("<") else {word}))
    return forms


def _compile(entry: InventoryEntry, source: str, origin: str = "") -> CompiledEntry:
    senses = tuple(
        CompiledSense(s.id, s.expansion, s.prior, math.log(max(s.prior, _MIN_PRIOR)),
                      frozenset(s.sections), s.past, s.plural, s.concept)
        for s in entry.senses
    )
    weights: dict[str, dict[int, float]] = {}
    for index, sense in enumerate(entry.senses):
        for cue in sense.cues:  # the sense's own cue words: a full vote
            for form in (cue_forms(cue) if not cue.startswith("<") else {cue}):
                weights.setdefault(form, {})[index] = 1.0
        for domain in sense.domains:  # topic words: a smaller vote, never lowering a cue's
            known = _domain_forms(domain)
            if known is None:
                raise InventoryError(
                    f"{origin or source}: entry {entry.form!r}, sense {sense.id!r}: unknown domain "
                    f"{domain!r} (known: {', '.join(sorted(cue_domains()))})",
                    path=origin, field="domains",
                )
            for form in known:
                bucket = weights.setdefault(form, {})
                if index not in bucket:
                    bucket[index] = DOMAIN_WEIGHT
    cue_map = {word: tuple(sorted(bucket.items())) for word, bucket in weights.items()}
    return CompiledEntry(entry.form, entry.category, source, senses, cue_map,
                         entry.common_word, entry.require_cue, meaning_groups(senses))


def _norm(text: str) -> str:
    return text.lower().replace(".", "")


def _expansion_key(expansion: str) -> str:
    return " ".join("".join(ch if ch.isalnum() else " " for ch in expansion.lower()).split())


def _check_domains(entry: InventoryEntry, origin: str) -> None:
    """Fail on load (not on first lookup) when an entry names an unknown cue domain."""
    for sense in entry.senses:
        for domain in sense.domains:
            if domain not in cue_domains():
                raise InventoryError(
                    f"{origin}: entry {entry.form!r}, sense {sense.id!r}: unknown domain "
                    f"{domain!r} (known: {', '.join(sorted(cue_domains()))})",
                    path=origin, field="domains",
                )


class _Layer:
    """One inventory file's entries by spelling. An entry is compiled (its cue words and
    domains expanded) the first time it is looked up: a note meets a few dozen of ~1,700."""

    __slots__ = ("name", "origin", "exact", "folded", "size", "_compiled")

    def __init__(self, name: str, entries: Iterable[InventoryEntry], origin: str) -> None:
        self.name = name
        self.origin = origin
        self.exact: dict[str, InventoryEntry] = {}
        self.folded: dict[str, InventoryEntry] = {}
        self.size = 0
        self._compiled: dict[int, CompiledEntry] = {}
        for entry in entries:
            _check_domains(entry, origin)
            self.size += 1
            table, keys = (
                (self.exact, [entry.form, *entry.variants]) if entry.case_sensitive
                else (self.folded, [_norm(entry.form), *(_norm(v) for v in entry.variants)])
            )
            for key in keys:
                other = table.get(key)
                if other is not None and other.form != entry.form:
                    raise InventoryError(
                        f"{origin}: the spelling {key!r} belongs to both {other.form!r} and "
                        f"{entry.form!r}; give it to one entry",
                        path=origin, field="variants",
                    )
                table[key] = entry

    def get(self, text: str, *, exact_only: bool = False) -> CompiledEntry | None:
        entry = self.exact.get(text)
        if entry is None and not exact_only:
            entry = self.folded.get(_norm(text))
        if entry is None:
            return None
        compiled = self._compiled.get(id(entry))
        if compiled is None:
            compiled = self._compiled[id(entry)] = _compile(entry, self.name, self.origin)
        return compiled


def _candidates(text: str) -> list[tuple[str, str, bool]]:
    """Spellings to try for a written token: (text, suffix kind, exact spelling only)."""
    out = [(text, "", False)]
    if len(text) > 2 and text[-2:] in ("'s", "’s", "'S"):
        out.append((text[:-2], "possessive", False))
    elif len(text) > 2 and text[-2:] in ("'d", "’d", "'D"):
        out.append((text[:-2], "past", False))
    elif len(text) > 2 and text[-1] == "s":
        # SSRIs, NSAIDs (any entry); pts, sxs, wks (only spellings listed exactly)
        out.append((text[:-1], "plural", not text[:-1].isupper()))
    if len(text) > 2 and text.endswith(".") and text.count(".") == 1:
        out.append((text[:-1], "", False))
    return out


class Inventory:
    """All layers, compiled; look up written tokens with :meth:`lookup`."""

    def __init__(self, layers: Sequence[_Layer]) -> None:
        self._layers = tuple(reversed(layers))  # highest priority first
        self._memo: dict[str, Match | None] = {}

    @property
    def layer_sizes(self) -> dict[str, int]:
        """Number of entries per layer name."""
        sizes: dict[str, int] = {}
        for layer in self._layers:
            sizes[layer.name] = sizes.get(layer.name, 0) + layer.size
        return sizes

    def __len__(self) -> int:
        return sum(layer.size for layer in self._layers)

    def spaced_spellings(self) -> list[tuple[str, bool]]:
        """Spellings with a space in them (``A&O x 3``) as (spelling, case-sensitive). A note
        is looked up token by token, so the expander finds these in the text itself."""
        found: set[tuple[str, bool]] = set()
        for layer in self._layers:
            found.update((key, True) for key in layer.exact if " " in key)
            found.update((key, False) for key in layer.folded if " " in key)
        return sorted(found)

    def lookup(self, text: str) -> Match | None:
        """Resolve a written token (``SI``, ``s/p``, ``SSRIs``, ``DC'd``) or return ``None``."""
        try:
            return self._memo[text]
        except KeyError:
            pass
        result = self._resolve(text)
        if len(self._memo) > 200_000:
            self._memo.clear()
        self._memo[text] = result
        return result

    def _resolve(self, text: str) -> Match | None:
        """The highest layer that knows the spelling (as written, or without a plural,
        possessive or past ending) wins; lower layers knowing the same base join in."""
        candidates = _candidates(text)
        for index, layer in enumerate(self._layers):
            for candidate, suffix, exact_only in candidates:
                hit = layer.get(candidate, exact_only=exact_only)
                if hit is None:
                    continue
                if suffix and (hit.require_cue or hit.common_word or (
                        layer.name == "general" and not candidate.isupper())):
                    continue  # "his" is not HI + s, "has" not ha + s, "does" not DOE + s
                lower = [
                    other for deeper in self._layers[index + 1:]
                    if (other := deeper.get(candidate, exact_only=exact_only)) is not None
                ]
                return Match(self._merge([hit, *lower]), suffix)
        head, hyphen, tail = text.partition("-")
        if hyphen and tail and head.lower() in _HYPHEN_PREFIXES:
            found = self._resolve(tail)
            if found is not None:
                return Match(found.entry, found.suffix, found.offset + len(head) + 1)
        return None

    @staticmethod
    def _merge(hits: list[CompiledEntry]) -> CompiledEntry:
        winner = hits[0]
        leftover = 1.0 - sum(s.prior for s in winner.senses)
        if len(hits) == 1 or leftover <= 1e-6:
            return winner
        known = {_expansion_key(s.expansion) for s in winner.senses}
        extra: list[CompiledSense] = []
        for lower in hits[1:]:
            total = sum(s.prior for s in lower.senses) or 1.0
            for sense in lower.senses:
                key = _expansion_key(sense.expansion)
                if key in known:
                    continue
                known.add(key)
                prior = leftover * sense.prior / total
                extra.append(CompiledSense(sense.id, sense.expansion, prior,
                                           math.log(max(prior, _MIN_PRIOR)), sense.sections,
                                           sense.past, sense.plural, sense.concept))
            leftover = 0.0  # only the nearest lower layer shares the mass
        if not extra:
            return winner
        senses = winner.senses + tuple(extra)
        return CompiledEntry(winner.form, winner.category, winner.source,
                             senses, winner.cue_map,
                             winner.common_word, winner.require_cue, meaning_groups(senses))


def _read_path(path: Path) -> list[InventoryEntry]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InventoryError(f"{path}: cannot read ({exc.strerror})", path=str(path)) from None
    return read_jsonl(text, InventoryEntry, str(path))


_BUILTIN: list[_Layer] | None = None
_CACHE: dict[tuple, Inventory] = {}


def _builtin_layers() -> list[_Layer]:
    global _BUILTIN
    if _BUILTIN is None:
        _BUILTIN = [
            _Layer(name, read_jsonl(_data_text(filename), InventoryEntry, filename), filename)
            for name, filename in LAYER_FILES
        ]
    return _BUILTIN


def load_inventory(
    extra_paths: Iterable[str | os.PathLike[str]] = (),
    *,
    extra_entries: Iterable[InventoryEntry | dict] = (),
) -> Inventory:
    """The built-in layers plus a clinic's house shorthand, compiled and cached per process.

    ``extra_paths`` are JSONL files in the inventory schema (later files win); ``extra_entries``
    are entries given directly (as models or dicts) and win over everything. A bad entry raises
    :class:`InventoryError` naming the file, line and field.
    """
    paths = [Path(p) for p in extra_paths]
    given = list(extra_entries)
    key: tuple = tuple((str(p), _stamp(p)) for p in paths)
    if not given and key in _CACHE:
        return _CACHE[key]
    layers = list(_builtin_layers())
    for path in paths:
        layers.append(_Layer("clinic", _read_path(path), str(path)))
    if given:
        text = "\n".join(
            e.model_dump_json() if isinstance(e, InventoryEntry) else json.dumps(e) for e in given
        )
        layers.append(_Layer("clinic", read_jsonl(text, InventoryEntry, "extra_entries"),
                             "extra_entries"))
        return Inventory(layers)
    inventory = Inventory(layers)
    _CACHE[key] = inventory
    return inventory


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (0, 0)
    return (stat.st_mtime_ns, stat.st_size)
