"""Which program is running ("api", "cli", "tui"): audit events made without a session name it.

Kept out of :mod:`note_assistant.storage` so that naming the program at start-up does not import
the storage layer (a ``check`` never opens the database).
"""

from __future__ import annotations

_PROGRAM = {"source": "api"}


def set_default_source(source: str) -> None:
    """Name the program for events made without a session ("cli" is set by the command line)."""
    _PROGRAM["source"] = source


def default_source() -> str:
    return _PROGRAM["source"]
