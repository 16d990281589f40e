"""Reading note files for the CLI: files, folders (``*.md``, ``*.txt``) and ``-`` for stdin."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from .base import fail

NOTE_SUFFIXES = {".md", ".txt", ".markdown"}
MAX_BYTES = 5 * 1024 * 1024


def decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{name}: not UTF-8 text (byte {exc.start})") from None


def read_text(path: Path) -> str:
    """The file's text exactly as stored (no newline translation); one-line errors."""
    if not path.exists():
        raise ValueError(f"{path}: no such file")
    if path.is_dir():
        raise ValueError(f"{path}: is a folder")
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ValueError(f"{path}: larger than {MAX_BYTES // (1024 * 1024)} MB; is it a note?")
        data = path.read_bytes()
    except PermissionError:
        raise ValueError(f"{path}: permission denied") from None
    except OSError as exc:
        raise ValueError(f"{path}: cannot read ({exc.strerror})") from None
    return decode(data, str(path))


def expand_paths(paths: tuple[str, ...]) -> Iterator[str]:
    for raw in paths:
        path = Path(raw)
        if raw != "-" and path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() in NOTE_SUFFIXES and p.is_file())
            yield from (str(p) for p in found)
        else:
            yield raw


def read_inputs(paths: tuple[str, ...]) -> Iterator[tuple[str, str | None, str | None]]:
    """(path, text, None) for each readable input, (path, None, one-line error) otherwise."""
    for raw in expand_paths(paths):
        if raw == "-":
            try:
                yield "-", decode(sys.stdin.buffer.read(), "<stdin>"), None
            except ValueError as exc:
                yield "-", None, str(exc)
            continue
        try:
            yield raw, read_text(Path(raw)), None
        except ValueError as exc:
            yield raw, None, str(exc)


def require_notes(inputs: list, paths: tuple[str, ...]) -> None:
    """One clear line (exit 2) when the PATHs held no note files at all: a folder with none
    inside, or the wrong folder, must not look like a clean check."""
    if not inputs:
        fail(f"no notes ({', '.join(sorted(NOTE_SUFFIXES))} files) in {', '.join(paths)}")
