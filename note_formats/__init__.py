"""Note formats as data, and reading notes written in them.

Headless: this package never imports Textual.
"""

from .metadata import NoteHeader
from .parse import FREE_TEXT, ParsedNote, ParsedSection, detect_format, parse_note
from .registry import FormatError, builtin_formats, get_format, load_format_file, load_formats
from .spec import NoteFormat, RequiredElement, SectionSpec

__all__ = [
    "FREE_TEXT", "FormatError", "NoteFormat", "NoteHeader", "ParsedNote", "ParsedSection",
    "RequiredElement", "SectionSpec", "builtin_formats", "detect_format", "get_format",
    "load_format_file", "load_formats", "parse_note",
]
