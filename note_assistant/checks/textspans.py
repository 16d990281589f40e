"""Small text helpers shared by the rule families: words, a light stemmer, sentences, clauses,
quoted spans, negation and term patterns. Plain ``re``; no spaCy, so they run on every keystroke.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Iterator
from importlib import resources
from typing import Any

from abbreviations import regex_cache

WORD = re.compile(r"[A-Za-z][A-Za-z']*|\d+(?:\.\d+)?")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n\s*\n|\n(?=\s*(?:[-*\u2022]|\d+[.)])\s)|;\s+")
_CLAUSE_BREAK = re.compile(
    r"[.!?;\n]|,\s+(?=(?:but|however|although|though|yet|whereas|while|except|and\s+reports?|"
    r"and\s+endorses?|and\s+states?)\b)|\b(?:but|however|although|though|except|whereas|"
    r"aside\s+from|apart\s+from)\b",
    re.IGNORECASE,
)
_SUFFIXES = (
    "izations", "ization", "ations", "ation", "nesses", "ness", "ments", "ment", "ities", "ity",
    "izing", "ising", "izes", "ises", "ized", "ised", "ize", "ise", "ingly", "ings", "ing",
    "edly", "ed", "ies", "ied", "ly", "es", "s", "er", "ers", "al", "e",
)


def data_text(*parts: str) -> str:
    """A data file under ``note_assistant/checks/data`` (read with importlib.resources)."""
    entry = resources.files("note_assistant.checks").joinpath("data", *parts)
    return entry.read_text(encoding="utf-8")


def data_toml(*parts: str) -> dict[str, Any]:
    return tomllib.loads(data_text(*parts))


@functools.lru_cache(maxsize=20000)
def stem(word: str) -> str:
    """A light, deterministic stem: ``socializing``/``socialize``/``social`` -> ``soci``."""
    w = word.lower().replace("'", "")
    if w.isdigit():
        return w
    if len(w) <= 4:
        return w[:-1] if len(w) == 4 and w.endswith("s") and not w.endswith(("ss", "us", "is")) else w
    for rounds in range(2):
        for suffix in _SUFFIXES:
            if rounds and suffix in ("s", "e", "es", "ed"):
                continue  # a second round only takes derivational endings (social-ly, social-ize)
            floor = 3 if suffix in ("ing", "ed", "es", "s", "ings") else 4
            root = w[: -len(suffix)]
            if suffix == "s" and w.endswith(("ss", "us", "is")):
                continue
            if w.endswith(suffix) and len(root) >= floor and any(v in root for v in "aeiouy"):
                w = root + ("y" if suffix in ("ies", "ied") else "")
                break
        else:
            break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]  # running -> runn -> run
    return w


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``start..end`` so it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence-like spans (also split at blank lines, list items and semicolons), trimmed."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        s, e = trim(text, cursor, match.start())
        if e > s:
            spans.append((s, e))
        cursor = match.end()
    s, e = trim(text, cursor, end)
    if e > s:
        spans.append((s, e))
    return spans


def clause(text: str, start: int, end: int, reach: int = 160) -> tuple[int, int]:
    """The clause around ``text[start:end]``: bounded by sentence ends, ';' and 'but'-words."""
    lo = max(0, start - reach)
    left = lo
    for match in _CLAUSE_BREAK.finditer(text, lo, start):
        left = match.end()
    hi = min(len(text), end + reach)
    match = _CLAUSE_BREAK.search(text, end, hi)
    right = match.start() if match else hi
    return left, right


_QUOTES = re.compile(
    r"\"[^\"\n]{1,400}\"|\u201c[^\u201d\n]{1,400}\u201d|\u2018[^\u2019\n]{1,400}\u2019(?![A-Za-z])"
    r"|(?<![A-Za-z0-9])'(?=\S)[^\n]{1,400}?(?<=\S)'(?![A-Za-z0-9])"
)


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans inside quotation marks (double, curly, or single quotes that are not apostrophes)."""
    return [(m.start(), m.end()) for m in _QUOTES.finditer(text)]


def term_pattern(terms: Iterable[str], *, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """Whole-word alternation of literal terms, longest first; spaces match any whitespace."""
    unique = sorted({t for t in terms if t}, key=lambda t: (-len(t), t))  # one order every run
    alternation = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in unique) or r"(?!x)x"
    return regex_cache.compile(rf"(?<![A-Za-z0-9])(?:{alternation})(?![A-Za-z0-9])", flags)


class Negation:
    """NegEx-style negation from data: cues before a term in its clause, or right after it."""

    def __init__(self, before: Iterable[str], after: Iterable[str], pseudo: Iterable[str] = (),
                 window: int = 6) -> None:
        self._before = regex_cache.compile(term_pattern(before).pattern, re.IGNORECASE)
        after = sorted(after, key=len, reverse=True)
        self._after = regex_cache.compile(r"^[\s:,-]*(?:" + "|".join(
            re.escape(t).replace(r"\ ", r"\s+") for t in after
        ) + r")(?![A-Za-z])", re.IGNORECASE) if after else None
        self._pseudo = term_pattern(pseudo) if pseudo else None
        self.window = window

    def negated(self, text: str, start: int, end: int) -> bool:
        """True when ``text[start:end]`` is negated ("denies SI", "no history of cutting")."""
        left, right = clause(text, start, end)
        before = text[left:start]
        tokens = WORD.findall(before)
        near = " ".join(tokens[-self.window:])
        if self._pseudo is not None and self._pseudo.search(near):
            return False
        if self._before.search(near):
            return True
        return bool(self._after and self._after.match(text[end:min(right, end + 40)]))


def heading_span(parsed: Any, *keys: str) -> tuple[int, int]:
    """The heading of the first section among ``keys`` (else the first section, else 0..0):
    where a note-level finding points."""
    sections = list(parsed.sections)
    for key in keys:
        for section in sections:
            if section.key == key:
                return trim(parsed.text, section.start, section.body_start)
    if sections:
        return trim(parsed.text, sections[0].start, sections[0].body_start)
    return 0, 0


# --- fast regexes: skip the scan when the text lacks every literal a match must start with ----

try:
    from re import _constants as _sre_c
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _sre_c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

_ZERO_WIDTH = {_sre_c.AT, _sre_c.ASSERT, _sre_c.ASSERT_NOT}
_REPEATS = {_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT, getattr(_sre_c, "POSSESSIVE_REPEAT", _sre_c.MAX_REPEAT)}
_Prefixes = set[tuple[str, bool]] | None


def _prefixes(items: list, ci: bool) -> _Prefixes:
    """Literals one of which every match starts with ((literal, ignore case) pairs); None when
    that cannot be shown (then the pattern is always run)."""
    i = 0
    while i < len(items):
        op, av = items[i]
        if op in _ZERO_WIDTH:
            i += 1
            continue
        if op is _sre_c.LITERAL:
            chars = []
            while i < len(items) and items[i][0] is _sre_c.LITERAL:
                chars.append(chr(items[i][1]))
                i += 1
            head = "".join(chars)
            # The regex parser factors shared prefixes ("take|took" -> "t(?:ake|ook)"): extend
            # the literal into what must follow it, so the gate stays selective.
            rest = _prefixes(items[i:], ci) if i < len(items) else None
            if rest and all(r_ci == ci for _, r_ci in rest) and len(rest) <= 16:
                return {(head + r, ci) for r, _ in rest}
            return {(head, ci)}
        if op is _sre_c.SUBPATTERN:
            _, add, remove, sub = av
            if sub.getwidth()[0] == 0:
                return None
            inner_ci = (ci or bool(add & re.IGNORECASE)) and not (remove & re.IGNORECASE)
            return _prefixes(list(sub.data), inner_ci)
        if op is _sre_c.BRANCH:
            found: set[tuple[str, bool]] = set()
            for alternative in av[1]:
                if alternative.getwidth()[0] == 0:
                    return None
                sub = _prefixes(list(alternative.data), ci)
                if sub is None:
                    return None
                found |= sub
            return found
        if op in _REPEATS:
            low, _, sub = av
            head = _prefixes(list(sub.data), ci) if sub.getwidth()[0] > 0 else None
            if head is None:
                return None
            if low == 0:
                rest = _prefixes(items[i + 1:], ci)
                return None if rest is None else head | rest
            return head
        if op is _sre_c.IN and all(o is _sre_c.LITERAL for o, _ in av):
            return {(chr(v), ci) for _, v in av}
        return None
    return None


def _required(items: list, ci: bool) -> _Prefixes:
    """Literals one of which every match contains somewhere ((literal, ignore case) pairs),
    the most selective such set found; None when none can be shown."""
    options: list[set[tuple[str, bool]]] = []
    i = 0
    while i < len(items):
        op, av = items[i]
        if op is _sre_c.LITERAL:
            chars = []
            while i < len(items) and items[i][0] is _sre_c.LITERAL:
                chars.append(chr(items[i][1]))
                i += 1
            options.append({("".join(chars), ci)})
            continue
        found: _Prefixes = None
        if op is _sre_c.SUBPATTERN:
            _, add, remove, sub = av
            inner_ci = (ci or bool(add & re.IGNORECASE)) and not (remove & re.IGNORECASE)
            found = _required(list(sub.data), inner_ci)
        elif op is _sre_c.BRANCH:
            alternatives = [_required(list(a.data), ci) for a in av[1]]
            if all(alternatives):
                found = set().union(*alternatives)  # type: ignore[arg-type]
        elif op in _REPEATS and av[0] >= 1:
            found = _required(list(av[2].data), ci)
        if found:
            options.append(found)
        i += 1
    if not options:
        return None
    return max(options, key=lambda option: min(len(literal) for literal, _ in option))


def _required_of(compiled: re.Pattern[str]) -> list[tuple[str, bool]] | None:
    try:
        parsed = _sre_parse.parse(compiled.pattern, compiled.flags & ~re.UNICODE)
        found = _required(list(parsed.data), bool(compiled.flags & re.IGNORECASE))
    except Exception:  # noqa: BLE001 - no requirement known: the pattern always runs
        return None
    if not found or min(len(literal) for literal, _ in found) < 3:
        return None  # too weak to be worth a check
    return sorted((literal.lower() if ci else literal, ci) for literal, ci in found)


_WORD_BOUNDED = "(?<![A-Za-z0-9])"
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
#: Characters that ``re.IGNORECASE`` folds onto ASCII letters but ``str.lower`` does not keep
#: aligned (dotted I, dotless i, long s, Kelvin sign): a text holding one is scanned by the regex.
_FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")


_RUN_BREAKS = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})


class _TextIndex:
    """One text, lowered, and the word starts found so far for each literal (the last text is
    kept, so every pattern scanning the same note shares the work)."""

    __slots__ = ("text", "low", "aligned", "found", "_runs", "_has")

    def __init__(self, text: str) -> None:
        self.text = text
        self.low = low = text.lower()
        self.aligned = len(low) == len(text) and not any(c in text for c in _FOLDS_TO_ASCII)
        self.found: dict[str, list[int]] = {}
        self._runs: frozenset[str] | None = None
        self._has: dict[tuple[str, bool], bool] = {}

    def has(self, literal: str, ignore_case: bool) -> bool:
        """Whether the text (lowered when ``ignore_case``; ``literal`` is then lower case)
        contains ``literal``; remembered, as many patterns test the same literals."""
        key = (literal, ignore_case)
        known = self._has.get(key)
        if known is None:
            known = self._has[key] = literal in (self.low if ignore_case else self.text)
        return known

    @property
    def runs(self) -> frozenset[str]:
        """Every maximal run of ASCII letters and digits in the lowered text."""
        if self._runs is None:
            self._runs = frozenset(self.low.translate(_RUN_BREAKS).split())
        return self._runs

    def word_starts(self, literal: str) -> list[int]:
        """Offsets where the lowered text has ``literal`` (lower case) right after something
        that is not an ASCII letter or digit."""
        starts = self.found.get(literal)
        if starts is None:
            starts = []
            low, find, at = self.low, self.low.find, self.low.find(literal)
            while at >= 0:
                if at == 0 or low[at - 1] not in _ALNUM:
                    starts.append(at)
                at = find(literal, at + 1)
            self.found[literal] = starts
        return starts


_MAX_WORD_GATES = 32
_INDEX: list[_TextIndex] = [_TextIndex("")]


def _index(text: str) -> _TextIndex:
    last = _INDEX[0]
    if last.text is text:
        return last
    built = _TextIndex(text)
    _INDEX[0] = built
    return built


def _gates_of(compiled: re.Pattern[str]) -> list[tuple[str, bool]] | None:
    """The literals every match starts with, as (literal, ignore case); None when unknown."""
    try:
        parsed = _sre_parse.parse(compiled.pattern, compiled.flags & ~re.UNICODE)
        gates = _prefixes(list(parsed.data), bool(compiled.flags & re.IGNORECASE))
    except Exception:  # noqa: BLE001 - an unparseable pattern simply runs ungated
        return None
    return None if gates is None else sorted(gates)


class FastPattern:
    """A compiled regex that first checks, with plain substring tests over the whole text, that
    some literal every match must start with is present; the result is the regex's own.

    Patterns come from packaged or clinic data only: their compiled form may be cached on disk
    (:mod:`abbreviations.regex_cache`).

    A whole-word pattern (made by :func:`fast`) goes further: its matches can only start at a
    word start beginning with one of those literals, so only those positions are tried.
    """

    __slots__ = ("re", "pattern", "_gates", "_word_gates", "_required")

    def __init__(self, pattern: str | re.Pattern[str], flags: int = 0) -> None:
        self.re = pattern if isinstance(pattern, re.Pattern) else regex_cache.compile(pattern, flags)
        self.pattern = self.re.pattern
        gates = regex_cache.derived("gates", self.re.pattern, self.re.flags,
                                    lambda: _gates_of(self.re))
        self._gates = None if gates is None or any(not lit for lit, _ in gates) else [
            (lit.lower() if ci else lit, ci) for lit, ci in gates
        ]
        # Literals one of which every match contains (e.g. "borderline" in "(?:a|the)\s+
        # borderline"): when the text has none, nothing else is tried.
        self._required = regex_cache.derived("required", self.re.pattern, self.re.flags,
                                             lambda: _required_of(self.re))
        # Word-start scanning needs the leading "no letter or digit before" guard and gates that
        # begin with an ASCII letter or digit (so a match cannot start anywhere else).
        # Only for a few gates: a long alternation of literals is scanned faster by the regex.
        self._word_gates = (
            self._gates is not None and len(self._gates) <= _MAX_WORD_GATES
            and self.pattern.startswith(_WORD_BOUNDED)
            and all(lit[0].isascii() and lit[0].isalnum() for lit, _ in self._gates))

    def _lacks_required(self, text: str) -> bool:
        """True when ``text`` holds none of the literals every match contains."""
        required = self._required
        if not required:
            return False
        if len(text) > 200:
            index = _index(text)
            if not index.aligned:
                return False
            return not any(index.has(literal, ci) for literal, ci in required)
        if any(c in text for c in _FOLDS_TO_ASCII):
            return False
        low = text.lower()
        return not any(literal in (low if ci else text) for literal, ci in required)

    def possible(self, text: str, pos: int = 0, endpos: int | None = None) -> bool:
        """False when no match can exist in ``text[pos:endpos]`` (a short range is checked alone)."""
        if self._lacks_required(text):
            return False
        if self._gates is None:
            return True
        endpos = len(text) if endpos is None else endpos
        if endpos - pos >= len(text) // 2 and len(text) > 200:
            index = _index(text)
            if not index.aligned:
                return True  # a case-folding character: only the regex can tell
            return any(index.has(literal, ci) for literal, ci in self._gates)
        else:
            if endpos - pos < len(text) // 2:
                text = text[max(0, pos - 1):endpos]  # a part: never evicts the note's index
            if any(c in text for c in _FOLDS_TO_ASCII):
                return True
            low: str | None = None
        for literal, ci in self._gates:
            if ci:
                low = low if low is not None else text.lower()
                if literal in low:
                    return True
            elif literal in text:
                return True
        return False

    def _starts(self, text: str, pos: int, endpos: int) -> list[int] | None:
        """Every position in ``pos..endpos`` where a match may start, sorted; None when the
        text cannot be indexed (then the regex scans it)."""
        index = _index(text)
        if not index.aligned:
            return None
        gates = self._gates or []
        found: set[int] = set()
        for literal, ci in gates:
            starts = index.word_starts(literal.lower())
            if not ci:
                starts = [s for s in starts if text.startswith(literal, s)]
            found.update(starts)
        return sorted(s for s in found if pos <= s < endpos)

    def _iter(self, text: str, pos: int, endpos: int) -> Iterator[re.Match[str]]:
        starts = self._starts(text, pos, endpos) if len(text) > 200 else None
        if starts is None:
            yield from self.re.finditer(text, pos, endpos)
            return
        match, done = self.re.match, pos
        for start in starts:
            if start < done:
                continue  # inside the previous match, as finditer skips it
            found = match(text, start, endpos)
            if found is not None:
                done = found.end()
                yield found

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        if not self.possible(text, pos, endpos):
            return None
        endpos = len(text) if endpos is None else endpos
        if self._word_gates:
            return next(self._iter(text, pos, endpos), None)
        return self.re.search(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        if not self.possible(text, pos, endpos):
            return iter(())
        endpos = len(text) if endpos is None else endpos
        if self._word_gates:
            return self._iter(text, pos, endpos)
        return self.re.finditer(text, pos, endpos)

    def findall(self, text: str, pos: int = 0, endpos: int | None = None) -> list[Any]:
        if not self.possible(text, pos, endpos):
            return []
        return self.re.findall(text, pos, len(text) if endpos is None else endpos)

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        if not self.possible(text, pos, endpos):
            return None
        return self.re.match(text, pos, len(text) if endpos is None else endpos)


def fast(pattern: str, flags: int = re.IGNORECASE) -> FastPattern:
    """A whole-word :class:`FastPattern` for ``pattern``."""
    return FastPattern(rf"{_WORD_BOUNDED}(?:{pattern})(?![A-Za-z0-9])", flags)


TOKEN = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")


def _token_starts_at(text: str, at: int, start: int = 0, end: int | None = None) -> bool:
    """Whether reading ``text[start:end]`` with TOKEN starts a token at ``at``, given that a
    TOKEN match begins there (the caller has it): not inside a word, nor after an apostrophe
    that joins this word to the one before ("o'brien")."""
    end = len(text) if end is None else end
    if at > start and text[at - 1].isascii() and text[at - 1].isalnum():
        return False  # inside a word
    if at > start and text[at - 1] == "'":
        run = at - 1
        while run > start and (text[run - 1] == "'" or (text[run - 1].isascii() and text[run - 1].isalnum())):
            run -= 1
        return any(token.start() == at for token in TOKEN.finditer(text, run, min(end, at + 1)))
    return True


class TermIndex:
    """Whole-word phrase lookup over tokens (faster than a regex alternation of many terms).

    Matching ignores case and punctuation between words ("role-play" = "role play"), except for
    short all-caps acronyms ("MI", "ACT"), which match their case only.
    """

    def __init__(self, terms: Iterable[str]) -> None:
        self.loose: dict[str, str] = {}
        self.strict: dict[str, str] = {}
        sizes: dict[str, set[int]] = {}
        for term in terms:
            tokens = TOKEN.findall(term)
            if not tokens:
                continue
            acronym = term.isupper() and len(term) <= 5 and " " not in term
            key = " ".join(tokens) if acronym else " ".join(tokens).lower()
            (self.strict if acronym else self.loose).setdefault(key, term)
            sizes.setdefault(tokens[0].lower(), set()).add(len(tokens))
        self.sizes = {k: tuple(sorted(v, reverse=True)) for k, v in sizes.items()}
        self.longest = max((n for v in self.sizes.values() for n in v), default=1)
        self._first_words = sorted(self.sizes)
        # Per first word, the other words of each of its terms: a term can only occur where
        # all of them occur too (as whole runs), so most first words need no search at all.
        rests: dict[str, list[frozenset[str]]] = {}
        for key in [*self.loose, *self.strict]:
            words = key.lower().split(" ")
            rests.setdefault(words[0], []).append(frozenset(w for w in words[1:] if "'" not in w))
        self._rests = rests

    def find(self, text: str, start: int = 0, end: int | None = None,
             first: bool = False) -> list[tuple[int, int, str]]:
        """(start, end, term as listed) for each longest, non-overlapping occurrence (only the
        first one when ``first``), as if ``text[start:end]`` were read token by token.

        Only where a term's first word starts a word (found by substring search of the lowered
        text, shared with the other patterns scanning the note) is the text tokenized: a regex
        scan of a whole note costs more than all of those.
        """
        end = len(text) if end is None else end
        index = _index(text) if len(text) > 200 else _TextIndex(text)
        if not index.aligned:
            return self._read(text, start, end, [t.start() for t in TOKEN.finditer(text, start, end)], first)
        # A token equal to a first word is a whole run of letters and digits (or, for words
        # with an apostrophe, at least a substring): other first words need no search.
        runs = index.runs
        if start > 0 or end < len(text):  # a range may cut a run: add the cut pieces
            low = index.low
            runs = runs | set(low[start:min(end, start + 64)].translate(_RUN_BREAKS).split()[:1])
            runs |= set(low[max(start, end - 64):end].translate(_RUN_BREAKS).split()[-1:])
        present = [w for w in self._first_words
                   if (w in index.low if "'" in w else w in runs)
                   and any(rest <= runs for rest in self._rests.get(w, (frozenset(),)))]
        candidates: set[int] = set()
        for word in present:
            for at in index.word_starts(word):
                if start <= at < end:
                    candidates.add(at)
        head = TOKEN.match(text, start, end)
        if head is not None and head.start() == start:
            candidates.add(start)  # a range may begin inside a word: reading starts there
        return self._read(text, start, end, sorted(candidates), first)

    def _read(self, text: str, start: int, end: int, candidates: list[int],
              first: bool) -> list[tuple[int, int, str]]:
        found: list[tuple[int, int, str]] = []
        sizes, loose, strict, longest = self.sizes, self.loose, self.strict, self.longest
        done = start  # tokens before this offset belong to an earlier match
        for at in candidates:
            if at < done:
                continue
            head = TOKEN.match(text, at, end)
            if (head is None or head.group(0).lower() not in sizes
                    or not _token_starts_at(text, at, start, end)):
                continue  # not a whole token here ("i" of "i'm", "in" inside "within")
            tokens = []
            for token in TOKEN.finditer(text, at, end):
                tokens.append(token)
                if len(tokens) == longest:
                    break
            words = [t.group(0) for t in tokens]
            lowers = [w.lower() for w in words]
            for size in sizes.get(lowers[0], ()):
                if size > len(tokens):
                    continue
                term = loose.get(" ".join(lowers[:size])) or strict.get(" ".join(words[:size]))
                if term:
                    done = tokens[size - 1].end()
                    found.append((at, done, term))
                    break
            if found and first:
                break
        return found

    def search(self, text: str, start: int = 0, end: int | None = None) -> tuple[int, int, str] | None:
        hits = self.find(text, start, end, first=True)
        return hits[0] if hits else None
