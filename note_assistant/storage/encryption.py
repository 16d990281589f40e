"""Setting up and changing encryption: encrypt a plaintext database, change the passphrase,
rotate the key, recover with the recovery key. Run these with the app closed.

Every conversion writes a complete new file with ``sqlcipher_export`` (inside ``BEGIN
IMMEDIATE``), verifies it (integrity check, same row count in every table), then swaps it in
with an atomic rename. The key file is written first, holding the new key as ``pending``, so a
crash at any point leaves a database that opens.
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlcipher3

from . import crypto
from .audit import AuditEvent
from .db import DRIVER_ERRORS, StorageError, connect


def _tables(conn) -> list[str]:  # noqa: ANN001 - either driver's connection
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
    ).fetchall()
    return sorted(r[0] for r in rows)


def _counts(conn, schema: str = "main") -> dict[str, int]:  # noqa: ANN001
    return {t: conn.execute(f'SELECT count(*) FROM {schema}."{t}"').fetchone()[0] for t in _tables(conn)}


def _export(path: Path, old_key: bytes | None, new_key: bytes) -> Path:
    """Write ``path`` re-encrypted with ``new_key`` to a temp file beside it; verify it."""
    tmp = path.with_name(f".{path.name}.encrypting")
    for stale in (tmp, Path(f"{tmp}-journal")):
        stale.unlink(missing_ok=True)
    conn = sqlcipher3.connect(str(path), isolation_level=None, timeout=10)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        if old_key is not None:
            conn.execute(crypto.key_pragma(old_key))
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"ATTACH DATABASE ? AS fresh KEY \"x'{new_key.hex()}'\"", [str(tmp)])
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("SELECT sqlcipher_export('fresh')")
        conn.execute(f"PRAGMA fresh.user_version = {int(version)}")
        before = _counts(conn)
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE fresh")
    except DRIVER_ERRORS as exc:
        tmp.unlink(missing_ok=True)
        raise StorageError(f"{path}: could not re-encrypt ({exc})") from None
    finally:
        conn.close()
    check = connect(tmp, key=new_key)
    try:
        result = check.execute("PRAGMA integrity_check").fetchone()[0]
        after = _counts(check)
    finally:
        check.close()
    if result != "ok" or after != before:
        tmp.unlink(missing_ok=True)
        raise StorageError(f"{path}: the re-encrypted copy did not verify ({result}); nothing changed")
    return tmp


def _swap(path: Path, tmp: Path) -> None:
    """Atomically replace ``path`` with ``tmp``, then overwrite the old file's blocks (best effort:
    SSDs and copy-on-write file systems may keep old blocks; backups are separate copies)."""
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        tmp.unlink(missing_ok=True)
        raise StorageError(f"{path}: another program has the database open; close it and retry")
    old = os.open(path, os.O_RDWR)
    try:
        size = os.fstat(old).st_size
        os.replace(tmp, path)
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.lseek(old, 0, os.SEEK_SET)
        chunk = b"\0" * 65536
        for offset in range(0, size, len(chunk)):
            os.write(old, chunk[: min(len(chunk), size - offset)])
        os.fsync(old)
    finally:
        os.close(old)


def _audit(path: Path, key: bytes, action: str, **detail: object) -> None:
    from .store import Store

    store = Store(path, key=key)
    try:
        store.record(AuditEvent.system(action, category="database", target_type="database", detail=detail))
    finally:
        store.close()


def encrypt_database(
    path: str | Path, passphrase: str, kdf: crypto.KdfParams = crypto.RFC9106_LOW_MEMORY,
) -> str:
    """Encrypt a plaintext database in place (or create a new encrypted one).

    Returns the recovery key: show it once. The plaintext file's blocks are overwritten.
    """
    path = Path(path)
    if crypto.is_encrypted_file(path):
        raise StorageError(f"{path}: already encrypted (use 'db rekey' to change the passphrase)")
    key = crypto.new_key()
    crypto.write_keyfile(path, crypto.KeyFile(
        passphrase=crypto.wrap_key(key, passphrase, kdf), pending=None,
    ))
    if not path.exists() or path.stat().st_size == 0:
        from .store import Store

        Store(path, key=key).close()
    else:
        _swap(path, _export(path, None, key))
    _audit(path, key, "encrypt")
    return crypto.recovery_code(key)


def change_passphrase(
    path: str | Path, key: bytes, new_passphrase: str,
    kdf: crypto.KdfParams = crypto.RFC9106_LOW_MEMORY,
) -> None:
    """Re-wrap the database key with a new passphrase (the database file is unchanged)."""
    path = Path(path)
    connect(path, readonly=True, key=key).close()  # the key must open this database
    crypto.write_keyfile(path, crypto.new_keyfile(key, new_passphrase, kdf))
    _audit(path, key, "passphrase-change")


def rotate_key(
    path: str | Path, key: bytes, passphrase: str,
    kdf: crypto.KdfParams = crypto.RFC9106_LOW_MEMORY,
) -> str:
    """Re-encrypt the database with a new random key; returns the new recovery key."""
    path = Path(path)
    connect(path, readonly=True, key=key).close()
    new = crypto.new_key()
    crypto.write_keyfile(path, crypto.KeyFile(
        passphrase=crypto.wrap_key(key, passphrase, kdf),
        pending=crypto.wrap_key(new, passphrase, kdf),
    ))
    _swap(path, _export(path, key, new))
    crypto.write_keyfile(path, crypto.new_keyfile(new, passphrase, kdf))
    _audit(path, new, "key-rotate")
    return crypto.recovery_code(new)


def recover(
    path: str | Path, recovery_code: str, new_passphrase: str,
    kdf: crypto.KdfParams = crypto.RFC9106_LOW_MEMORY,
) -> None:
    """Set a new passphrase with the recovery key (forgotten passphrase or lost key file)."""
    path = Path(path)
    key = crypto.key_from_recovery_code(recovery_code)
    try:
        connect(path, readonly=True, key=key).close()
    except StorageError:
        raise crypto.CryptoError(f"{path}: this recovery key does not open the database") from None
    crypto.write_keyfile(path, crypto.new_keyfile(key, new_passphrase, kdf))
    _audit(path, key, "recover", via="recovery key")
