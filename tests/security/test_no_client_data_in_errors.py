"""No client data in error messages, audit rows or crash output (requirement 24)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner

from note_assistant.cli import cli
from note_assistant.services import InvalidTransition, NoteService, PermissionDenied, ServiceError

MARKER = "QQLEAK-MARKER-4471"


def test_service_and_database_errors_never_quote_note_text(demo_store):
    dana = NoteService(demo_store, demo_store.user_by_name("dana"))
    note = dana.create_draft("cl-avery", "soap", f"S: {MARKER}", dt.date(2026, 11, 20))
    signed = dana.sign(note.id)
    messages = []
    for call in (lambda: dana.sign(note.id), lambda: dana.update_draft(note.id, text=MARKER),
                 lambda: dana.add_addendum(note.id, " ", MARKER),
                 lambda: NoteService(demo_store, demo_store.user_by_name("sam")).update_draft(note.id, text="x"),
                 lambda: demo_store.db.execute("UPDATE notes SET text = ? WHERE id = ?", [MARKER + "!", note.id]),
                 lambda: demo_store.insert_note(signed)):
        with pytest.raises((ServiceError, InvalidTransition, PermissionDenied, demo_store.errors.Error)) as caught:
            call()
        messages.append(str(caught.value))
    assert all(MARKER not in m for m in messages), messages
    assert MARKER not in json.dumps(list(demo_store.audit_events()))


def test_cli_errors_about_a_note_do_not_echo_its_text(tmp_path):
    note = tmp_path / "n.md"
    note.write_bytes(f"S: {MARKER}\n".encode() + b"\xff\xfe broken")
    result = CliRunner().invoke(cli, ["check", str(note)])
    assert result.exit_code == 2 and MARKER not in result.stderr + result.output


def test_an_unexpected_crash_prints_no_note_text(tmp_path):
    """Python tracebacks show code lines and exception messages, never local variables: a
    crash inside the service with a note in hand does not print the note."""
    code = textwrap.dedent(f"""
        import datetime as dt
        from note_assistant.demo import create_demo
        from note_assistant.services import NoteService
        from note_assistant.storage import Store
        store = Store({str(tmp_path / "crash.db")!r})
        create_demo(store)
        dana = NoteService(store, store.user_by_name("dana"))
        note = dana.create_draft("cl-avery", "soap", "S: {MARKER}", dt.date(2026, 11, 20))
        store.db.conn.close()  # the next write fails deep inside the store
        dana.update_draft(note.id, text="S: {MARKER} again")
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode != 0 and "Traceback" in result.stderr
    crash_lines = [line for line in result.stderr.splitlines() if not line.lstrip().startswith(("dana.", "note ="))]
    assert all(MARKER not in line for line in crash_lines), result.stderr
