"""Loading note formats: the built-in TOML files plus an optional clinic folder."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from .spec import NoteFormat
from .validation import parse_toml_model


class FormatError(ValueError):
    """A format file that cannot be used. The message names the file, the field and the problem."""


def parse_format(text: str, source: str) -> NoteFormat:
    """Parse one format from TOML text; ``source`` names it in error messages."""
    return parse_toml_model(text, source, NoteFormat, FormatError)


def load_format_file(path: Path) -> NoteFormat:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise FormatError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise FormatError(f"{path}: cannot read ({exc.strerror})") from None
    return parse_format(text, str(path))


@functools.cache
def builtin_formats() -> dict[str, NoteFormat]:
    """SOAP, BIRP, DAP, GIRP and PIRP, shipped inside the package."""
    formats: dict[str, NoteFormat] = {}
    folder = resources.files("note_formats") / "formats"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            fmt = parse_format(entry.read_text(encoding="utf-8"), f"note_formats/formats/{entry.name}")
            formats[fmt.key] = fmt
    return formats


def load_formats(formats_dir: str | Path | None = None) -> dict[str, NoteFormat]:
    """Built-in formats, overridden or extended by every ``*.toml`` in ``formats_dir``."""
    formats = dict(builtin_formats())
    if formats_dir is None:
        return formats
    folder = Path(formats_dir)
    if not folder.is_dir():
        raise FormatError(f"{folder}: formats folder does not exist")
    for path in sorted(folder.glob("*.toml")):
        fmt = load_format_file(path)
        formats[fmt.key] = fmt
    return formats


def get_format(name: str, formats: dict[str, NoteFormat] | None = None) -> NoteFormat:
    """Look a format up by key or display name, ignoring case."""
    formats = formats if formats is not None else builtin_formats()
    wanted = name.strip().lower()
    for fmt in formats.values():
        if wanted in (fmt.key, fmt.name.lower()):
            return fmt
    known = ", ".join(sorted(formats))
    raise FormatError(f"unknown format {name!r} (known: {known})")
