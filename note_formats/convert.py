"""Converting a note between formats (SOAP, BIRP, DAP, GIRP, PIRP, clinic formats) through the
canonical section roles kept in the format data.

Whole sections move: each source section goes to the target section that shares the most roles
with it (ties go to the one that has the source's first role, then to the earlier section).
A section whose roles have no place in the target is kept, word for word, under an
``Unmapped (SOAP Assessment):`` heading at the end, and reported; converting such a note again
maps those blocks by their original roles, so nothing is ever dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .parse import FREE_TEXT, parse_note
from .registry import FormatError, builtin_formats, get_format
from .spec import NoteFormat

_UNMAPPED = re.compile(
    r"^[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*)?Unmapped[ \t]+\((?P<fmt>[^()\n]+?)[ \t]+(?P<title>[^()\n]+)\)"
    r"(?:\*\*)?:?(?:\*\*)?[ \t]*",
    re.MULTILINE,
)
_HEADER_FORMAT = re.compile(
    r"^(?P<lead>[ \t]*(?:[-*][ \t]+)?\**(?:note[ \t]+)?format\**[ \t]*:[ \t]*)(?P<value>[^\n]*?)(?P<tail>[ \t]*)$",
    re.IGNORECASE | re.MULTILINE,
)
_TOML_FORMAT = re.compile(r"^(?P<lead>[ \t]*format[ \t]*=[ \t]*)(?P<q>[\"'])(?P<value>[^\"'\n]*)(?P=q)", re.MULTILINE)


@dataclass(frozen=True)
class SectionMapping:
    """Where one source section went."""

    source: str
    """Source section key (``objective``)."""
    source_title: str
    target: str | None
    """Target section key, or None when nothing in the target format plays its roles."""
    target_title: str | None
    shared_roles: tuple[str, ...] = ()


@dataclass
class ConversionResult:
    text: str
    source_format: str
    target_format: str
    mapping: list[SectionMapping] = field(default_factory=list)
    unmapped: list[SectionMapping] = field(default_factory=list)
    """Source sections kept under an "Unmapped" heading."""
    empty: list[str] = field(default_factory=list)
    """Target section keys that received nothing (written as empty headings to fill in)."""
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Piece:
    key: str
    title: str
    fmt_name: str
    roles: tuple[str, ...]
    body: str


def _pieces(text: str, parsed, fmt: NoteFormat, formats: dict[str, NoteFormat]) -> list[_Piece]:  # noqa: ANN001
    pieces: list[_Piece] = []
    for section in parsed.sections:
        spec = fmt.section(section.key)
        body = section.body(text)
        markers = list(_UNMAPPED.finditer(body))
        own = body[: markers[0].start()] if markers else body
        pieces.append(_Piece(spec.key, spec.title, fmt.name, tuple(spec.roles), own))
        for index, marker in enumerate(markers):
            end = markers[index + 1].start() if index + 1 < len(markers) else len(body)
            pieces.append(_origin_piece(marker, body[marker.end() : end], formats))
    return pieces


def _origin_piece(marker: re.Match[str], body: str, formats: dict[str, NoteFormat]) -> _Piece:
    fmt_name, title = marker.group("fmt").strip(), marker.group("title").strip()
    try:
        origin = get_format(fmt_name, formats)
        spec = next(s for s in origin.sections if title.lower() in (h.lower() for h in s.headings))
        return _Piece(spec.key, spec.title, origin.name, tuple(spec.roles), body)
    except (FormatError, StopIteration):
        return _Piece(title.lower(), title, fmt_name, (), body)


def _target_for(piece: _Piece, target: NoteFormat) -> tuple[int | None, tuple[str, ...]]:
    best, best_score, shared_best = None, (0, 0, 0), ()
    for index, spec in enumerate(target.sections):
        shared = tuple(r for r in piece.roles if r in spec.roles)
        if not shared:
            continue
        score = (len(shared), int(piece.roles[0] in spec.roles), -index)
        if best is None or score > best_score:
            best, best_score, shared_best = index, score, shared
    return best, shared_best


def _style(parsed) -> str:  # noqa: ANN001
    heading = parsed.sections[0].heading if parsed.sections else ""
    hashes = re.match(r"#{1,6}", heading)
    if hashes:
        return hashes.group(0)
    return "**" if heading.startswith("**") else ":"


def _render(style: str, title: str, body: str) -> str:
    if style.startswith("#"):
        return f"{style} {title}\n\n{body}\n\n" if body else f"{style} {title}\n\n"
    opener = f"**{title}:**" if style == "**" else f"{title}:"
    if not body:
        return f"{opener}\n"
    return f"{opener}\n{body}\n" if "\n" in body else f"{opener} {body}\n"


def _retag(prefix: str, target: NoteFormat) -> str:
    """Point a ``Format:`` header line or front-matter key at the target format."""
    prefix = _HEADER_FORMAT.sub(lambda m: f"{m['lead']}{target.name}{m['tail']}", prefix)
    return _TOML_FORMAT.sub(lambda m: f"{m['lead']}{m['q']}{target.key}{m['q']}", prefix)


def convert_note(
    text: str,
    to_format: str,
    formats: dict[str, NoteFormat] | None = None,
    *,
    from_format: str | None = None,
) -> ConversionResult:
    """Rewrite ``text`` in ``to_format``. Raises :class:`FormatError` for an unknown format or a
    note with no recognisable sections."""
    formats = formats if formats is not None else builtin_formats()
    target = get_format(to_format, formats)
    parsed = parse_note(text, format=from_format, formats=formats)
    if parsed.format == FREE_TEXT or not parsed.sections:
        raise FormatError("cannot convert: the note has no section headings of a known format")
    source = formats[parsed.format]
    if source.key == target.key:
        mapping = [SectionMapping(s.key, source.section(s.key).title, s.key, source.section(s.key).title,
                                  tuple(source.section(s.key).roles)) for s in parsed.sections]
        return ConversionResult(text, source.key, target.key, mapping)

    buckets: dict[int, list[str]] = {i: [] for i in range(len(target.sections))}
    result = ConversionResult("", source.key, target.key)
    leftovers: list[_Piece] = []
    for piece in _pieces(text, parsed, source, formats):
        index, shared = _target_for(piece, target)
        body = piece.body.strip()
        if index is None:
            mapped = SectionMapping(piece.key, piece.title, None, None)
            if body:  # an empty section has nothing to keep
                leftovers.append(piece)
                result.unmapped.append(mapped)
        else:
            spec = target.sections[index]
            if body:
                buckets[index].append(body)
            mapped = SectionMapping(piece.key, piece.title, spec.key, spec.title, shared)
        result.mapping.append(mapped)

    style = _style(parsed)
    out = [_retag(text[: parsed.preamble_end], target)]
    if out[0] and not out[0].endswith("\n"):
        out[0] += "\n"
    for index, spec in enumerate(target.sections):
        body = "\n\n".join(buckets[index])
        if not body:
            result.empty.append(spec.key)
        out.append(_render(style, spec.title, body))
    for piece in leftovers:
        out.append(_render(style, f"Unmapped ({piece.fmt_name} {piece.title})", piece.body.strip()))
    result.text = "".join(out).rstrip("\n") + "\n"
    result.warnings = _verify(result.text, target, formats)
    return result


def _verify(text: str, target: NoteFormat, formats: dict[str, NoteFormat]) -> list[str]:
    """Warn when a line of moved text would read as a heading of the target format."""
    parsed = parse_note(text, format=target.key, formats=formats)
    keys = [s.key for s in parsed.sections]
    expected = [s.key for s in target.sections]
    if keys == expected:
        return []
    extra = [s.heading for s in parsed.sections]
    return [
        f"the converted text reads as {target.name} sections {keys} instead of {expected}: "
        f"a line inside a section looks like a heading ({', '.join(extra)}); check it before use"
    ]
