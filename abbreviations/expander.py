"""Finding abbreviations in a tokenized note and choosing their senses.

For each token the inventory is asked (a dict look-up memoised per spelling). Each sense of a
hit is scored as

    log(prior) + cue_weight * (cue words near it: full weight within ``near`` tokens in the
                               same sentence, ``far_weight`` farther in the window,
                               ``other_sentence_weight`` across a sentence boundary)
               + section_weight * (the note section is one the sense is usual in)
               + doc_weight * (cue words near the other occurrences of the same form)

and the scores become confidences with a softmax. Definitions written in the note
(``acceptance and commitment therapy (ACT)``) override the inventory for that note.

Everything per token works on ``Doc.to_array`` columns and string hashes, so a 400-word note
costs a few hundred microseconds.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy
from spacy.attrs import SENT_START
from spacy.strings import get_string_id

from .columns import columns
from .definitions import Definition, find_definitions
from .inventory import CompiledEntry, CompiledSense, Inventory, Match
from .results import Abbreviation, Alternative, ExpandedSpan
from .tokenizer import doc_text, lower_keeping_offsets

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

SectionOf = Callable[[int], "str | None"]
NUMBER = "<number>"
"""Cue standing for any number."""
CODE = "<code>"
"""Cue standing for a five-digit number (a CPT or HCPCS code)."""
AFTER_COLON = "<after-colon>"
"""Cue that holds when the abbreviation is the value of a label (``Legal: NA``)."""
LABEL = "<label>"
"""Cue that holds when the abbreviation labels a field: first on its line (or right after a
sentence's end), then a colon (``PE: lungs clear``, ``SH: lives with wife``): it names a part
of the record."""
_NUMBER_KEY = 1  # never a real string hash
_CODE_KEY = 2
_AFTER_COLON_KEY = 3
_LABEL_KEY = 4
_COLON_ID = get_string_id(":")
_PAREN_ID = get_string_id("(")
_PERIOD_ID = get_string_id(".")
_SENTENCE_END = ".!?\n:"
_OPENING = frozenset("([{\"'\u201c\u2018")
_CLOSING = frozenset(",;:.!?)]}\"'\u201d\u2019")
_JOINS = re.compile(r"[/&-]")  # one character class: the regex engine scans for it in C
_INNER_PERIOD = re.compile(r"\.(?=[A-Za-z])")
"""What joins the pieces of a spelling the tokenizer split (``Ex/RP``, ``U-tox``, ``Psy.D.``)."""


def _starts_field(text: str, start: int) -> bool:
    """Whether ``start`` can begin a field: only spaces or a list marker stand between it and
    the line's start, or a sentence ended just before it (``...no hallucinations.  A/P: 1.``:
    dictated and exported notes often lose their line breaks)."""
    line = text.rfind("\n", 0, start) + 1
    before = text[line:start]
    if not before.strip(" \t-*\u2022"):
        return True
    return before[-1:].isspace() and before.rstrip()[-1:] == "."


def section_lookup(sections: Any) -> SectionOf | None:
    """Turn what a caller knows about sections into ``offset -> section key``.

    Accepts ``None``, a callable, or a sequence of ``(start_char, end_char, key)`` (the shape of
    ``doc._.section_spans``) or of objects with ``start``, ``end`` and ``key`` attributes (such
    as ``note_formats`` sections).
    """
    if sections is None:
        return None
    if callable(sections):
        return sections
    triples = []
    for item in sections:
        if isinstance(item, tuple | list):
            start, end, key = item[0], item[1], item[2]
        else:
            start, end, key = item.start, item.end, item.key
        triples.append((int(start), int(end), str(key).lower()))
    if not triples:
        return None
    triples.sort()
    starts = [t[0] for t in triples]

    def section_of(offset: int) -> str | None:
        index = bisect_right(starts, offset) - 1
        if index >= 0 and triples[index][0] <= offset < triples[index][1]:
            return triples[index][2]
        return None

    return section_of


def doc_sections(doc: "Doc") -> SectionOf | None:
    """Sections attached to a Doc: ``doc._.section_spans`` or ``doc.spans["sections"]``."""
    spans = doc._.section_spans if doc.has_extension("section_spans") else None
    if spans:
        return section_lookup(spans)
    if "sections" in doc.spans and len(doc.spans["sections"]):
        return section_lookup([(s.start_char, s.end_char, s.label_) for s in doc.spans["sections"]])
    return None


def inflect(expansion: str, suffix: str) -> str:
    """Give the expansion the written form's ending (plural, possessive, past)."""
    if not suffix:
        return expansion
    head, paren, tail = expansion.partition(" (")
    if suffix == "plural":
        if head.endswith("s"):
            pass
        elif head.endswith("y") and len(head) > 1 and head[-2] not in "aeiou":
            head = head[:-1] + "ies"
        else:
            head += "s"
    elif suffix == "possessive":
        head += "'s"
    elif suffix == "past":
        head += "d" if head.endswith("e") else "ed"
    return head + paren + tail


def sense_text(sense: "CompiledSense", suffix: str) -> str:
    """A sense's expansion with the written form's ending: its own past or plural form
    (``Rx'd``, ``PRNs``) when it gives one, else :func:`inflect`."""
    if suffix == "past" and sense.past:
        return sense.past
    if suffix == "plural" and sense.plural:
        return sense.plural
    return inflect(sense.expansion, suffix)


class Expander:
    """Finds abbreviations in a spaCy Doc and picks a sense for each."""

    def __init__(
        self,
        inventory: Inventory,
        *,
        window: int = 10,
        ambiguity_margin: float = 0.3,
        cue_weight: float = 2.5,
        section_weight: float = 1.0,
        doc_weight: float = 0.3,
        near: int = 4,
        far_weight: float = 0.6,
        other_sentence_weight: float = 0.25,
        use_definitions: bool = True,
    ) -> None:
        self.inventory = inventory
        """Where senses come from."""
        self.window = window
        """Tokens looked at on each side for cue words."""
        self.ambiguity_margin = ambiguity_margin
        """Top-two confidence gap under which an abbreviation is marked ambiguous."""
        self.cue_weight = cue_weight
        self.section_weight = section_weight
        self.doc_weight = doc_weight
        self.near = near
        """Cue words within this many tokens (same sentence) count fully."""
        self.far_weight = far_weight
        self.other_sentence_weight = other_sentence_weight
        self.use_definitions = use_definitions
        """Whether definitions written in the note override the inventory."""
        self._memo: dict[int, Match | bool] = {}
        self._hashed: dict[int, tuple[CompiledEntry, dict[int, tuple[tuple[int, float], ...]]]] = {}
        self._inflected: dict[tuple[int, str], tuple[CompiledEntry, str]] = {}
        self._spaced_pattern: tuple[tuple[str, ...], re.Pattern[str]] | None = None

    # -- public -----------------------------------------------------------------------------
    def find(self, doc: "Doc", section_of: SectionOf | None = None) -> list[Abbreviation]:
        """All abbreviations of ``doc``, in text order."""
        if not len(doc):
            return []
        cols = columns(doc)
        orths = cols.orth
        definitions = self._definitions(doc, orths) if self.use_definitions else {}
        memo = self._memo
        if len(memo) > 200_000:
            memo.clear()
        # one C-level pass: None = spelling not seen yet, False = not an abbreviation
        found = list(map(memo.get, orths))
        if None in found:
            strings = doc.vocab.strings
            lookup = self.inventory.lookup
            for i in [i for i, f in enumerate(found) if f is None]:
                orth = orths[i]
                result = memo.get(orth)
                if result is None:
                    result = memo[orth] = lookup(strings[orth]) or False
                found[i] = result
        defined: list[tuple[int, Definition, str]] = []
        if definitions:
            for i in [i for i, orth in enumerate(orths) if orth in definitions]:
                defined.append((i, *definitions[orths[i]]))
                found[i] = False
        written = self._glued(doc, cols, found)
        written.update(self._spaced(doc, cols, found))
        hits: list[tuple[int, Match]] = [(i, f) for i, f in enumerate(found) if f]
        if not hits and not defined:
            return []
        starts = cols.idx
        out: list[Abbreviation] = []
        if hits:
            out = self._from_inventory(doc, cols, starts, hits, section_of, written)
        for i, definition, suffix in defined:
            out.append(self._from_definition(doc.vocab.strings[orths[i]], starts[i], definition, suffix))
        out.sort(key=lambda a: a.start)
        return out

    def _glued(self, doc: "Doc", cols, found: list) -> dict[int, str]:  # noqa: ANN001
        """Inventory spellings the tokenizer split into pieces written without spaces
        (``Ex/RP``, ``PT/OT``, ``N/V/D``, ``tf-cbt``, ``U-tox``, ``Psy.D.``): the first piece's
        entry in ``found`` becomes the whole spelling's match, the other pieces' ``False``.
        Returns the written text of each such spelling by its first token.

        Only the few places with a joining mark (a slash, hyphen, ampersand or inner period) are
        looked at: the run of tokens around one, written without spaces, is looked up whole.
        """
        text = doc_text(doc)
        starts, lengths, spacy, blank = cols.idx, cols.length, cols.spacy, cols.is_space
        strings, orths = doc.vocab.strings, cols.orth
        lookup = self.inventory.lookup
        last_token = len(orths) - 1
        written: dict[int, str] = {}
        done = -1
        marks = [m.start() for m in _JOINS.finditer(text)]
        if _INNER_PERIOD.search(text):
            marks = sorted(marks + [m.start() for m in _INNER_PERIOD.finditer(text)])
        for at in marks:
            if at < done:
                continue  # inside the last run
            first = last = bisect_right(starts, at) - 1
            while first > 0 and not spacy[first - 1] and not blank[first - 1] and not blank[first]:
                first -= 1
            while last < last_token and not spacy[last] and not blank[last + 1] and not blank[last]:
                last += 1
            done = starts[last] + lengths[last]
            while first < last and strings[orths[first]] in _OPENING:
                first += 1
            while last > first and strings[orths[last]] in _CLOSING:
                last -= 1
            if last == first:
                continue  # one token ("s/p", "PHQ-9"): the token look-up has it
            piece = text[starts[first]:starts[last] + lengths[last]]
            match = lookup(piece)
            if match is None:
                continue
            if piece.endswith(".") and (shorter := lookup(piece[:-1])) is not None:
                following = text[starts[last] + lengths[last]:][:3].lstrip()[:1]
                if not (following.islower() or following.isdigit()):
                    piece, match = piece[:-1], shorter  # "started CBT-I. Next": the sentence's period
            found[first] = match
            for k in range(first + 1, last + 1):
                found[k] = False
            written[first] = piece
        return written

    def _spaced(self, doc: "Doc", cols, found: list) -> dict[int, str]:  # noqa: ANN001
        """Inventory spellings written with spaces (``A&O x 3``, ``A & O``), which the token
        look-up cannot see: matched in the text (only on lines holding a piece of one), they
        become one match over their tokens in ``found``, as :meth:`_glued` does. Returns the
        written text of each by its first token."""
        if self._spaced_pattern is None:
            parts, anchors = [], set()
            for spelling, exact in sorted(self.inventory.spaced_spellings(),
                                          key=lambda item: -len(item[0])):
                body = r"[ \t]+".join(re.escape(piece) for piece in spelling.split())
                parts.append(body if exact else f"(?i:{body})")
                # the piece looked for first: the longest, or one with a mark ("&" of "A & O")
                pieces = spelling.split()
                marked = [p for p in pieces if not p.isalnum()]
                anchors.add(max(marked if marked and len(max(pieces, key=len)) < 3 else pieces,
                                key=len).lower())
            pattern = re.compile(rf"(?<![\w&/])(?:{'|'.join(parts) or '(?!)'})(?![\w&/])")
            self._spaced_pattern = (tuple(anchors), pattern)
        anchors, pattern = self._spaced_pattern
        if not anchors:
            return {}
        text = doc_text(doc)
        low = lower_keeping_offsets(text)  # offsets into ``low`` must be offsets into ``text``
        lines = set()  # only the lines holding a piece of one are scanned
        for anchor in anchors:
            at = low.find(anchor)
            while at >= 0:
                end = text.find("\n", at)
                end = len(text) if end < 0 else end
                lines.add((text.rfind("\n", 0, at) + 1, end))
                at = low.find(anchor, max(end, at + 1))
        starts, lengths = cols.idx, cols.length
        written: dict[int, str] = {}
        for piece in (m for start, end in sorted(lines) for m in pattern.finditer(text, start, end)):
            match = self.inventory.lookup(" ".join(piece.group(0).split()))
            first = bisect_right(starts, piece.start()) - 1
            last = bisect_right(starts, piece.end() - 1) - 1
            if (match is None or starts[first] != piece.start()
                    or starts[last] + lengths[last] != piece.end()):
                continue  # not a known spelling, or not on token edges
            found[first] = match
            for k in range(first + 1, last + 1):
                found[k] = False
            written[first] = piece.group(0)
        return written

    # -- inventory senses ---------------------------------------------------------------------
    def _cue_map(self, entry: CompiledEntry) -> dict[int, tuple[tuple[int, float], ...]]:
        cached = self._hashed.get(id(entry))
        if cached is None or cached[0] is not entry:
            special = {NUMBER: _NUMBER_KEY, CODE: _CODE_KEY, AFTER_COLON: _AFTER_COLON_KEY,
                       LABEL: _LABEL_KEY}
            hashed = {special.get(word) or get_string_id(word): votes
                      for word, votes in entry.cue_map.items()
                      if word in special or not word.startswith("<")}
            if _NUMBER_KEY in hashed:  # a code is a number too
                merged = dict(hashed[_NUMBER_KEY])
                for index, weight in hashed.get(_CODE_KEY, ()):
                    merged[index] = max(merged.get(index, 0.0), weight)
                hashed[_CODE_KEY] = tuple(sorted(merged.items()))
            cached = self._hashed[id(entry)] = (entry, hashed)
        return cached[1]

    def _cues(self, cue_map, size: int, keys: list[int], sentences: list[int], orths: list[int],
              i: int, label: bool = False, prefix: int | None = None) -> list[float]:
        """Cue evidence per sense: full weight near, less farther, little in other sentences."""
        counts = [0.0] * (size + 1)  # one slot per sense, then "an own cue was seen"
        best: dict[int, float] = {}
        sentence = sentences[i]
        for j in range(max(0, i - self.window), min(len(keys), i + self.window + 1)):
            key = keys[j]
            if j == i or key not in cue_map:
                continue
            if sentences[j] != sentence:
                weight = self.other_sentence_weight
            else:
                weight = 1.0 if abs(j - i) <= self.near else self.far_weight
            if weight > best.get(key, 0.0):
                best[key] = weight
        if i > 0 and _AFTER_COLON_KEY in cue_map and orths[i - 1] == _COLON_ID:
            best[_AFTER_COLON_KEY] = 1.0
        if label and _LABEL_KEY in cue_map:
            best[_LABEL_KEY] = 1.0
        if prefix is not None and prefix in cue_map:
            best[prefix] = 1.0
        for key, weight in best.items():
            for index, vote in cue_map[key]:
                counts[index] += weight * vote
                if vote >= 1.0:
                    counts[-1] = 1.0  # a sense's own cue word (not just a domain word) was seen
        return counts

    def _all_caps_context(self, doc: "Doc", i: int) -> bool:
        shouting = 0
        for j in range(max(0, i - 3), min(len(doc), i + 4)):
            word = doc[j].text
            if (j != i and len(word) >= 3 and word.isalpha() and word.isupper()
                    and self.inventory.lookup(word) is None):
                shouting += 1
        return shouting >= 2

    def _from_inventory(self, doc, cols, starts, hits, section_of,
                        written: dict[int, str]) -> list[Abbreviation]:
        orths = cols.orth
        keys: list[int] | None = None
        sentences: list[int] | None = None
        scored: list[tuple[int, Match, list[float] | None]] = []
        totals: dict[str, list[float]] = {}
        for i, match in hits:
            entry = match.entry
            cues = None
            if entry.cue_map and (len(entry.senses) > 1 or entry.require_cue or entry.common_word):
                if keys is None:
                    array = cols.array
                    number = numpy.where(array[:, 3] == 5, _CODE_KEY, _NUMBER_KEY).astype("uint64")
                    keys = numpy.where(array[:, 2] == 1, number, array[:, 1]).tolist()
                    sentences = (
                        numpy.cumsum(doc.to_array([SENT_START]) == 1).tolist()
                        if doc.has_annotation("SENT_START") else [0] * len(orths)
                    )
                label = (i + 1 < len(orths) and orths[i + 1] == _COLON_ID
                         and _starts_field(doc_text(doc), starts[i]))
                prefix = (get_string_id(doc.vocab.strings[orths[i]][:match.offset - 1].lower())
                          if match.offset else None)  # "Post-MI": "post" is a cue word too
                cues = self._cues(self._cue_map(entry), len(entry.senses), keys, sentences, orths, i,
                                  label, prefix)
            if entry.require_cue or (entry.common_word and self._all_caps_context(doc, i)):
                if not cues or not cues[-1]:
                    continue  # only a sense's own cue words vouch for a word-like form
            if cues is not None:
                cues = cues[:-1]
            scored.append((i, match, cues))
            if cues is not None and len(entry.senses) > 1:
                total = totals.setdefault(entry.form, [0.0] * len(cues))
                for k, value in enumerate(cues):
                    total[k] += value
        out = []
        for i, match, cues in scored:
            entry = match.entry
            text = written.get(i) or self._written(doc, cols, i)
            start = starts[i]
            if match.offset:  # "Post-MI": the abbreviation after the prefix
                text, start = text[match.offset:], start + match.offset
            if len(entry.senses) == 1:
                out.append(self._single(entry, match.suffix, text, start))
                continue
            section = section_of(start) if section_of is not None else None
            total = totals.get(entry.form)
            scores = []
            for k, sense in enumerate(entry.senses):
                score = sense.log_prior
                if cues is not None:
                    score += self.cue_weight * cues[k] + self.doc_weight * (total[k] - cues[k])
                if section is not None and section in sense.sections:
                    score += self.section_weight
                scores.append(score)
            out.append(self._abbreviation(entry, match.suffix, text, start, scores))
        return out

    @staticmethod
    def _written(doc: "Doc", cols, i: int) -> str:
        """The token's text, with a period the tokenizer split off when it belongs to the
        abbreviation (``approx. 3 weeks``, ``pt. was seen``) rather than ending a sentence."""
        strings = doc.vocab.strings
        text = strings[cols.orth[i]]
        if (i + 2 < len(cols.orth) and cols.orth[i + 1] == _PERIOD_ID and not cols.spacy[i]
                and text[-1:].isalpha()):
            following = strings[cols.orth[i + 2]][:1]
            if following.islower() or following.isdigit():
                return text + "."
        return text

    def _single(self, entry: CompiledEntry, suffix: str, text: str, start: int) -> Abbreviation:
        key = (id(entry), suffix)
        cached = self._inflected.get(key)
        if cached is None or cached[0] is not entry:
            cached = self._inflected[key] = (entry, sense_text(entry.senses[0], suffix))
        return Abbreviation(text, start, start + len(text), entry.form, cached[1], 1.0,
                            entry.source, entry.senses[0].id, False, (), entry.category)  # type: ignore[arg-type]

    def _abbreviation(self, entry: CompiledEntry, suffix: str, text: str, start: int,
                      scores: list[float]) -> Abbreviation:
        top = max(scores)
        weights = [math.exp(s - top) for s in scores]
        norm = sum(weights)
        probs = [w / norm for w in weights]
        order = sorted(range(len(probs)), key=probs.__getitem__, reverse=True)
        if entry.groups is not None:
            # Senses worded twice for one meaning: the meanings compete, each with the sum of
            # its senses' probabilities, and a meaning reads as its likeliest wording.
            meaning: dict[int, float] = {}
            lead: dict[int, int] = {}  # each meaning's likeliest sense
            for k in order:
                group = entry.groups[k]
                meaning[group] = meaning.get(group, 0.0) + probs[k]
                lead.setdefault(group, k)
            ranked = sorted(meaning, key=meaning.__getitem__, reverse=True)
            order = [lead[g] for g in ranked]
            probs = list(probs)
            for g in ranked:
                probs[lead[g]] = meaning[g]
        best = order[0]
        second = probs[order[1]] if len(order) > 1 else 0.0
        alternatives = tuple(
            Alternative(sense_text(entry.senses[k], suffix), round(probs[k], 3),
                        entry.senses[k].id)
            for k in order[1:4] if probs[k] >= 0.02
        )
        return Abbreviation(
            text, start, start + len(text), entry.form,
            sense_text(entry.senses[best], suffix), round(probs[best], 3),
            entry.source, entry.senses[best].id,  # type: ignore[arg-type]
            probs[best] - second < self.ambiguity_margin, alternatives, entry.category,
        )

    # -- definitions in the note ----------------------------------------------------------------
    @staticmethod
    def _definitions(doc: "Doc", orths: list[int]) -> dict[int, tuple[Definition, str]]:
        """Short forms defined in the note, keyed by the hash of their spelling (and plural)."""
        if _PAREN_ID not in orths:
            return {}
        found: dict[int, tuple[Definition, str]] = {}
        for definition in find_definitions(doc_text(doc)):
            found.setdefault(get_string_id(definition.short), (definition, ""))
            found.setdefault(get_string_id(definition.short + "s"), (definition, "plural"))
        return found

    def _from_definition(self, text: str, start: int, definition: Definition,
                         suffix: str) -> Abbreviation:
        match = self.inventory.lookup(definition.short)
        alternatives: tuple[Alternative, ...] = ()
        sense_id = "note-definition"
        if match is not None:
            wanted = definition.long.lower()
            for sense in match.entry.senses:
                if sense.expansion.lower() == wanted:
                    sense_id = sense.id
            alternatives = tuple(
                Alternative(sense_text(s, suffix), 0.0, s.id)
                for s in match.entry.senses[:3] if s.id != sense_id
            )
        return Abbreviation(
            text, start, start + len(text), definition.short, inflect(definition.long, suffix),
            1.0, "note-definition", sense_id, False, alternatives,
            match.entry.category if match else "", start == definition.start,
        )


_QUOTED = re.compile(r"\"[^\"\n]{1,600}\"|\u201c[^\u201d\n]{1,600}\u201d")


def double_quoted_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each string in double quotation marks (straight or curly) on one
    line: the client's own words in a note."""
    if '"' not in text and "\u201c" not in text:
        return []
    return [m.span() for m in _QUOTED.finditer(text)]

_NUMBER_BEFORE = re.compile(r"(\d+(?:[.,]\d+)?)( ?)$")
_ONE = re.compile(r"1(?:\.0+)?")  # "1,000" is a thousand


def expand_text(text: str, abbreviations: Sequence[Abbreviation]) -> tuple[str, list[ExpandedSpan]]:
    """Write every abbreviation out; text between them is copied unchanged.

    The defining occurrence of a note definition stays as written, so
    ``acceptance and commitment therapy (ACT)`` is not doubled. An expansion at the start of a
    sentence or line is capitalised when the abbreviation was. Words inside double quotation
    marks are the client's own and stay as written ("u wd never get it"). A unit after a number
    reads as one: ``5mg`` -> ``5 milligrams``, ``1 wk`` -> ``1 week``.
    """
    pieces: list[str] = []
    spans: list[ExpandedSpan] = []
    cursor = 0
    length = 0
    quotes = double_quoted_spans(text)
    for abbreviation in sorted(abbreviations, key=lambda a: a.start):
        if abbreviation.is_definition or abbreviation.start < cursor:
            continue
        if any(qs < abbreviation.start and abbreviation.end < qe for qs, qe in quotes):
            continue
        pieces.append(text[cursor:abbreviation.start])
        length += abbreviation.start - cursor
        replacement = abbreviation.expansion
        if abbreviation.category == "unit":
            replacement = _after_number(text, abbreviation.start, replacement)
        if abbreviation.text[:1].isupper() and _starts_sentence(text, abbreviation.start):
            replacement = replacement[:1].upper() + replacement[1:]
        if abbreviation.text.endswith(".") and _ends_sentence(text, abbreviation.end):
            replacement += "."  # "take it b.i.d. Next" keeps its full stop
        pieces.append(replacement)
        spans.append(ExpandedSpan(length, length + len(replacement), abbreviation))
        length += len(replacement)
        cursor = abbreviation.end
    pieces.append(text[cursor:])
    return "".join(pieces), spans


def _after_number(text: str, start: int, expansion: str) -> str:
    """A unit's expansion after a number: spaced off when the unit was glued to it, and plural
    unless the number is one (single-word expansions only: "millimeters of mercury" stays)."""
    number = _NUMBER_BEFORE.search(text, max(0, start - 24), start)
    if number is None:
        return expansion
    one = _ONE.fullmatch(number.group(1)) is not None
    if not one and " " not in expansion and "/" not in expansion:
        expansion = inflect(expansion, "plural")
    return expansion if number.group(2) else " " + expansion


def _starts_sentence(text: str, start: int) -> bool:
    index = start - 1
    while index >= 0 and text[index] in " \t":
        index -= 1
    return index < 0 or text[index] in _SENTENCE_END


def _ends_sentence(text: str, end: int) -> bool:
    rest = text[end:end + 3].lstrip(" \t")
    return not rest or rest[0] == "\n" or rest[0].isupper()
