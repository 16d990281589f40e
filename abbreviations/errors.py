"""Errors raised by the abbreviations package."""

from __future__ import annotations


class InventoryError(ValueError):
    """A data file (inventory layer or Do-Not-Use rules) is missing or has a bad entry.

    The message names the file, the line and the field, e.g.
    ``house.jsonl, line 3, field 'senses.0.prior': Input should be less than or equal to 1``.
    """

    def __init__(self, message: str, *, path: str = "", line: int = 0, field: str = "") -> None:
        super().__init__(message)
        self.path = path
        """The file the bad entry came from."""
        self.line = line
        """1-based line number of the bad entry (0 when the whole file is at fault)."""
        self.field = field
        """Dotted path of the bad field inside the entry (empty for JSON syntax errors)."""


MAX_NOTE_CHARS = 1_000_000
"""The longest text taken as one note (spaCy's own limit; a long evaluation is ~150,000)."""


class NoteTooLong(ValueError):
    """The text is longer than one note can be: not a note, or several pasted together."""

    @classmethod
    def check(cls, text: str, action: str, limit: int = MAX_NOTE_CHARS) -> None:
        """Raise for a ``text`` over ``limit`` characters; ``action`` names what was refused."""
        if len(text) > limit:
            raise cls(f"too long to {action} as one note: {len(text):,} characters "
                      f"(at most {limit:,}); is it several notes in one file?")
