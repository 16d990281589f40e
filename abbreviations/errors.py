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
