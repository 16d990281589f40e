"""Cloned documentation (A13): a section copied from the same client's earlier note, or identical
across clients of the same clinician.

Each section of the note is compared with the same section of earlier notes (``ctx.history``):
the same client's notes (any author) and the same clinician's notes for other clients. Text is
normalised (lower case, words only, sorted), so the comparison is rapidfuzz's token-sort ratio.
Fast path: an exact hash of the normalised text; then a numpy prefilter (multiset Dice of hashed
word counts, an over-estimate since hash collisions only add overlap) keeps the earlier sections
of the same key that could be near-copies; then ``rapidfuzz.process.extractOne`` with a
``score_cutoff`` over those few. Parsed history is cached per
(note id, text), so re-checking while typing re-parses nothing; the per-section candidate lists
are cached per history.
"""

from __future__ import annotations

import functools
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass

from note_formats import parse_note
import numpy as np
from rapidfuzz import fuzz, process

from ..models import Finding, Note
from .context import CheckContext
from .textspans import trim

NEEDS_DOC = False
_WORDS = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_LOCK = threading.Lock()
_DIMS = 256
DICE_SLACK = 0.3
"""Candidates need a word-multiset Dice of at least clone_threshold/100 - DICE_SLACK."""


def _vector(norm: str) -> np.ndarray:
    counts = np.zeros(_DIMS, dtype=np.uint16)
    for word in norm.split():
        counts[hash(word) % _DIMS] += 1
    return counts


def normalise(text: str) -> tuple[str, int]:
    """(sorted lower-case words joined by spaces, word count), signature lines left out: they
    repeat on every note by design."""
    from .documentation import compiled as _doc_cues

    signature = _doc_cues().signature
    if signature.possible(text):
        text = signature.re.sub("", text)
    words = _WORDS.findall(text.lower())
    return " ".join(sorted(words)), len(words)


@dataclass(frozen=True)
class _Section:
    key: str
    norm: str
    words: int
    vector: np.ndarray


@functools.lru_cache(maxsize=20000)
def _sections(note_id: str, text: str, fmt: str) -> tuple["_Section", ...]:
    """An earlier note's sections, normalised (cached: history is reused across keystrokes)."""
    parsed = parse_note(text, format=fmt if fmt else None)
    bodies: dict[str, list[str]] = {}
    for s in parsed.sections:
        bodies.setdefault(s.key, []).append(s.body(text))
    if not parsed.sections:
        bodies["note"] = [text[parsed.front_matter_end:]]
    out = []
    for key, parts in bodies.items():
        norm, words = normalise("\n".join(parts))
        out.append(_Section(key, norm, words, _vector(norm)))
    return tuple(out)


@dataclass
class _Pool:
    """Earlier sections of one key: normalised strings and the note each came from."""

    norms: list[str]
    notes: list[Note]
    exact: dict[str, int]
    vectors: list[np.ndarray]
    matrix: np.ndarray | None = None
    sizes: np.ndarray | None = None

    def freeze(self) -> None:
        matrix = np.vstack(self.vectors) if self.vectors else np.zeros((0, _DIMS), np.uint16)
        self.matrix = np.asfortranarray(matrix)  # columns contiguous: the query picks columns
        self.sizes = matrix.sum(axis=1, dtype=np.int64)
        self.vectors = []

    def candidates(self, vector: np.ndarray, dice: float) -> np.ndarray:
        """Rows whose word-multiset Dice with ``vector`` can reach ``dice`` (only the query's
        non-zero buckets can overlap, so only those columns are read)."""
        columns = np.flatnonzero(vector)
        overlap = np.minimum(self.matrix[:, columns], vector[columns]).sum(axis=1, dtype=np.int64)
        bound = 2.0 * overlap / np.maximum(self.sizes + int(vector.sum()), 1)
        return np.flatnonzero(bound >= dice)


_POOLS: "OrderedDict[tuple, tuple[list[Note], dict[str, _Pool]]]" = OrderedDict()


def _pools(ctx: CheckContext, min_words: int) -> dict[str, _Pool]:
    """Candidate sections by key, cached per (options, who, the history's Note objects).

    The key holds the identity of each Note object; the cache keeps the history alive, so an id
    cannot be reused while its entry exists. (Notes are treated as immutable once in history.)
    """
    history = ctx.history
    key = (min_words, ctx.client_id, ctx.author_id, tuple(map(id, history)))
    with _LOCK:
        cached = _POOLS.get(key)
        if cached is not None:
            _POOLS.move_to_end(key)
            return cached[1]
    pools: dict[str, _Pool] = {}
    for note in _relevant(ctx):
        for section in _sections(note.id, note.text, note.format or ""):
            if section.words < min_words:
                continue
            pool = pools.setdefault(section.key, _Pool([], [], {}, []))
            pool.exact.setdefault(section.norm, len(pool.norms))
            pool.norms.append(section.norm)
            pool.notes.append(note)
            pool.vectors.append(section.vector)
    for pool in pools.values():
        pool.freeze()
    with _LOCK:
        _POOLS[key] = (list(history), pools)
        while len(_POOLS) > 8:
            _POOLS.popitem(last=False)
    return pools


def _relevant(ctx: CheckContext) -> list[Note]:
    """The same client's notes, and the same clinician's notes for other clients."""
    if ctx.client_id is None and ctx.author_id is None:
        return list(ctx.history)
    return [n for n in ctx.history
            if (ctx.client_id is not None and n.client_id == ctx.client_id)
            or (ctx.author_id is not None and n.author_id == ctx.author_id)]


def run(ctx: CheckContext) -> Iterator[Finding]:
    if not ctx.history:
        return
    threshold = float(ctx.profile.option("clone_threshold", 90))
    min_words = int(ctx.profile.option("clone_min_words", 12))
    pools = _pools(ctx, min_words)
    if not pools:
        return
    text, parsed = ctx.text, ctx.parsed
    mine: dict[str, list[tuple[int, int]]] = {}
    for s in parsed.sections:
        mine.setdefault(s.key, []).append((s.body_start, s.end))
    if not parsed.sections:
        mine["note"] = [(parsed.front_matter_end, len(text))]
    for key, spans in mine.items():
        pool = pools.get(key)
        if pool is None:
            continue
        norm, words = normalise("\n".join(text[s:e] for s, e in spans))
        if words < min_words:
            continue
        hit = _best(norm, pool, threshold)
        if hit is None:
            continue
        index, score = hit
        note = pool.notes[index]
        same_client = ctx.client_id is None or note.client_id == ctx.client_id
        start, end = trim(text, *spans[0])
        title = ctx.fmt.section(key).title if ctx.fmt and key in {s.key for s in ctx.fmt.sections} else key
        data = {"note_id": note.id, "date": note.date_of_service.isoformat(), "score": round(score, 1),
                "section": key}
        yield ctx.finding("CLONE-SAME-CLIENT" if same_client else "CLONE-OTHER-CLIENT", start, end,
                          section=key, section_title=title, note_id=note.id,
                          date=note.date_of_service.isoformat(), score=round(score), data=data)


def _best(norm: str, pool: _Pool, threshold: float) -> tuple[int, float] | None:
    exact = pool.exact.get(norm)
    if exact is not None:
        return exact, 100.0
    indices = pool.candidates(_vector(norm), threshold / 100.0 - DICE_SLACK)
    if len(indices) == 0:
        return None
    found = process.extractOne(norm, {int(i): pool.norms[i] for i in indices}, scorer=fuzz.ratio,
                               processor=None, score_cutoff=threshold)
    return (found[2], found[1]) if found else None
