"""Sentence boundaries that respect abbreviation periods (the ``abbreviations_senter``)."""

from __future__ import annotations

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc

from .columns import columns
from .inventory import load_inventory

_STOPS = frozenset(get_string_id(p) for p in (".", "!", "?", "...", "…"))


class SentenceComponent:
    """Sentence starts after ``.``/``!``/``?`` tokens and at new lines.

    With the clinical tokenizer, abbreviation periods stay inside their token (``b.i.d.``,
    ``q.d.``, ``Dr.``), so they never end a sentence. A period split off a known short form
    (``pt. was seen``) ends a sentence only when the next word starts with a capital letter.
    """

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self._newline: dict[int, bool] = {}
        self._lower_start: dict[int, bool] = {}
        self._short_form: dict[int, bool] = {}
        self._stops = [numpy.uint64(orth) for orth in sorted(_STOPS)]

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        cols = columns(doc)
        orths, spaces = cols.array[:, 0], cols.array[:, 6].astype(bool)
        words = numpy.flatnonzero(~spaces)  # indices of non-space tokens
        starts = numpy.full(n, -1, dtype="int64")
        starts[0] = 1
        if len(words) > 1:
            previous = orths[words[:-1]]
            stop = numpy.zeros(len(previous), dtype=bool)
            for orth in self._stops:
                stop |= previous == orth
            # a space token holding a newline between two words
            newline = numpy.zeros(len(words) - 1, dtype=bool)
            gaps = numpy.flatnonzero(words[1:] - words[:-1] > 1)
            for g in gaps.tolist():
                newline[g] = any(self._is_newline(doc, int(o)) for o in orths[words[g] + 1:words[g + 1]])
            for g in numpy.flatnonzero(stop | newline).tolist():
                following = int(words[g + 1])
                if not newline[g] and g > 0 and self._starts_lower(doc, int(orths[following])) \
                        and self._is_short_form(doc, int(orths[words[g - 1]])):
                    continue  # "pt. was seen": the period belongs to the short form
                starts[following] = 1
        doc.from_array([SENT_START], starts.astype("uint64").reshape(n, 1))
        return doc

    def _is_newline(self, doc: Doc, orth: int) -> bool:
        value = self._newline.get(orth)
        if value is None:
            value = self._newline[orth] = "\n" in doc.vocab.strings[orth]
        return value

    def _starts_lower(self, doc: Doc, orth: int) -> bool:
        value = self._lower_start.get(orth)
        if value is None:
            first = doc.vocab.strings[orth][:1]
            value = self._lower_start[orth] = first.islower() or first.isdigit()
        return value

    def _is_short_form(self, doc: Doc, orth: int) -> bool:
        value = self._short_form.get(orth)
        if value is None:
            word = doc.vocab.strings[orth] if orth else ""
            value = len(word) == 1 and word.isalpha() or (
                bool(word) and load_inventory().lookup(word) is not None)
            self._short_form[orth] = value
        return value
