"""Backups through SQLite's backup API, restore, and whole-database verification.

An encrypted database is backed up between two connections keyed with the same key, so the
copy (and its temporary files) are encrypted too; its key file is copied beside it as
``<backup>.keys``. Every copy is verified after writing: integrity check, signed-note hashes and
the audit chain. Restore verifies the backup the same way, never overwrites silently (the
current file is kept aside), and records the restore in the audit log.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from ..models import NoteStatus, note_hash
from . import crypto
from .audit import AuditEvent
from .db import DRIVER_ERRORS, StorageError, connect
from .store import Store


def _copy_keyfile(source_db: Path, target_db: Path) -> None:
    source = crypto.keyfile_path(source_db)
    target = crypto.keyfile_path(target_db)
    tmp = target.with_name(f".{target.name}.tmp")
    shutil.copyfile(source, tmp)
    os.chmod(tmp, 0o600)
    os.replace(tmp, target)


def _copy(store: Store, partial: Path) -> None:
    partial.unlink(missing_ok=True)
    target = connect(partial, key=store._key)
    try:
        store.db.conn.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
    finally:
        target.close()


def backup_database(store: Store, destination: Path) -> str:
    """Copy with the backup API (consistent even while others write), then verify the copy."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    try:
        _copy(store, partial)
        copy = Store(partial, key=store._key, readonly=True)
        try:
            problems, summary = verify_database(copy)
            notes = copy.db["notes"].count
        finally:
            copy.close()
    except (StorageError, *DRIVER_ERRORS) as exc:
        partial.unlink(missing_ok=True)
        raise OSError(f"backup failed: {exc}") from None
    if problems:
        partial.unlink(missing_ok=True)
        raise OSError(f"backup copy failed verification: {problems[0]}")
    if store.encrypted:
        _copy_keyfile(Path(store.path), destination)
    os.replace(partial, destination)
    count, last = store.audit_head()
    store.record(AuditEvent.system(
        "backup", category="database", target_type="database",
        detail={"destination": destination.name, "notes": notes, "encrypted": store.encrypted},
    ))
    kind = "encrypted" if store.encrypted else "NOT encrypted"
    return f"verified, {notes} notes, {kind}, audit head {count}:{last[:16]}"


def restore_database(
    backup: Path, target: Path, *, passphrase: str | None = None, key: bytes | None = None,
    replace: bool = False,
) -> str:
    """Verify ``backup`` and copy it to ``target``. An existing target is only replaced with
    ``replace=True``, and then kept as ``<target>.before-restore-<time>`` (with its WAL)."""
    backup, target = Path(backup), Path(target)
    if not backup.exists():
        raise OSError(f"{backup}: no such backup")
    if backup.resolve() == target.resolve():
        raise OSError("the backup and the restore target are the same file")
    source = Store(backup, passphrase=passphrase, key=key, readonly=True)
    try:
        problems, summary = verify_database(source)
        if problems:
            raise StorageError(f"{backup}: the backup failed verification ({problems[0]}); not restored")
        partial = target.with_name(f".{target.name}.restoring")
        target.parent.mkdir(parents=True, exist_ok=True)
        _copy(source, partial)
        encrypted, used_key = source.encrypted, source._key
    finally:
        source.close()
    kept = ""
    if target.exists():
        if not replace:
            partial.unlink(missing_ok=True)
            raise OSError(f"{target}: already exists; restore to a new path, or confirm replacing it")
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        for suffix in ("", "-wal", "-shm", crypto.KEYFILE_SUFFIX):
            current = Path(f"{target}{suffix}")
            if current.exists():
                os.replace(current, Path(f"{target}.before-restore-{stamp}{suffix}"))
        kept = f"; the previous file is kept as {target.name}.before-restore-{stamp}"
    if encrypted and crypto.keyfile_path(backup).exists():
        _copy_keyfile(backup, target)
    os.replace(partial, target)
    restored = Store(target, key=used_key)
    try:
        restored.record(AuditEvent.system(
            "restore", category="database", target_type="database",
            detail={"from": backup.name, "replaced": bool(kept)},
        ))
    finally:
        restored.close()
    return f"{summary}{kept}"


def verify_database(
    store: Store, expect_head: tuple[int, str] | None = None,
) -> tuple[list[str], str]:
    """Integrity check, every signed note's hash, and the audit chain."""
    problems: list[str] = []
    signed = audit_rows = 0
    try:
        rows = store.db.conn.execute("PRAGMA integrity_check").fetchall()
        result = "ok" if [r[0] for r in rows] == ["ok"] else "; ".join(str(r[0]) for r in rows[:5])
        if result != "ok":
            problems.append(f"integrity check: {result}")
        for note in store.all_notes():
            if note.status in (NoteStatus.signed, NoteStatus.cosigned):
                signed += 1
                if note.content_hash != note_hash(note):
                    problems.append(f"note {note.id} ({note.date_of_service}): content differs from its signed hash")
        if "audit_log" in store.db.table_names():
            problems += store.verify_audit(expect_head)
            audit_rows = store.audit_head()[0]
    except DRIVER_ERRORS as exc:
        result = f"unreadable ({exc})"
        problems.append(f"the database cannot be read completely: {exc}")
    summary = "OK" if not problems else f"{len(problems)} problem(s)"
    encryption = ("encrypted (SQLCipher 4, AES-256)" if store.encrypted
                  else "NOT ENCRYPTED: run 'note-assistant db encrypt' to protect it at rest")
    return problems, (
        f"{summary}: integrity {result}, {signed} signed notes checked, "
        f"audit chain of {audit_rows} rows checked; {encryption}"
    )
