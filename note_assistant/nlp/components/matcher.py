"""Find every cue rule's matches in a text with a few regular-expression passes.

The cues are compiled into one pattern that is tried only at word starts and dispatches on the
first character, so the cost grows with the text, not with the number of rules (cues whose first
character varies get a second, small pattern; punctuation cues a third). At each word start the
longest match wins: ConText's pseudo-modifier behaviour ("may benefit" hides "may"). Within one
first character cues are tried longest ``literal`` first, so a regex cue's ``literal`` should be
a typical match. Cues at later word starts inside a longer hit are dropped by containment
(``context.drop_contained``).

Matching is on lower-cased text with curly quotes and apostrophes folded to straight ones, so it
does not depend on how the tokenizer splits abbreviations.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable

from abbreviations import regex_cache
from abbreviations.tokenizer import lower_keeping_offsets

from .rules import CueRule

_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                       "\u2013": "-", "\u2014": "-"})


def normalize(text: str) -> str:
    """Lower-case and fold quotes/dashes, keeping every offset."""
    return lower_keeping_offsets(text).translate(_FOLD)


_INNER_WORD = re.compile(r"(?<=\s)\w")


class Hit:
    """One cue (or computed) match: character offsets into the doc text."""

    __slots__ = ("start", "end", "category", "cue", "quoted", "weight", "scope", "is_modifier")

    def __init__(self, start: int, end: int, category: str, cue: CueRule | None,
                 weight: int = 1) -> None:
        self.start = start
        self.end = end
        self.category = category
        self.cue = cue
        self.weight = weight
        self.quoted = False
        self.scope: tuple[int, int] | None = None
        self.is_modifier = cue is not None and cue.direction != "NONE"

    @property
    def rule_id(self) -> str:
        return self.cue.id if self.cue is not None else self.category.lower()

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Hit({self.category} {self.rule_id} {self.start}-{self.end})"


def _structure(src: str, start: int = 0):  # noqa: ANN202 - a generator of (int, str, int)
    """``(index, char, depth)`` for each regex metacharacter position outside escapes and
    character classes; ``depth`` is the group depth after the character."""
    depth, i, in_class = 0, start, False
    while i < len(src):
        ch = src[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        else:
            depth += (ch == "(") - (ch == ")")
            yield i, ch, depth
        i += 1


def _matching_paren(src: str, start: int) -> int:
    """Index of the ``)`` closing the group opened at ``start`` (or -1)."""
    for i, ch, depth in _structure(src, start):
        if ch == ")" and depth == 0:
            return i
    return -1


def _split_top(src: str) -> list[str]:
    """Split a regex at its top-level ``|``."""
    parts, last = [], 0
    for i, ch, depth in _structure(src):
        if ch == "|" and depth == 0:
            parts.append(src[last:i])
            last = i + 1
    parts.append(src[last:])
    return parts


def _alternatives(src: str, budget: int = 64) -> list[str]:
    """Rewrite ``src`` as alternatives that each start with a literal character, if it can."""
    if len(_split_top(src)) > 1:
        out: list[str] = []
        for part in _split_top(src):
            out += _alternatives(part, budget)
        return out
    if src.startswith(r"\b"):
        return _alternatives(src[2:], budget)
    digits = re.match(r"\\d(\+|\*|\{(\d+)(?:,(\d*))?\})?", src)
    if digits:  # a leading digit class: one alternative per digit, the repeat shortened
        quant, low, high = digits.group(1), digits.group(2), digits.group(3)
        rest = src[digits.end():]
        if quant is None:
            tail = ""
        elif quant == "+":
            tail = r"\d*"
        elif quant == "*":
            return [src]
        elif high is None:
            tail = "" if quant.count(",") == 0 and int(low) == 1 else (
                rf"\d{{{int(low) - 1}}}" if "," not in quant else rf"\d{{{max(0, int(low) - 1)},}}")
        else:
            tail = rf"\d{{{max(0, int(low) - 1)},{int(high) - 1}}}"
        return [str(d) + tail + rest for d in range(10)]
    if src.startswith("(?:"):
        close = _matching_paren(src, 0)
        if close < 0:
            return [src]
        inner, rest, optional = src[3:close], src[close + 1:], False
        if rest[:1] == "?" and rest[1:2] != "?":
            optional, rest = True, rest[1:]
        elif rest[:1] in ("*", "+", "{"):
            return [src]
        parts = _split_top(inner)
        if len(parts) + optional > budget:
            return [src]
        out = []
        for part in parts:
            out += _alternatives(part + rest, budget // max(1, len(parts)))
        if optional:
            out += _alternatives(rest, budget)
        return out
    return [src]


_PLAIN = set("abcdefghijklmnopqrstuvwxyz0123456789'_-\"/,:;&")


def _literal_prefix(src: str) -> tuple[str, str]:
    """Split a regex into its literal prefix (whitespace runs as one space) and the rest."""
    prefix, i = [], 0
    while i < len(src):
        if src.startswith(r"\s+", i):
            prefix.append(" ")
            i += 3
            continue
        ch = src[i]
        if ch == "\\" and i + 1 < len(src) and src[i + 1] in ".-/'&,:;?":
            size, literal = 2, src[i + 1]
        elif ch in _PLAIN and ch != "\\":
            size, literal = 1, ch
        else:
            break
        if src[i + size:i + size + 1] in ("?", "*", "+", "{"):
            break
        prefix.append(literal)
        i += size
    return "".join(prefix), src[i:]


def _trie_regex(entries: list[tuple[str, str]]) -> str:
    """One regex for ``(literal prefix, regex rest)`` entries, sharing common prefixes.

    sre takes the first alternative that matches, not the longest, so at each node the branch
    that can reach furthest (literal length plus regex source length, a proxy) is tried first
    and the end of a literal last. ``CueMatcher._identify`` then recovers every shorter cue
    inside the match.
    """
    trie: dict = {}
    for prefix, rest in entries:
        node = trie
        for ch in prefix:
            node = node.setdefault(ch, {})
        if rest:
            node.setdefault("\x00", set()).add(rest)
        else:
            node[""] = True

    def build(node: dict) -> tuple[str, int]:
        branches: list[tuple[int, str]] = [
            (len(rest), f"(?:{rest})") for rest in sorted(node.get("\x00", ()))
        ]
        for ch in sorted(k for k in node if k and k != "\x00"):
            piece = r"\s+" if ch == " " else re.escape(ch)
            sub, reach = build(node[ch])
            branches.append((reach + 1, piece + sub))
        if not branches:
            return "", 0
        branches.sort(key=lambda b: -b[0])  # stable: longer reach first
        body = branches[0][1] if len(branches) == 1 else "(?:" + "|".join(b for _, b in branches) + ")"
        return (f"(?:{body})?" if "" in node else body), branches[0][0]

    return build(trie)[0]


def _split_cue(source: str) -> list[tuple[str, str]]:
    """``(literal prefix, regex rest)`` for each top-level alternative of a cue regex (kept
    between runs with the compiled patterns: it is a pure function of the rule)."""
    return regex_cache.derived("cue-split", source, 0,
                               lambda: [_literal_prefix(a) for a in _alternatives(source)])


def _cached_trie(entries: list[tuple[str, str]]) -> str:
    """:func:`_trie_regex`, kept between runs (keyed by a digest of the entries)."""
    digest = hashlib.sha256(repr(entries).encode("utf-8")).hexdigest()
    return regex_cache.derived("cue-trie", digest, 0, lambda: _trie_regex(entries))


class _LazyPattern:
    """A regex compiled on first use: most cue regexes are only needed to identify a match
    the trie already found, so compiling all ~800 up front only slows start-up."""

    __slots__ = ("source", "_compiled")

    def __init__(self, source: str) -> None:
        self.source = source
        self._compiled: re.Pattern[str] | None = None

    def match(self, text: str) -> re.Match[str] | None:
        if self._compiled is None:
            self._compiled = regex_cache.compile(self.source)
        return self._compiled.match(text)


class CueMatcher:
    """Compiled once from the cue rules; ``find(normalized_text)`` returns hits.

    Every cue is rewritten as alternatives that start with a literal prefix; the prefixes go
    into one character trie whose leaves hold the regex rests, so a word start costs about one
    character comparison per letter instead of one attempt per rule. Cues starting with
    punctuation get a second pattern, cues with no literal start a third (keep those few).
    Scanning is non-overlapping; each multi-word match is rescanned from its inner word starts
    so that shorter cues inside it are found too.
    """

    def __init__(self, cues: Iterable[CueRule]) -> None:
        cues = list(cues)
        self.literal_index: dict[str, list[CueRule]] = defaultdict(list)
        self.regex_index: dict[str, list[tuple[_LazyPattern, CueRule]]] = defaultdict(list)
        self.unindexed: list[tuple[_LazyPattern, CueRule]] = []
        words: list[tuple[str, str]] = []
        punct: list[tuple[str, str]] = []
        loose: list[CueRule] = []
        for cue in cues:
            if cue.regex is None:
                key = " ".join(cue.literal.lower().split())
                self.literal_index[key].append(cue)
                (words if key[0].isalnum() or key[0] == "_" else punct).append(
                    (key, ""))
                continue
            compiled = _LazyPattern(rf"(?:{cue.source})(?![\w])")
            firsts: set[str] = set()
            for prefix, rest in _split_cue(cue.source):
                if not prefix:
                    loose.append(cue)
                    firsts = set()
                    break
                firsts.add(prefix[0])
                (words if prefix[0].isalnum() or prefix[0] == "_" else punct).append(
                    (prefix, rest))
            if not firsts:
                self.unindexed.append((compiled, cue))
            for ch in firsts:
                self.regex_index[ch].append((compiled, cue))
        loose_alt = "|".join(f"(?:{c.source})" for c in sorted(
            {c.id: c for c in loose}.values(), key=lambda c: -len(c.literal)))
        # Literal cues and regex cues get separate tries: a pure literal trie always takes the
        # longest literal, and a regex cue cannot hide a longer literal at the same start.
        literal_words = [e for e in words if not e[1]]
        regex_words = [e for e in words if e[1]]
        self._patterns = [
            regex_cache.compile(rf"\b(?:{_cached_trie(literal_words)})(?![\w])") if literal_words else None,
            regex_cache.compile(rf"\b(?:{_cached_trie(regex_words)})(?![\w])") if regex_words else None,
            regex_cache.compile(_cached_trie(punct)) if punct else None,
            regex_cache.compile(rf"\b(?:{loose_alt})(?![\w])") if loose_alt else None,
        ]
        self._cache: dict[str, list[CueRule]] = {}

    def _identify(self, matched: str) -> list[tuple[CueRule, int]]:
        """Every cue matching a prefix of ``matched`` that ends at a word boundary.

        ``matched`` is the longest match at a start position, so all shorter cue matches at
        that start lie inside it; the answer depends on ``matched`` alone and is cached.
        """
        cached = self._cache.get(matched)
        if cached is not None:
            return cached
        found: list[tuple[CueRule, int]] = []
        seen: set[str] = set()
        size = len(matched)
        for end in range(1, size + 1):
            if end < size and (matched[end].isalnum() or matched[end] == "_"):
                continue
            for cue in self.literal_index.get(" ".join(matched[:end].split()), ()):
                if cue.id not in seen:
                    seen.add(cue.id)
                    found.append((cue, end))
        for pattern, cue in self.regex_index.get(matched[:1], []) + self.unindexed:
            if cue.id in seen:
                continue
            hit = pattern.match(matched)
            if hit is not None and hit.end() > 0:
                seen.add(cue.id)
                found.append((cue, hit.end()))
        found.sort(key=lambda pair: -pair[1])  # longest first, as find() promises
        if len(self._cache) < 50_000:
            self._cache[matched] = found
        return found

    def find(self, text: str, pos: int = 0, endpos: int | None = None) -> list[tuple[int, int, CueRule]]:
        """``(start, end, cue)`` for every cue match in ``text[pos:endpos]`` (``text`` already
        :func:`normalize`-d; word boundaries see the text around the range), sorted by start,
        longest first.

        Every cue matching at a found start is reported, so a shorter cue at the same start as
        a longer one is kept; :func:`context.drop_contained` decides later.
        """
        endpos = len(text) if endpos is None else endpos
        longest: dict[int, int] = {}
        get = longest.get
        find = text.find
        for pattern in self._patterns:
            if pattern is None:
                continue
            for match in pattern.finditer(text, pos, endpos):
                start, end = match.span()
                if end > get(start, -1):
                    longest[start] = end
                if find(" ", start, end) >= 0 or find("\n", start, end) >= 0:
                    for inner in _INNER_WORD.finditer(text, start + 1, end):
                        sub = pattern.match(text, inner.start(), endpos)
                        if sub is not None:
                            s_start, s_end = sub.span()
                            if s_end > get(s_start, -1):
                                longest[s_start] = s_end
        found: list[tuple[int, int, CueRule]] = []
        append, identify = found.append, self._identify
        for start in sorted(longest):
            for cue, size in identify(text[start:longest[start]]):
                append((start, start + size, cue))
        return found

    def find_hits(self, text: str) -> list[Hit]:
        """:meth:`find` as :class:`Hit` objects (for inspection and tests)."""
        return [Hit(s, e, cue.category, cue, cue.weight) for s, e, cue in self.find(text)]
