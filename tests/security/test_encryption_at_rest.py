"""Encryption at rest, key handling and leakage (requirements 23-25)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from note_assistant.cli import cli
from note_assistant.storage import EncryptionRequired, StorageError, Store, crypto, encryption
from note_assistant.storage.crypto import TEST_ONLY_FAST_KDF, CryptoError, WrongPassphrase

PASS = "correct horse battery staple"


def run(*args, env=None, input=None):
    return CliRunner().invoke(cli, list(args), env=env, input=input)


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def test_a_new_database_with_a_passphrase_is_encrypted(tmp_path):
    path = tmp_path / "clinic.db"
    store = Store(path, passphrase=PASS, kdf=TEST_ONLY_FAST_KDF)
    try:
        assert store.encrypted and store.new_recovery_key
        assert store.db.execute("PRAGMA cipher_version").fetchone()[0].startswith("4.")
        assert store.db.execute("PRAGMA secure_delete").fetchone()[0] == 1
    finally:
        store.close()
    assert path.read_bytes()[:16] != crypto.SQLITE_HEADER
    assert crypto.keyfile_path(path).stat().st_mode & 0o777 == 0o600
    assert Store(path, passphrase=PASS).encrypted
    with pytest.raises(WrongPassphrase):
        Store(path, passphrase="not the passphrase")
    with pytest.raises(EncryptionRequired, match="NOTE_ASSISTANT_PASSPHRASE"):
        Store(path)


def test_plaintext_stores_say_so_and_still_zero_deleted_rows(store):
    if store.encrypted:
        pytest.skip("suite running on encrypted stores")
    assert store.encrypted is False
    assert store.db.execute("PRAGMA secure_delete").fetchone()[0] == 1
    from note_assistant.storage.backup import verify_database

    assert "NOT ENCRYPTED" in verify_database(store)[1]


def test_a_wrong_key_prints_nothing(tmp_path):
    """cipher_log_level = NONE before keying: no ERROR lines on stderr to corrupt a TUI."""
    path = tmp_path / "quiet.db"
    Store(path, passphrase=PASS, kdf=TEST_ONLY_FAST_KDF).close()
    code = textwrap.dedent(f"""
        from note_assistant.storage import Store, StorageError
        from note_assistant.storage.db import connect
        try:
            connect({str(path)!r}, key=b"\\x01" * 32)
        except StorageError as exc:
            print("refused:", exc)
        try:
            Store({str(path)!r}, passphrase="wrong passphrase!")
        except ValueError as exc:
            print("refused:", exc)
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.count("refused:") == 2
    assert result.stderr == ""


def test_recovery_key_round_trip_and_typos():
    key = crypto.new_key()
    code = crypto.recovery_code(key)
    assert len(code.split("-")) == 14
    assert crypto.key_from_recovery_code(code.lower().replace("-", " ")) == key
    flipped = ("B" if code[0] != "B" else "C") + code[1:]
    with pytest.raises(CryptoError, match="checksum"):
        crypto.key_from_recovery_code(flipped)
    with pytest.raises(CryptoError):
        crypto.key_from_recovery_code("not a key")


def test_recover_with_the_recovery_key_after_losing_the_key_file(tmp_path):
    path = tmp_path / "r.db"
    store = Store(path, passphrase=PASS, kdf=TEST_ONLY_FAST_KDF)
    code = store.new_recovery_key
    store.close()
    crypto.keyfile_path(path).unlink()
    with pytest.raises(StorageError, match="db recover"):
        Store(path, passphrase=PASS)
    encryption.recover(path, code, "a brand new passphrase", kdf=TEST_ONLY_FAST_KDF)
    reopened = Store(path, passphrase="a brand new passphrase")
    assert [e["action"] for e in reopened.audit_events()][-1] == "recover"
    reopened.close()


def test_change_passphrase_and_rotate_key(tmp_path):
    path = tmp_path / "k.db"
    store = Store(path, passphrase=PASS, kdf=TEST_ONLY_FAST_KDF)
    old_code, key = store.new_recovery_key, store._key
    store.close()
    encryption.change_passphrase(path, key, "second passphrase!", kdf=TEST_ONLY_FAST_KDF)
    with pytest.raises(WrongPassphrase):
        Store(path, passphrase=PASS)
    new_code = encryption.rotate_key(path, key, "second passphrase!", kdf=TEST_ONLY_FAST_KDF)
    assert new_code != old_code
    store = Store(path, passphrase="second passphrase!")
    assert store._key != key and store.verify_audit() == []
    store.close()
    with pytest.raises(CryptoError, match="does not open"):
        encryption.recover(path, old_code, "third passphrase!!", kdf=TEST_ONLY_FAST_KDF)


def test_an_interrupted_key_change_still_opens(tmp_path):
    """The key file holds the new key as "pending" before the file is swapped."""
    path = tmp_path / "p.db"
    store = Store(path, passphrase=PASS, kdf=TEST_ONLY_FAST_KDF)
    key = store._key
    store.close()
    new = crypto.new_key()
    crypto.write_keyfile(path, crypto.KeyFile(passphrase=crypto.wrap_key(key, PASS, TEST_ONLY_FAST_KDF),
                                              pending=crypto.wrap_key(new, PASS, TEST_ONLY_FAST_KDF)))
    assert Store(path, passphrase=PASS)._key == key  # crash before the swap
    encryption._swap(path, encryption._export(path, key, new))
    assert Store(path, passphrase=PASS)._key == new  # crash after the swap


def test_keyring_is_optional_and_a_broken_one_is_ignored(tmp_path, monkeypatch):
    class Broken:
        @staticmethod
        def get_password(*args):
            raise RuntimeError("No recommended backend was available")

        set_password = get_password

    monkeypatch.setitem(sys.modules, "keyring", Broken)
    assert crypto.keyring_get(tmp_path / "x.db") is None
    assert crypto.keyring_set(tmp_path / "x.db", b"k" * 32) is False
    path = tmp_path / "kr.db"
    Store(path, passphrase=PASS, kdf=TEST_ONLY_FAST_KDF).close()
    monkeypatch.setenv("NOTE_ASSISTANT_USE_KEYRING", "1")
    monkeypatch.setenv("NOTE_ASSISTANT_PASSPHRASE", PASS)
    assert Store.open(path).encrypted


def test_db_encrypt_cli_converts_a_plaintext_database(tmp_path):
    db = tmp_path / "demo.db"
    assert run("--db", str(db), "demo").exit_code == 0
    assert b"Avery Quinn" in db.read_bytes()
    assert "NOT ENCRYPTED" in run("--db", str(db), "db", "verify").output
    short = run("--db", str(db), "db", "encrypt", env={"NOTE_ASSISTANT_PASSPHRASE": "short"})
    assert short.exit_code == 2 and "at least 12" in short.stderr
    result = run("--db", str(db), "db", "encrypt", input=f"{PASS}\n{PASS}\n")
    assert result.exit_code == 0, result.output
    assert "RECOVERY KEY" in result.stdout
    for path in files_under(tmp_path):
        assert b"Avery Quinn" not in path.read_bytes(), path
    env = {"NOTE_ASSISTANT_PASSPHRASE": PASS}
    verified = run("--db", str(db), "db", "verify", env=env)
    assert verified.exit_code == 0 and "encrypted (SQLCipher 4" in verified.output
    assert "Avery Quinn" in run("--db", str(db), "export", "cl-avery", "--as", "dana", env=env).output
    again = run("--db", str(db), "db", "encrypt", env=env)
    assert again.exit_code == 2 and "already encrypted" in again.stderr
    wrong = run("--db", str(db), "db", "verify", env={"NOTE_ASSISTANT_PASSPHRASE": "wrong passphrase!"})
    assert wrong.exit_code == 2 and "wrong passphrase" in wrong.stderr
    rekey = run("--db", str(db), "db", "rekey", "--new-key",
                env={**env, "NOTE_ASSISTANT_NEW_PASSPHRASE": "another passphrase"})
    assert rekey.exit_code == 0 and "RECOVERY KEY" in rekey.stdout
    assert run("--db", str(db), "db", "verify", env={"NOTE_ASSISTANT_PASSPHRASE": "another passphrase"}).exit_code == 0


MARKERS = ["ZQXMARKER-PROGRESS-7731", "ZQXMARKER-PSYCHO-5520", "ZQXMARKER-CLIENT-9043"]

LEAK_SCRIPT = textwrap.dedent("""
    import datetime as dt, sys
    from pathlib import Path
    from note_assistant.models import Client
    from note_assistant.demo import create_demo
    from note_assistant.services import NoteService
    from note_assistant.storage import Store
    from note_assistant.storage.backup import backup_database
    from note_assistant.storage.crypto import TEST_ONLY_FAST_KDF

    folder, progress, psycho, client = Path(sys.argv[1]), *sys.argv[2:5]
    store = Store(folder / "clinic.db", passphrase="leak test passphrase", kdf=TEST_ONLY_FAST_KDF)
    create_demo(store)
    store.add_client(Client(id="cl-x", name=client, clinician_id="u-dana"))
    dana = NoteService(store, store.user_by_name("dana"))
    for i in range(300):  # enough to spill sorts and the WAL
        note = dana.create_draft("cl-x", "soap", f"S: {progress} {i} " + "x" * 400, dt.date(2026, 1, 1))
        if i % 3 == 0:
            dana.sign(note.id)
    dana.save_psychotherapy_note("cl-x", psycho * 50)
    assert store.search_notes(progress)
    list(store.db.execute("SELECT text FROM notes ORDER BY text DESC"))
    store.db.execute("DELETE FROM notes WHERE status = 'draft' AND rowid % 7 = 0")
    backup_database(store, folder / "backups" / "b.db")
    print("WAL", (folder / "clinic.db-wal").stat().st_size, flush=True)
    sys.stdin.read()  # keep the connection (and the WAL) open until the parent has looked
    store.close()
""")


def test_no_marker_reaches_disk_when_encrypted(tmp_path):
    """Requirement 23: database, -wal, -shm, backups, temp dir and logs hold no marker."""
    work, tmp = tmp_path / "work", tmp_path / "tmp"
    work.mkdir()
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp), "SQLITE_TMPDIR": str(tmp), "XDG_DATA_HOME": str(tmp_path / "xdg")}
    child = subprocess.Popen(
        [sys.executable, "-c", LEAK_SCRIPT, str(work), *MARKERS], env=env, stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    line = child.stdout.readline()
    assert line.startswith("WAL") and int(line.split()[1]) > 0, child.stderr.read()
    live = {p: p.read_bytes() for p in files_under(tmp_path)}  # while open: WAL and SHM exist
    out, err = child.communicate("")
    assert child.returncode == 0, err
    names = {p.name for p in live}
    assert {"clinic.db", "clinic.db-wal", "clinic.db-shm", "b.db", "b.db.keys"} <= names
    after = {p: p.read_bytes() for p in files_under(tmp_path)}
    for label, data in [*live.items(), *after.items(), ("stdout", out.encode()), ("stderr", err.encode())]:
        for marker in MARKERS:
            assert marker.encode() not in data, (label, marker)
            assert marker.encode("utf-16-le") not in data, (label, marker)
