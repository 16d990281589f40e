"""Opening the database: durable settings, migrations on open, ``BEGIN IMMEDIATE`` writes."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from . import migrations

BUSY_TIMEOUT_MS = 10_000


class StorageError(RuntimeError):
    """The database cannot be used; the message says why and what to do."""


def connect(path: str | Path, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode: transactions are begun explicitly by :func:`write`."""
    target = Path(path)
    if str(path) != ":memory:":
        if readonly:
            uri = f"file:{target.resolve()}?mode=ro"
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            uri = f"file:{target.resolve()}"
    else:
        uri = ":memory:"
    try:
        conn = sqlite3.connect(
            uri, uri=uri != ":memory:", isolation_level=None,
            timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
        )
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"{path}: not a note-assistant database ({exc})") from None
    return conn


def open_database(path: str | Path, *, migrate: bool = True, check: bool = True) -> Database:
    """Open (creating if needed) and migrate the database at ``path``."""
    conn = connect(path)
    db = Database(conn)
    if check and str(path) != ":memory:":
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StorageError(
                f"{path}: the file is not a readable database ({exc}). "
                "Restore it from a backup with 'note-assistant db restore'."
            ) from None
        if result != "ok":
            conn.close()
            raise StorageError(
                f"{path}: integrity check failed ({result}). "
                "Open a backup, or copy the file aside and run 'note-assistant db verify'."
            )
    if migrate:
        with write(db):
            migrations.apply(db)
    return db


@contextlib.contextmanager
def write(db: Database) -> Iterator[Database]:
    """One write transaction, taken with ``BEGIN IMMEDIATE`` (nested calls use savepoints).

    Taking the write lock up front means a read-then-write transaction never fails with
    "database is locked" halfway: it waits (busy timeout) at the start instead.
    """
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")
