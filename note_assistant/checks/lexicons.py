"""Named term lists that format elements and rules refer to (``checks/data/lexicons/*.txt``)."""

from __future__ import annotations

import functools
from importlib import resources


@functools.cache
def lexicon(name: str) -> tuple[str, ...]:
    entry = resources.files("note_assistant.checks") / "data" / "lexicons" / f"{name}.txt"
    if not entry.is_file():
        raise KeyError(f"no lexicon named {name!r}")
    lines = entry.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))
