"""Crash and concurrency runs (requirements 19, 20): ``make stress`` (``pytest -m slow``)."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from note_assistant.models import NoteStatus, note_hash
from note_assistant.storage import Store
from note_assistant.storage.backup import verify_database

pytestmark = pytest.mark.slow

ENCRYPTED = os.environ.get("NOTE_ASSISTANT_TEST_ENCRYPTED") == "1"
#: 200 kills on the plaintext run; the encrypted run (make stress, second pass) does 50.
KILLS = int(os.environ.get("NOTE_ASSISTANT_KILLS", "50" if ENCRYPTED else "200"))
PASSPHRASE = "stress test passphrase"


def _new_store(path: Path) -> Store:
    """A fresh store, encrypted when the suite runs encrypted; children get the passphrase."""
    if ENCRYPTED:
        from note_assistant.storage.crypto import TEST_ONLY_FAST_KDF

        return Store(path, passphrase=PASSPHRASE, kdf=TEST_ONLY_FAST_KDF)
    return Store(path)


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    if ENCRYPTED:
        env["NOTE_ASSISTANT_PASSPHRASE"] = PASSPHRASE
    else:
        env.pop("NOTE_ASSISTANT_PASSPHRASE", None)
    return env


def _open(path: Path) -> Store:
    return Store(path, passphrase=PASSPHRASE if ENCRYPTED else None)

SIGNER = textwrap.dedent("""
    import datetime as dt, os, sys
    from note_assistant.models import Client, Role, User
    from note_assistant.services import NoteService
    from note_assistant.storage import Store, NotFound

    store = Store(sys.argv[1], passphrase=os.environ.get("NOTE_ASSISTANT_PASSPHRASE"))
    try:
        user = store.user_by_name("signer")
    except NotFound:
        user = store.add_user(User(id="u-signer", username="signer", display_name="S", role=Role.clinician))
        store.add_client(Client(id="cl-k", name="K", clinician_id=user.id))
    service = NoteService(store, user)
    print("READY", flush=True)
    i = 0
    while True:
        i += 1
        note = service.create_draft("cl-k", "soap", f"S: crash test {i}\\r\\nP: next", dt.date(2026, 1, 1))
        service.sign(note.id)
        print("SIGNED", note.id, flush=True)  # acknowledged only after COMMIT returned
""")


_ACK = re.compile(r"SIGNED (\S+)")


def test_kill_9_while_signing_loses_no_acknowledged_signature(tmp_path):
    """Requirement 19: kill -9 at random moments; every acknowledged signature survives."""
    db = tmp_path / "crash.db"
    _new_store(db).close()
    rng = random.Random(20261126)
    acked: list[str] = []
    for _ in range(KILLS):
        child = subprocess.Popen([sys.executable, "-c", SIGNER, str(db)], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, env=_child_env())
        assert child.stdout.readline().strip() == "READY", child.stderr.read()
        time.sleep(rng.uniform(0.0, 0.15))
        os.kill(child.pid, signal.SIGKILL)
        out, _ = child.communicate()
        assert child.returncode == -signal.SIGKILL
        # Only a complete line is an acknowledgement: kill -9 can cut the last one short.
        complete = out.split("\n")[:-1]
        acked += [m.group(1) for line in complete if (m := _ACK.fullmatch(line))]
    assert len(acked) > KILLS  # the loop really signed between kills
    store = _open(db)
    assert store.encrypted == ENCRYPTED
    try:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for note_id in acked:
            note = store.note(note_id)
            assert note.status == NoteStatus.signed and note.content_hash == note_hash(note)
        problems, summary = verify_database(store)
        assert problems == [], problems
    finally:
        store.close()


WRITER = textwrap.dedent("""
    import datetime as dt, os, sys
    from note_assistant.models import User, Role
    from note_assistant.services import NoteService
    from note_assistant.storage import Store, is_locked_error

    store = Store(sys.argv[1], passphrase=os.environ.get("NOTE_ASSISTANT_PASSPHRASE"))
    me = sys.argv[2]
    service = NoteService(store, store.user_by_name(me))
    locked = other = 0
    sys.stdin.readline()  # start together
    for i in range(int(sys.argv[3])):
        try:
            service.create_draft("cl-c", "soap", f"S: {me} {i}", dt.date(2026, 1, 1))
        except Exception as exc:
            if is_locked_error(exc):
                locked += 1
            else:
                other += 1
                print("ERROR", type(exc).__name__, exc, file=sys.stderr)
    print(locked, other, flush=True)
    store.close()
""")


def test_four_processes_times_500_writes_without_lock_errors(tmp_path):
    """Requirement 20: BEGIN IMMEDIATE + busy timeout: zero "database is locked"."""
    from note_assistant.models import Client, Role, User

    db = tmp_path / "busy.db"
    store = _new_store(db)
    for n in range(4):
        store.add_user(User(id=f"u-w{n}", username=f"w{n}", display_name=f"W{n}", role=Role.clinician))
    store.add_client(Client(id="cl-c", name="C", clinician_id="u-w0"))
    store.close()
    writes = 500
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(db), f"w{n}", str(writes)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=_child_env()) for n in range(4)]
    time.sleep(1.5)  # all imported and connected
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = [proc.communicate(timeout=600) for proc in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        locked, other = map(int, out.split())
        assert (locked, other) == (0, 0), err
    store = _open(db)
    try:
        assert store.db["notes"].count == 4 * writes
        assert store.verify_audit() == []  # the chain stayed linear under contention
    finally:
        store.close()
