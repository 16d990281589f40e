"""Supervision in a real terminal (tmux): morgan opens the review queue from home, co-signs the
oldest pending note of his trainee, quits; the database shows it co-signed by him."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.tui.test_tmux_e2e import CLI, Tmux

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _pending(db: Path) -> list[str]:
    from note_assistant.storage import Store

    store = Store(db)
    try:
        rows = store.db.execute(
            "SELECT id FROM notes WHERE status = 'pending_review' ORDER BY updated_at, id").fetchall()
        return [r[0] for r in rows]
    finally:
        store.close()


def test_supervisor_cosigns_from_the_queue_in_a_terminal(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    subprocess.run([str(CLI), "--db", str(db), "demo"], check=True, capture_output=True, timeout=120)
    pending = _pending(db)
    assert len(pending) == 2  # the demo seeds morgan's queue with two of sam's notes
    tmux = Tmux(f"exec {CLI} --db {db}")
    try:
        tmux.wait_for("Demo database: accounts have no passwords")
        tmux.type("morgan")
        tmux.keys("Enter")
        tmux.wait_for("Clients")
        tmux.keys("r")
        tmux.wait_for("Riley Brooks")
        tmux.wait_for("Open findings")
        tmux.keys("c")
        tmux.wait_for("Co-sign this note?")
        tmux.keys("y")
        deadline = time.monotonic() + 20
        while len(_pending(db)) == 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        tmux.keys("C-q")
        deadline = time.monotonic() + 15
        while tmux.alive() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not tmux.alive()
    finally:
        tmux.close()
    from note_assistant.storage import Store

    store = Store(db)
    try:
        cosigned = [n for n in store.all_notes() if n.id in pending and n.status.value == "cosigned"]
        assert len(cosigned) == 1
        assert cosigned[0].cosigner_id == "u-morgan" and cosigned[0].signer_id == "u-sam"
        assert len(_pending(db)) == 1
    finally:
        store.close()
