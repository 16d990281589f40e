"""Where a TOML key was written: map pydantic error locations back to line numbers.

``tomllib`` forgets positions, so :func:`key_lines` scans the text once and records the line of
every table header, every ``key = value`` and every element of an array, under the same path
pydantic reports (``("requirements", "soap", "elements", 0, "section")``). :func:`line_for`
falls back to the nearest enclosing key that was written (a missing field points at its table).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

Path = tuple[str | int, ...]

_BARE = r"[A-Za-z0-9_-]+"
_KEY_PART = rf'(?:{_BARE}|"(?:[^"\\]|\\.)*"|\'[^\']*\')'
_DOTTED = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_HEADER = re.compile(rf"^\s*(?P<open>\[\[?)\s*(?P<key>{_DOTTED})\s*\]\]?")
_ASSIGN = re.compile(rf"^\s*(?P<key>{_DOTTED})\s*=\s*")
_PART = re.compile(_KEY_PART)


def _split(dotted: str) -> list[str]:
    parts = []
    for match in _PART.finditer(dotted):
        raw = match.group(0)
        parts.append(raw[1:-1] if raw[0] in "\"'" else raw)
    return parts


class _Scanner:
    def __init__(self) -> None:
        self.lines: dict[Path, int] = {}
        self.aot_index: dict[Path, int] = {}
        """Resolved path of an array of tables -> index of its current element."""

    def record(self, path: Path, line: int) -> None:
        self.lines.setdefault(path, line)

    def resolve(self, parts: Sequence[str]) -> Path:
        """Insert the current index after every array-of-tables prefix (``a.b`` -> ``a, 2, b``)."""
        full: list[str | int] = []
        for part in parts:
            full.append(part)
            index = self.aot_index.get(tuple(full))
            if index is not None:
                full.append(index)
        return tuple(full)


def key_lines(text: str) -> dict[Path, int]:
    """Every written key path (tables, keys, array elements) -> its 1-based line."""
    scan = _Scanner()
    table: Path = ()
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        raw, lineno = lines[index], index + 1
        index += 1
        header = _HEADER.match(raw)
        if header:
            parts = _split(header.group("key"))
            if header.group("open") == "[[":
                parent = scan.resolve(parts[:-1])
                array = parent + (parts[-1],)
                position = scan.aot_index.get(array, -1) + 1
                # a new element of a parent array resets nested arrays below it
                for key in [k for k in scan.aot_index if len(k) > len(array) and k[: len(array)] == array]:
                    del scan.aot_index[key]
                scan.aot_index[array] = position
                scan.record(array, lineno)
                table = array + (position,)
            else:
                table = scan.resolve(parts)
            scan.record(table, lineno)
            continue
        assign = _ASSIGN.match(raw)
        if not assign:
            continue
        path = table + tuple(_split(assign.group("key")))
        scan.record(path, lineno)
        rest = raw[assign.end():]
        index = _value(scan, path, rest, lines, index, lineno)
    return scan.lines


def _value(scan: _Scanner, path: Path, rest: str, lines: list[str], index: int, lineno: int) -> int:
    """Record array elements and inline-table keys of one value; return the next line index."""
    stripped = rest.lstrip()
    if stripped.startswith(('"""', "'''")):
        quote = stripped[:3]
        if stripped.count(quote) >= 2:
            return index
        while index < len(lines) and quote not in lines[index]:
            index += 1
        return index + 1
    if not stripped.startswith(("[", "{")):
        return index
    # Walk the characters of the value, across lines, tracking nesting and strings.
    stack: list[list] = []  # [path, kind, element count]
    current_line = lineno
    text = rest
    while True:
        i = 0
        while i < len(text):
            ch = text[i]
            if ch in "\"'":
                end = _string_end(text, i)
                if stack and stack[-1][1] == "[" and stack[-1][3]:
                    _element(scan, stack, current_line)
                i = end
                continue
            if ch == "#":
                break
            if stack and stack[-1][1] == "[" and stack[-1][3] and not ch.isspace() and ch not in ",]":
                _element(scan, stack, current_line)
            if ch in "[{":
                owner = path if not stack else _child_path(stack)
                stack.append([owner, ch, -1, ch == "["])
                if ch == "{":
                    for match in re.finditer(rf"(?:^|[{{,])\s*({_DOTTED})\s*=", text[i:]):
                        scan.record(owner + tuple(_split(match.group(1))), current_line)
                    stack[-1][3] = False
            elif ch in "]}":
                stack.pop()
                if not stack:
                    return index
            elif ch == "," and stack and stack[-1][1] == "[":
                stack[-1][3] = True
            i += 1
        if index >= len(lines):
            return index
        text = lines[index]
        index += 1
        current_line += 1


def _string_end(text: str, start: int) -> int:
    quote = text[start]
    i = start + 1
    while i < len(text):
        if text[i] == "\\" and quote == '"':
            i += 2
            continue
        if text[i] == quote:
            return i + 1
        i += 1
    return len(text)


def _element(scan: _Scanner, stack: list[list], line: int) -> None:
    frame = stack[-1]
    frame[2] += 1
    frame[3] = False
    scan.record(frame[0] + (frame[2],), line)


def _child_path(stack: list[list]) -> Path:
    frame = stack[-1]
    return frame[0] + (frame[2],) if frame[1] == "[" else frame[0]


def line_for(lines: dict[Path, int], loc: Sequence[str | int]) -> int | None:
    """The line of ``loc`` or of its nearest written parent (None when nothing matches)."""
    path = tuple(loc)
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return None


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def syntax_error_line(message: str) -> int | None:
    """The line number in a ``tomllib.TOMLDecodeError`` message."""
    match = _TOML_POSITION.search(message)
    return int(match.group(1)) if match else None
