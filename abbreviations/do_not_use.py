"""Joint Commission Do-Not-Use and ISMP error-prone abbreviations.

Rules live in ``data/do_not_use.jsonl`` (schema: :class:`~abbreviations.schema.DoNotUseRule`).
Two ways to check, with the same answers:

* :meth:`DoNotUseChecker.find` scans raw text with every rule's regular expression (no spaCy
  needed; the reference);
* :meth:`DoNotUseChecker.find_in_doc` uses a tokenized Doc to pick the few places worth a look
  (a token spelled like one of a rule's forms, or matching its ``trigger``) and runs the rule's
  expression only there. Each distinct spelling is classified once per process.

Context tests look at the words around a match, within the same sentence or line:

``after_number``  a number right before (``10 U``, ``10U``), unless a word in
                  ``not_before_number`` names it (``room 4U``);
``dose_before``   a dose unit among the two words before (``10 mg OD``) or a number right
                  before (``1 OD``);
``medication``    a dose, unit, route or dosing frequency within ``window`` words either side.

``not_after`` words among the ``window`` words before a match veto it (``level 1.0 mEq/L`` is
a lab result, where TJC allows a trailing zero).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy
from importlib import resources
from typing import TYPE_CHECKING

from .inventory import read_jsonl
from .results import DoNotUseHit
from .schema import DoNotUseRule
from .tokenizer import doc_text
from . import regex_cache

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

_WORD = re.compile(r"[A-Za-z0-9µμ./]+")
_BOUNDARY = re.compile(r"[.;!?]\s|\n")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")
_UNITS = frozenset(
    "mg mcg µg μg ug g gm gram grams ml l cc unit units u iu meq mmol tab tabs tablet tablets "
    "cap caps capsule capsules puff puffs drop drops gtt gtts patch spray sprays mg/kg".split()
)
_ROUTES = frozenset(
    "po p.o iv i.v im i.m sc sq sl pr subq subcut inj injection injections topical inh neb "
    "ng intranasal nasal".split()
)
_FREQUENCIES = frozenset(
    "bid b.i.d tid t.i.d qid q.i.d qd q.d daily qhs prn p.r.n qam qpm qod nightly "
    "weekly dose doses dosed dosing".split()
)
_DOSE = re.compile(
    r"^\d+(?:\.\d+)?(?:mg|mcg|ml|g|units?|u|iu|meq|mmol|tabs?|caps?|puffs?|gtts?)$|^q\d+h$"
)
_MED_WORDS = _UNITS | _ROUTES | _FREQUENCIES
_TAIL_WORD = re.compile(r"[A-Za-z]+$")
_REACH = 40  # characters around a candidate token searched for the rule's match


# A form rule's spellings are matched not inside a word (a digit may come before: 10U), with no
# letter right after, nor after a following period or apostrophe (U.S., DC'd).
_FORM_BEFORE = r"(?<![A-Za-z'’.])"
_FORM_AFTER = r"(?![A-Za-z0-9]|[.'’][A-Za-z])"


def _form_body(rule: DoNotUseRule) -> str:
    """A form rule's spellings as one alternation (case-insensitivity as a scoped flag)."""
    forms = sorted(rule.forms, key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(part) for part in form.split()) for form in forms)
    return body if rule.case_sensitive else f"(?i:{body})"


def _pattern_source(rule: DoNotUseRule) -> str:
    """The rule's expression as one string."""
    if rule.regex:
        return rule.regex
    return rf"{_FORM_BEFORE}(?:{_form_body(rule)}){_FORM_AFTER}"


def _sentence_before(text: str, start: int, chars: int) -> str:
    piece = text[max(0, start - chars):start]
    cuts = [m.end() for m in _BOUNDARY.finditer(piece)]
    return piece[cuts[-1]:] if cuts else piece


def _sentence_after(text: str, end: int, chars: int) -> str:
    piece = text[end:end + chars]
    cut = _BOUNDARY.search(piece)
    return piece[:cut.start() + 1] if cut else piece


def _words(piece: str) -> list[str]:
    return [w.lower().rstrip(".") or w for w in _WORD.findall(piece)]


def _is_dose_word(word: str) -> bool:
    return word in _UNITS or bool(_DOSE.match(word))


def _context_ok(rule: DoNotUseRule, text: str, start: int, end: int) -> bool:
    if rule.not_after:
        before = _words(_sentence_before(text, start, 16 * rule.window))[-rule.window:]
        if any(word in rule.not_after for word in before):
            return False  # "level 1.0 mEq/L": a lab result, not a dose
    if rule.not_previous or rule.not_next:
        previous = _words(_sentence_before(text, start, 24))[-1:]
        following = _words(_sentence_after(text, end, 24))[:1]
        if previous and previous[0] in rule.not_previous:
            return False
        if following and following[0] in rule.not_next:
            return False
    if not rule.context and not rule.cues:
        return True
    span = 16 * rule.window
    for context in rule.context:
        if context == "after_number":
            j = start
            if j > 0 and text[j - 1] in " \t":
                j -= 1
            if j > 0 and text[j - 1].isdigit():
                if rule.not_before_number:
                    while j > 0 and (text[j - 1].isdigit() or text[j - 1] in ".,"):
                        j -= 1
                    label = _words(_sentence_before(text, j, 24))[-1:]
                    if label and label[0] in rule.not_before_number:
                        continue  # "room 4U": a number naming a place, not a dose
                return True
        elif context == "dose_before":
            before = _words(_sentence_before(text, start, 32))[-2:]
            # a dose word among the two words before ("10 mg OD"), or a number right before
            # ("1 OD"): a number further back is a date or a count ("in 2021 (intentional OD")
            if any(_is_dose_word(w) for w in before) or (before and _NUMBER.match(before[-1])):
                return True
        elif context == "medication":
            around = (_words(_sentence_before(text, start, span))[-rule.window:]
                      + _words(_sentence_after(text, end, span))[:rule.window])
            for index, word in enumerate(around):
                if word in _MED_WORDS or _DOSE.match(word):
                    return True
                if _NUMBER.match(word) and index + 1 < len(around) and around[index + 1] in _UNITS:
                    return True
    if rule.cues:
        around = (_words(_sentence_before(text, start, span))[-rule.window:]
                  + _words(_sentence_after(text, end, span))[:rule.window])
        if any(word in rule.cues for word in around):
            return True
    return False


class DoNotUseChecker:
    """Finds every rule's matches in a text or a tokenized Doc."""

    def __init__(self, rules: Iterable[DoNotUseRule], *, exclude: Iterable[str] = ()) -> None:
        skip = set(exclude)
        self.rules = [rule for rule in rules if rule.id not in skip]
        """The active rules."""
        sources = [_pattern_source(rule) for rule in self.rules]
        self._patterns = [regex_cache.compile(source) for source in sources]
        # A token is worth a look when a rule's own expression (form rules) or its trigger
        # (regex rules) matches inside the token's text, or when it is the first word of a
        # several-word form ("per os"). One combined expression answers "any rule?" first.
        self._token_tests = [
            regex_cache.compile(rule.trigger) if rule.regex and rule.trigger else pattern
            for rule, pattern in zip(self.rules, self._patterns)
        ]
        # The form rules share their guards, so they are one group behind one guard: a position
        # inside a word fails once, not once per rule (a third of the time for a new word).
        bodies = [_form_body(rule) for rule in self.rules if not rule.regex]
        parts = [rf"{_FORM_BEFORE}(?:{'|'.join(bodies)}){_FORM_AFTER}"] if bodies else []
        parts += [f"(?:{test.pattern})" for rule, test in zip(self.rules, self._token_tests)
                  if rule.regex]
        self._any = regex_cache.compile("|".join(parts) or "(?!)")
        self._first_words: dict[str, list[int]] = {}
        for index, rule in enumerate(self.rules):
            for form in rule.forms:
                if " " in form:
                    self._first_words.setdefault(form.split()[0].lower(), []).append(index)
        self._memo: dict[int, tuple[int, ...]] = {}
        self._chunks: dict[tuple[int, ...], tuple[int, ...]] = {}

    # -- reference: the whole text -------------------------------------------------------------
    def find(self, text: str) -> list[DoNotUseHit]:
        """All hits in ``text`` (every rule's expression over the whole text)."""
        hits = []
        for index, pattern in enumerate(self._patterns):
            for match in pattern.finditer(text):
                hit = self._hit(index, match, text)
                if hit is not None:
                    hits.append(hit)
        return sorted(set(hits), key=lambda h: (h.start, h.end, h.rule_id))

    # -- fast: only around candidate tokens ------------------------------------------------------
    def find_in_doc(self, doc: "Doc") -> list[DoNotUseHit]:
        """All hits in ``doc.text``, looking only around stretches that could hold one.

        A stretch is a token, or a run of tokens written without spaces between them
        (``D/C'd,`` may come out of a tokenizer in pieces), classified once per spelling.
        """
        from .columns import columns

        n = len(doc)
        if n == 0:
            return []
        cols = columns(doc)
        blank = cols.array[:, 6] == 1
        # token i is written against token i + 1 (no space between, neither is whitespace)
        joined = (cols.array[:, 5] == 0) & ~blank
        joined[:-1] &= ~blank[1:]
        joined[-1] = False
        begins = numpy.ones(n, dtype=bool)
        begins[1:] = ~joined[:-1]
        chunk_starts = numpy.flatnonzero(begins)
        chunk_ends = numpy.append(chunk_starts[1:], n) - 1
        memo = self._memo
        strings = doc.vocab.strings
        candidates: list[tuple[int, int, tuple[int, ...]]] = []
        orths = cols.orth
        for i, j in zip(chunk_starts.tolist(), chunk_ends.tolist()):
            if i == j:
                orth = orths[i]
                rules = memo.get(orth)
                if rules is None:
                    rules = memo[orth] = self._rules_for(strings[orth])
            else:
                key = tuple(orths[i:j + 1])
                rules = self._chunks.get(key)
                if rules is None:
                    rules = self._chunks[key] = self._rules_for("".join(strings[o] for o in key))
            if rules:
                candidates.append((i, j, rules))
        if not candidates:
            return []
        text = doc_text(doc)
        starts = cols.idx
        hits: set[DoNotUseHit] = set()
        for first, last, rules in candidates:
            start = starts[first]
            end = starts[last] + len(strings[orths[last]])
            low, high = max(0, start - _REACH), min(len(text), end + _REACH)
            for index in rules:
                for match in self._patterns[index].finditer(text, low, high):
                    if match.end() <= start or match.start() >= end:
                        continue
                    hit = self._hit(index, match, text)
                    if hit is not None:
                        hits.add(hit)
        return sorted(hits, key=lambda h: (h.start, h.end, h.rule_id))

    def _rules_for(self, token_text: str) -> tuple[int, ...]:
        if len(self._memo) + len(self._chunks) > 200_000:
            self._memo.clear()
            self._chunks.clear()
        tail = _TAIL_WORD.search(token_text)  # "per" of "per os", even glued to a number
        found = set(self._first_words.get(tail.group().lower(), ())) if tail else set()
        if self._any.search(token_text):
            found.update(i for i, test in enumerate(self._token_tests) if test.search(token_text))
        return tuple(sorted(found))

    def _hit(self, index: int, match: re.Match[str], text: str) -> DoNotUseHit | None:
        rule = self.rules[index]
        start, end = match.span()
        if not _context_ok(rule, text, start, end):
            return None
        replacement = match.expand(rule.replacement) if rule.regex else rule.replacement
        return DoNotUseHit(rule.id, rule.source, rule.severity, start, end,
                           match.group(0), rule.message, replacement)


_RULES: list[DoNotUseRule] | None = None
_CHECKERS: dict[tuple[str, ...], DoNotUseChecker] = {}


def load_rules() -> list[DoNotUseRule]:
    """The packaged Do-Not-Use rules (parsed once per process)."""
    global _RULES
    if _RULES is None:
        text = resources.files("abbreviations.data").joinpath("do_not_use.jsonl").read_text("utf-8")
        _RULES = read_jsonl(text, DoNotUseRule, "do_not_use.jsonl")
    return _RULES


def get_checker(exclude: Iterable[str] = ()) -> DoNotUseChecker:
    """A cached checker over the packaged rules, without the ``exclude`` ids."""
    key = tuple(sorted(set(exclude)))
    checker = _CHECKERS.get(key)
    if checker is None:
        checker = _CHECKERS[key] = DoNotUseChecker(load_rules(), exclude=key)
    return checker
