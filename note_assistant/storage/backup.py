"""Backups through SQLite's backup API, and whole-database verification."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..models import NoteStatus, note_hash
from .store import Store


def backup_database(store: Store, destination: Path) -> str:
    """Copy with the backup API (consistent even while others write), then verify the copy."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    target = sqlite3.connect(partial)
    try:
        store.db.conn.backup(target)
        result = target.execute("PRAGMA integrity_check").fetchone()[0]
        notes = target.execute("SELECT count(*) FROM notes").fetchone()[0]
    finally:
        target.close()
    if result != "ok":
        partial.unlink(missing_ok=True)
        raise OSError(f"backup copy failed its integrity check: {result}")
    partial.replace(destination)
    return f"verified, {notes} notes"


def verify_database(store: Store) -> tuple[list[str], str]:
    problems: list[str] = []
    result = store.db.conn.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        problems.append(f"integrity check: {result}")
    signed = 0
    for note in store.all_notes():
        if note.status in (NoteStatus.signed, NoteStatus.cosigned):
            signed += 1
            if note.content_hash != note_hash(note):
                problems.append(f"note {note.id} ({note.date_of_service}): content differs from its signed hash")
    summary = "OK" if not problems else f"{len(problems)} problem(s)"
    return problems, f"{summary}: integrity {result}, {signed} signed notes checked"
