"""Reading notes as clinicians write them.

``parse_note(text)`` finds optional front matter, the format's section headings in any of the
usual styles (``## Subjective``, ``Subjective:``, ``S:``, ``SUBJECTIVE:``, ``**Plan:**``, a bare
``Assessment`` line), and keeps the character offsets of everything. Nothing is lost:
front matter + preamble + sections, concatenated, is exactly the input.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from .metadata import NoteHeader, header_from_lines, normalize_metadata, read_front_matter
from .registry import builtin_formats, get_format
from .spec import NoteFormat

FREE_TEXT = "free-text"


@dataclass(frozen=True, slots=True)
class ParsedSection:
    """One section as written: ``start``..``body_start`` is the heading, then the body."""

    key: str
    heading: str
    start: int
    body_start: int
    end: int

    def body(self, text: str) -> str:
        return text[self.body_start : self.end]


@dataclass(slots=True)
class ParsedNote:
    """A note with its sections located by character offsets into ``text``."""

    text: str
    format: str
    sections: list[ParsedSection]
    front_matter_end: int = 0
    preamble_end: int = 0
    raw_metadata: dict[str, object] = field(default_factory=dict)
    header: NoteHeader = field(default_factory=NoteHeader)
    problems: list[str] = field(default_factory=list)
    """Readable problems met while reading (bad front matter, unreadable header values)."""
    _starts: tuple[list[ParsedSection], list[int]] | None = field(default=None, repr=False,
                                                                  compare=False)
    """``section_at``'s section starts, with the list they were read from."""

    @property
    def preamble(self) -> str:
        return self.text[self.front_matter_end : self.preamble_end]

    def section(self, key: str) -> ParsedSection | None:
        for section in self.sections:
            if section.key == key:
                return section
        return None

    def body(self, key: str) -> str:
        """Body text of every section with this key, joined (a heading may repeat)."""
        return "\n".join(s.body(self.text) for s in self.sections if s.key == key)

    def section_at(self, offset: int) -> ParsedSection | None:
        """The section holding ``offset`` (sections follow each other in the text, so a
        bisection over their starts finds it: a note of 13,000 headings took 10 s when each
        finding's section was looked for from the first)."""
        cached = self._starts
        if cached is None or cached[0] is not self.sections or len(cached[1]) != len(self.sections):
            cached = self._starts = (self.sections, [section.start for section in self.sections])
        starts = cached[1]
        index = bisect_right(starts, offset) - 1
        if index >= 0 and offset < self.sections[index].end:
            return self.sections[index]
        return None

    def reconstruct(self) -> str:
        pieces = [self.text[: self.front_matter_end], self.preamble]
        pieces += [self.text[s.start : s.end] for s in self.sections]
        return "".join(pieces)


_MARKUP = r"(?:\*\*|__|\*)?"


_PATTERNS: dict[int, tuple[NoteFormat, re.Pattern[str], dict[str, str]]] = {}


def _heading_pattern(fmt: NoteFormat) -> tuple[re.Pattern[str], dict[str, str]]:
    cached = _PATTERNS.get(id(fmt))
    if cached is not None and cached[0] is fmt:
        return cached[1], cached[2]
    owners: dict[str, str] = {}
    for section in fmt.sections:
        for heading in section.headings:
            owners[heading.lower()] = section.key
    names = sorted(owners, key=len, reverse=True)
    alternation = "|".join(re.escape(name).replace(r"\ ", r"[ \t]+") for name in names)
    pattern = re.compile(
        rf"^(?P<lead>[ \t]*)(?P<hashes>\#{{1,6}}[ \t]*)?{_MARKUP}(?P<name>{alternation})"
        rf"{_MARKUP}[ \t]*(?P<sep>:|[-\u2013\u2014](?=[ \t]))?{_MARKUP}[ \t]*",
        re.IGNORECASE | re.MULTILINE,
    )
    if len(_PATTERNS) > 256:
        _PATTERNS.clear()
    _PATTERNS[id(fmt)] = (fmt, pattern, owners)
    return pattern, owners


def _line_starts(text: str, start: int) -> list[int]:
    """Offsets (from ``start`` on) where a line begins."""
    starts = [start] if start == 0 or text[start - 1] == "\n" else []
    find = text.find
    at = find("\n", start)
    while at >= 0:
        starts.append(at + 1)
        at = find("\n", at + 1)
    return starts


_LINES: list[tuple[str, int, list[int]]] = [("", 0, [])]


def _at_line_starts(pattern: re.Pattern[str], text: str, start: int) -> list[re.Match[str]]:
    """``pattern.finditer(text, start)`` for a one-line pattern anchored with ``^``: it can only
    match where a line begins, so only those places are tried (the formats share the list)."""
    cached = _LINES[0]
    if cached[0] is not text or cached[1] != start:
        cached = (text, start, _line_starts(text, start))
        _LINES[0] = cached
    match = pattern.match
    return [m for m in (match(text, at) for at in cached[2]) if m is not None]


def _headings(text: str, fmt: NoteFormat, start: int) -> list[tuple[int, int, str, str]]:
    """(line start, body start, section key, heading as written) for each heading line."""
    pattern, owners = _heading_pattern(fmt)
    found: list[tuple[int, int, str, str]] = []
    for match in _at_line_starts(pattern, text, start):
        name = match.group("name")
        sep, hashes = match.group("sep"), match.group("hashes")
        line_end = text.find("\n", match.end())
        rest = text[match.end() : line_end if line_end != -1 else len(text)].strip()
        if sep is None and rest:
            continue  # "Plan to meet weekly" is prose, not a heading
        if sep is None and not hashes and len(name) < 3:
            continue  # a bare "S" or "P" line is too weak a signal
        if sep is not None and sep != ":" and len(name) < 3:
            continue
        key = owners[re.sub(r"\s+", " ", name.lower())]
        found.append((match.start(), match.end(), key, match.group(0).strip()))
    return found


def detect_format(text: str, formats: dict[str, NoteFormat] | None = None) -> str:
    """The format whose headings the text uses most (at least two sections), else free text."""
    return _detect(text, formats, 0)[0]


def _detect(text: str, formats: dict[str, NoteFormat] | None,
            start: int) -> tuple[str, list[tuple[int, int, str, str]]]:
    """:func:`detect_format` over ``text[start:]``, with the winner's headings (so parsing does
    not scan for them again)."""
    formats = formats if formats is not None else builtin_formats()
    best, best_score, best_found = FREE_TEXT, (1, 0.0), []
    for fmt in formats.values():
        found = _headings(text, fmt, start)
        keys = {key for _, _, key, _ in found}
        score = (len(keys), len(keys) / len(fmt.sections))
        if score > best_score:
            best, best_score, best_found = fmt.key, score, found
    return best, best_found


def parse_note(
    text: str,
    format: str | None = None,
    formats: dict[str, NoteFormat] | None = None,
) -> ParsedNote:
    """Parse ``text``. ``format`` forces a format ("auto" or None detects it)."""
    formats = formats if formats is not None else builtin_formats()
    fm_end, raw, problems = read_front_matter(text)
    wanted = format if format not in (None, "", "auto") else raw.get("format")
    if isinstance(wanted, str) and wanted.strip() and wanted.strip().lower() != "auto":
        if wanted.strip().lower() in (FREE_TEXT, "free", "none"):
            key = FREE_TEXT
        else:
            key = get_format(wanted, formats).key
        found = _headings(text, formats[key], fm_end) if key != FREE_TEXT else []
    else:
        key, found = _detect(text, formats, fm_end)

    sections: list[ParsedSection] = []
    if key != FREE_TEXT:
        for index, (start, body_start, skey, heading) in enumerate(found):
            end = found[index + 1][0] if index + 1 < len(found) else len(text)
            sections.append(ParsedSection(skey, heading, start, body_start, end))
    preamble_end = sections[0].start if sections else len(text)

    inline = header_from_lines(text[fm_end:preamble_end])
    merged = {**inline, **raw}
    header, header_problems = normalize_metadata(merged)
    return ParsedNote(
        text=text,
        format=key,
        sections=sections,
        front_matter_end=fm_end,
        preamble_end=preamble_end,
        raw_metadata=merged,
        header=header,
        problems=problems + header_problems,
    )
