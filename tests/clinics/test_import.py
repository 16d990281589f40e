"""Importing note files as drafts: dry run writes nothing, a real import is all-or-nothing."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from clinics_support import BIRP_NOTE, BROKEN_NOTE, SOAP_NOTE, run

from note_assistant.services.importer import ImportAborted, plan_import, run_import
from note_assistant.services.notes import NoteService

MARKDOWN_DAP = """\
---
date: 2026-11-23
cpt: "90837"
start: "09:00"
end: "09:55"
---
**Data:** Client reported drinking on 2 of 7 days, down from 5, and attended one AA meeting.

**Assessment:** Progress toward objective 2.1; risk low, denies SI/HI.

**Plan:** Attend two meetings this week. Next session 12/04.
"""


def _counts(db: Path) -> tuple[int, int]:
    conn = sqlite3.connect(db)
    try:
        notes = conn.execute("SELECT count(*) FROM notes").fetchone()[0]
        audit = conn.execute("SELECT count(*) FROM audit_log WHERE action = 'create'").fetchone()[0]
    finally:
        conn.close()
    return notes, audit


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "old-notes"
    folder.mkdir()
    (folder / "01.md").write_text(SOAP_NOTE)
    (folder / "02.txt").write_text(BIRP_NOTE)
    (folder / "03.md").write_text(MARKDOWN_DAP)
    return folder


def test_dry_run_prints_the_plan_and_writes_nothing(demo_db: Path, files: Path) -> None:
    before = _counts(demo_db)
    result = run("--db", str(demo_db), "import", str(files), "--client", "Avery Quinn", "--as", "dana", "--dry-run")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Dry run: nothing written" in out and "3 file(s) would be imported" in out
    assert f"{files / '01.md'}: ok; format soap; date 2026-11-20; sections: Subjective, Objective, Assessment, Plan" in out
    assert "format birp; date 2026-11-21" in out and "format dap; date 2026-11-23" in out
    assert _counts(demo_db) == before


def test_import_creates_drafts_with_header_fields(demo_db: Path, files: Path) -> None:
    notes_before, creates_before = _counts(demo_db)
    result = run("--db", str(demo_db), "import", str(files), "--client", "Avery Quinn", "--as", "dana")
    assert result.exit_code == 0, result.output
    assert "Imported 3 draft(s) for Avery Quinn." in result.stdout
    conn = sqlite3.connect(demo_db)
    conn.row_factory = sqlite3.Row
    rows = conn.execute(
        "SELECT * FROM notes WHERE client_id = 'cl-avery' AND status = 'draft' ORDER BY date_of_service").fetchall()
    conn.close()
    assert [r["date_of_service"] for r in rows] == ["2026-11-20", "2026-11-21", "2026-11-23"]
    assert [r["format"] for r in rows] == ["soap", "birp", "dap"]
    assert rows[0]["text"] == SOAP_NOTE and rows[2]["cpt"] == "90837" and rows[2]["start_time"] == "09:00:00"
    assert {r["author_id"] for r in rows} == {"u-dana"}
    assert _counts(demo_db) == (notes_before + 3, creates_before + 3)  # each draft audited
    again = run("--db", str(demo_db), "import", str(files / "01.md"), "--client", "Avery Quinn", "--as", "dana")
    assert again.exit_code == 2 and "already imported" in again.stderr


def test_a_bad_file_aborts_the_whole_import(demo_db: Path, files: Path) -> None:
    (files / "04-no-date.md").write_text(BROKEN_NOTE.replace("Date: 2026-11-22\n", ""))
    before = _counts(demo_db)
    result = run("--db", str(demo_db), "import", str(files), "--client", "Avery Quinn", "--as", "dana")
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) <= 2  # the sign-in note + one error line
    assert "04-no-date.md: no date of service" in result.stderr and "nothing imported" in result.stderr
    assert _counts(demo_db) == before
    dry = run("--db", str(demo_db), "import", str(files), "--client", "Avery Quinn", "--as", "dana", "--dry-run")
    assert dry.exit_code == 1 and "CANNOT IMPORT" in dry.stdout and "a real import would write nothing" in dry.stdout
    (files / "05.md").write_bytes(b"\xff\xfe not utf-8")
    unreadable = run("--db", str(demo_db), "import", str(files), "--client", "Avery Quinn", "--as", "dana")
    assert unreadable.exit_code == 2 and "not UTF-8" in unreadable.stderr
    assert _counts(demo_db) == before
    (files / "06.txt").write_bytes(b"\x00\xff")
    both = run("--db", str(demo_db), "import", str(files), "--client", "Avery Quinn", "--as", "dana", "--dry-run")
    errors = [line for line in both.stderr.splitlines() if line.startswith("note-assistant: error:")]
    assert both.exit_code == 2 and len(errors) == 2  # every unreadable file named, not only the first
    assert "05.md" in errors[0] and "06.txt" in errors[1] and errors[1].endswith("nothing imported")
    assert _counts(demo_db) == before


def test_failure_half_way_rolls_back_every_draft(demo_store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even an error after some drafts were written leaves nothing behind (one transaction)."""
    dana = demo_store.user_by_name("dana")
    sources = [("a.md", SOAP_NOTE), ("b.md", BIRP_NOTE), ("c.md", MARKDOWN_DAP)]
    plan = plan_import(demo_store, "Avery Quinn", sources)
    service = NoteService(demo_store, dana)
    real = service.create_draft
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise OSError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "create_draft", flaky)
    before = len(demo_store.notes_for_client("cl-avery"))
    with pytest.raises(OSError):
        run_import(demo_store, service, plan)
    assert len(demo_store.notes_for_client("cl-avery")) == before
    created = run_import(demo_store, NoteService(demo_store, dana), plan)
    assert [n.date_of_service for n in created] == [dt.date(2026, 11, 20), dt.date(2026, 11, 21), dt.date(2026, 11, 23)]


def test_free_text_needs_an_explicit_format(demo_store) -> None:
    plan = plan_import(demo_store, "Avery Quinn", [("x.txt", "Date: 2026-11-01\nWe talked about work.\n")])
    assert "no section headings" in plan.problems[0]
    with pytest.raises(ImportAborted):
        run_import(demo_store, NoteService(demo_store, demo_store.user_by_name("dana")), plan)
    forced = plan_import(demo_store, "Avery Quinn", [("x.txt", "Date: 2026-11-01\nWe talked about work.\n")],
                         format="free-text")
    assert forced.ok and forced.items[0].format == "free-text"
