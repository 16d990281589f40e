"""Abbreviations defined in the note itself, Schwartz-Hearst style.

Both ``acceptance and commitment therapy (ACT)`` and ``ACT (acceptance and commitment therapy)``
are found. The long form must contain the short form's letters in order, the first one starting
a word (Schwartz & Hearst, PSB 2003); among several such starts the one matching the most word
initials wins, so ``... used acceptance and commitment therapy (ACT)`` yields the full name and
not ``and commitment therapy``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PAREN = re.compile(r"\(([^()\n]{1,80})\)")
_WORD = re.compile(r"[^\s]+")
_STOP = frozenset("a an and as at by for from in of on or the to with".split())
_SHORT_OK = re.compile(r"^(?=.*[A-Za-z])(?=.*[A-Z0-9])[A-Za-z0-9][A-Za-z0-9&/.\-']{0,9}$")


@dataclass(frozen=True, slots=True)
class Definition:
    """A short form defined in the note."""

    short: str
    long: str
    start: int
    """Offset of the defining occurrence of the short form."""
    end: int


def _is_short_form(text: str) -> bool:
    return bool(_SHORT_OK.match(text)) and len(text.replace(".", "")) >= 2


def _matches_from(short: str, long: str) -> bool:
    """The short form's letters (after the first) appear in order in ``long``."""
    position = 1 if long else 0
    for ch in short[1:].lower():
        if not ch.isalnum():
            continue
        position = long.lower().find(ch, position)
        if position < 0:
            return False
        position += 1
    return True


def best_long_form(short: str, words: list[str]) -> str | None:
    """The best long form for ``short`` ending at the end of ``words``, or ``None``."""
    core = re.sub(r"-?\d+$", "", short) or short  # PHQ-9 is defined by its letters
    letters = [ch.lower() for ch in core if ch.isalnum()]
    if not letters:
        return None
    limit = min(len(letters) + 5, len(letters) * 2)
    words = words[-limit:]
    best: tuple[tuple[int, int, int], int] | None = None
    for index, word in enumerate(words):
        if not word or word[0].lower() != letters[0]:
            continue
        candidate = " ".join(words[index:])
        if not _matches_from(core, candidate):
            continue
        initials = [w[0].lower() for w in words[index:] if w]
        matched, pointer = 0, 0
        for initial in initials:
            if pointer < len(letters) and initial == letters[pointer]:
                matched += 1
                pointer += 1
        score = (matched, int(word.lower() not in _STOP), -len(candidate))
        if best is None or score > best[0]:
            best = (score, index)
    if best is None:
        return None
    long = " ".join(words[best[1]:])
    # a several-word long form must spell at least two of the letters with word initials
    # ("motivational interviewing"), which rules out "completed the Impact Statement (CPT)"
    if len(words) - best[1] > 1 and best[0][0] < min(2, len(letters)):
        return None
    if len(long) <= len(short) or short.lower() in long.lower().split():
        return None
    return long


def find_definitions(text: str) -> list[Definition]:
    """Every ``long (SHORT)`` and ``SHORT (long)`` pair in ``text``, in order."""
    found: list[Definition] = []
    for match in _PAREN.finditer(text):
        inside = match.group(1).strip()
        before = text[max(0, match.start() - 200): match.start()]
        # cut the preceding text at the last sentence or clause boundary
        cut = max(before.rfind(ch) for ch in ".;:\n[]")
        before = before[cut + 1:]
        if _is_short_form(inside) and len(inside.split()) == 1:
            words = [w.strip(",\"'") for w in _WORD.findall(before)]
            long = best_long_form(inside, words)
            if long:
                offset = match.start(1) + match.group(1).index(inside)
                found.append(Definition(inside, long, offset, offset + len(inside)))
            continue
        words_before = _WORD.findall(before)
        if not words_before or len(inside.split()) < 2:
            continue
        short = words_before[-1].strip(",\"'")
        if not _is_short_form(short):
            continue
        inside_words = [w.strip(",\"'") for w in _WORD.findall(inside)]
        long = best_long_form(short, inside_words)
        if long and long == " ".join(inside_words):
            start = match.start() - len(before) + before.rindex(short)
            found.append(Definition(short, long, start, start + len(short)))
    return found
