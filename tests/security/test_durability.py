"""Durability: settings, integrity check on open with a read-only fallback, verified backups and
restore (requirements 19-22; the kill -9 and concurrency runs are in test_durability_slow.py)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from note_assistant.cli import cli
from note_assistant.demo import create_demo
from note_assistant.services import NoteService
from note_assistant.storage import IntegrityFailure, ReadOnlyDatabase, Store
from note_assistant.storage.backup import backup_database, restore_database, verify_database
from note_assistant.storage.crypto import TEST_ONLY_FAST_KDF

PASS = "durability passphrase"


def run(*args, env=None, input=None):
    return CliRunner().invoke(cli, list(args), env=env, input=input)


def test_every_connection_is_wal_full_with_a_busy_timeout(store):
    conn = store.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    statements = []
    conn.set_trace_callback(statements.append)
    with store.write():
        pass
    conn.set_trace_callback(None)
    assert statements[0] == "BEGIN IMMEDIATE"


def _damaged(tmp_path: Path, encrypted: bool) -> Path:
    path = tmp_path / ("enc.db" if encrypted else "plain.db")
    store = Store(path, passphrase=PASS if encrypted else None, kdf=TEST_ONLY_FAST_KDF)
    create_demo(store, today=dt.date(2026, 11, 26))
    dana = NoteService(store, store.user_by_name("dana"))
    # enough filler that the middle page holds note rows, not the (growing) schema's pages
    for i in range(400):
        dana.create_draft("cl-avery", "soap", f"S: filler {i} " + "y" * 300, dt.date(2026, 1, 1))
    store.close()
    data = bytearray(path.read_bytes())
    page = 4096
    middle = (len(data) // page // 2) * page
    data[middle + 100: middle + page - 100] = os.urandom(page - 200)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("encrypted", [False, True], ids=["plaintext", "encrypted"])
def test_a_failed_integrity_check_opens_read_only_with_instructions(tmp_path, encrypted):
    """Requirement 21."""
    path = _damaged(tmp_path, encrypted)
    passphrase = PASS if encrypted else None
    with pytest.raises(IntegrityFailure, match="READ-ONLY"):
        Store(path, passphrase=passphrase)
    store = Store.open(path, passphrase=passphrase)
    try:
        assert store.readonly and "db restore" in store.problem
        with pytest.raises(ReadOnlyDatabase, match="db restore"):
            with store.write():
                pass
        problems, _ = verify_database(store)
        assert problems
    finally:
        store.close()
    env = {"NOTE_ASSISTANT_PASSPHRASE": PASS} if encrypted else {}
    result = run("--db", str(path), "db", "verify", env=env)
    assert result.exit_code == 1 and "FAIL" in result.output


def test_sign_in_still_works_on_a_read_only_database(tmp_path):
    """People can sign in to rescue data from a read-only (damaged) database; nothing is written."""
    from note_assistant.services.auth import authenticate

    path = tmp_path / "ro.db"
    store = Store(path)
    create_demo(store, today=dt.date(2026, 11, 26))
    store.close()
    readonly = Store(path, readonly=True)
    try:
        head = readonly.audit_head()
        session = authenticate(readonly, "dana", None)
        assert NoteService(readonly, session).notes_for_client("cl-avery")
        session.lock()
        assert session.is_locked() and readonly.audit_head() == head
    finally:
        readonly.close()


@pytest.mark.parametrize("encrypted", [False, True], ids=["plaintext", "encrypted"])
def test_backup_is_verified_and_restore_is_tested(tmp_path, encrypted):
    """Requirement 22: backup API, verified after writing, restore into a new path."""
    path = tmp_path / "live.db"
    store = Store(path, passphrase=PASS if encrypted else None, kdf=TEST_ONLY_FAST_KDF)
    create_demo(store, today=dt.date(2026, 11, 26))
    report = backup_database(store, tmp_path / "backups" / "one.db")
    assert "verified, 3 notes" in report and ("NOT" not in report) == encrypted
    assert (tmp_path / "backups" / "one.db.keys").exists() == encrypted
    assert not list((tmp_path / "backups").glob("*.partial*"))
    dana = NoteService(store, store.user_by_name("dana"))
    dana.create_draft("cl-avery", "soap", "S: after the backup", dt.date(2026, 11, 27))
    store.close()
    restored = tmp_path / "restored.db"
    summary = restore_database(tmp_path / "backups" / "one.db", restored,
                               passphrase=PASS if encrypted else None)
    assert summary.startswith("OK")
    again = Store(restored, passphrase=PASS if encrypted else None)
    try:
        assert again.encrypted == encrypted
        assert len(list(again.all_notes())) == 3  # the state at backup time
        assert verify_database(again)[0] == []
        assert [e["action"] for e in again.audit_events()][-1] == "restore"
    finally:
        again.close()
    with pytest.raises(OSError, match="already exists"):
        restore_database(tmp_path / "backups" / "one.db", restored, passphrase=PASS if encrypted else None)


def test_restore_cli_never_overwrites_silently(tmp_path):
    db, backup = tmp_path / "c.db", tmp_path / "b.db"
    assert run("--db", str(db), "demo").exit_code == 0
    assert run("--db", str(db), "db", "backup", str(backup)).exit_code == 0
    other = tmp_path / "other.db"
    other.write_bytes(b"")
    refused = run("--db", str(db), "db", "restore", str(backup), "--to", str(other))
    assert refused.exit_code == 2 and "already exists" in refused.stderr
    declined = run("--db", str(db), "db", "restore", str(backup), input="n\n")
    assert declined.exit_code == 2 and "not restored" in declined.stderr
    ok = run("--db", str(db), "db", "restore", str(backup), input="y\n")
    assert ok.exit_code == 0 and "kept as" in ok.output
    kept = [p for p in tmp_path.iterdir() if ".before-restore-" in p.name]
    assert kept and run("--db", str(kept[0]), "db", "verify").exit_code == 0
    fresh = run("--db", str(db), "db", "restore", str(backup), "--to", str(tmp_path / "new.db"))
    assert fresh.exit_code == 0
    assert run("--db", str(tmp_path / "new.db"), "db", "verify").exit_code == 0


def test_a_tampered_backup_is_not_restored(tmp_path):
    db, backup = tmp_path / "c.db", tmp_path / "b.db"
    assert run("--db", str(db), "demo").exit_code == 0
    assert run("--db", str(db), "db", "backup", str(backup)).exit_code == 0
    import sqlite3

    conn = sqlite3.connect(backup)
    conn.execute("DROP TRIGGER notes_signed_no_update")
    conn.execute("UPDATE notes SET text = text || '!' WHERE status = 'signed'")
    conn.commit()
    conn.close()
    result = run("--db", str(db), "db", "restore", str(backup), "--to", str(tmp_path / "n.db"))
    assert result.exit_code == 2 and "failed verification" in result.stderr
    assert not (tmp_path / "n.db").exists()
