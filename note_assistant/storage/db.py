"""Opening the database: durable settings, migrations on open, ``BEGIN IMMEDIATE`` writes.

Plaintext databases use the standard ``sqlite3`` driver; encrypted ones use ``sqlcipher3``
(SQLCipher 4). The two drivers have **different exception classes**: catch with
:data:`DRIVER_ERRORS`, :func:`is_integrity_error` or ``store.errors`` (the driver module), never
with ``sqlite3.Error`` alone.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import sqlcipher3
from sqlite_utils import Database

from . import migrations
from .crypto import key_pragma

BUSY_TIMEOUT_MS = 10_000

#: Every database error either driver can raise.
DRIVER_ERRORS: tuple[type[BaseException], ...] = (sqlite3.Error, sqlcipher3.Error)

RECOVERY_STEPS = (
    "The database is open READ-ONLY so nothing more is lost. To recover: close the app, then "
    "'note-assistant db restore BACKUP --to NEW.db' from your newest verified backup and check it "
    "with 'note-assistant --db NEW.db db verify'. Keep the damaged file for support."
)


class StorageError(RuntimeError):
    """The database cannot be used; the message says why and what to do."""


class IntegrityFailure(StorageError):
    """The integrity check on open failed; the file can still be opened read-only."""


class ReadOnlyDatabase(StorageError):
    """A write was attempted on a database opened read-only."""


def driver(encrypted: bool) -> ModuleType:
    return sqlcipher3.dbapi2 if encrypted else sqlite3


def is_integrity_error(exc: BaseException) -> bool:
    """A constraint or trigger abort (e.g. editing a signed note), from either driver."""
    return isinstance(exc, (sqlite3.IntegrityError, sqlcipher3.IntegrityError))


def is_locked_error(exc: BaseException) -> bool:
    return isinstance(exc, DRIVER_ERRORS) and any(
        word in str(exc).lower() for word in ("locked", "busy")
    )


def _uri(path: str | Path, readonly: bool) -> tuple[str, bool]:
    if str(path) == ":memory:":
        return ":memory:", False
    target = Path(path)
    if readonly:
        return f"file:{target.resolve()}?mode=ro", True
    target.parent.mkdir(parents=True, exist_ok=True)
    return f"file:{target.resolve()}", True


def connect(
    path: str | Path, *, readonly: bool = False, key: bytes | None = None
) -> sqlite3.Connection:
    """A connection in autocommit mode: transactions are begun explicitly by :func:`write`.

    With ``key`` the file is opened with SQLCipher; a wrong key is reported as a
    :class:`StorageError` and prints nothing (``cipher_log_level = NONE`` is set before keying).
    """
    uri, is_uri = _uri(path, readonly)
    module = driver(key is not None)
    try:
        conn = module.connect(
            uri, uri=is_uri, isolation_level=None,
            timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
        )
    except DRIVER_ERRORS as exc:
        raise StorageError(f"{path}: cannot open ({exc})") from None
    try:
        if key is not None:
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(key_pragma(key))
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except DRIVER_ERRORS:
                conn.close()
                raise StorageError(f"{path}: the key does not open this database") from None
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA temp_store = MEMORY")  # no plaintext temp files
        if readonly:
            conn.execute("PRAGMA query_only = ON")
        else:
            conn.execute("PRAGMA secure_delete = ON")  # deleted rows are zeroed, not left behind
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
    except StorageError:
        raise
    except DRIVER_ERRORS as exc:
        conn.close()
        raise StorageError(f"{path}: not a note-assistant database ({exc})") from None
    return conn


def quick_check(conn: sqlite3.Connection) -> str:
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except DRIVER_ERRORS as exc:
        return f"unreadable ({exc})"
    result = "; ".join(str(r[0]) for r in rows[:5])
    return "ok" if result == "ok" else result


def open_database(
    path: str | Path, *, migrate: bool = True, check: bool = True, readonly: bool = False,
    key: bytes | None = None,
) -> Database:
    """Open (creating if needed), check and migrate the database at ``path``.

    Raises :class:`IntegrityFailure` when the check fails: open again with ``readonly=True``
    (``Store.open(..., fallback_readonly=True)`` does this) and show :data:`RECOVERY_STEPS`.
    A read-only open skips the check (it is how a damaged file is opened for rescue).
    """
    conn = connect(path, readonly=readonly, key=key)
    db = Database(conn)
    if check and not readonly and str(path) != ":memory:":
        result = quick_check(conn)
        if result != "ok":
            conn.close()
            if result.startswith("unreadable") and "not a database" in result:
                raise StorageError(
                    f"{path}: the file is not a readable database. "
                    "Restore it from a backup with 'note-assistant db restore'."
                )
            raise IntegrityFailure(f"{path}: integrity check failed ({result}). {RECOVERY_STEPS}")
    if migrate and not readonly:
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
