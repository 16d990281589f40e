"""The audit trail: what is audited, append-only, hash-chained, same transaction, the report
(requirements 3, 15-18)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from note_assistant.cli import cli
from note_assistant.services import NoteService
from note_assistant.storage import AuditEvent, Store, audit


def run(*args, env=None, input=None):
    return CliRunner().invoke(cli, list(args), env=env, input=input)


def raw(store):
    """A raw connection with the audit triggers dropped: what an attacker with file access has."""
    conn = store.db.conn
    for trigger in ("audit_log_no_update", "audit_log_no_delete", "audit_log_chain", "audit_log_head"):
        conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    return conn


def _signed(store, session_or_user):
    svc = NoteService(store, session_or_user)
    note = svc.create_draft("cl-avery", "soap", "S: audit me", dt.date(2026, 11, 20))
    return svc, svc.sign(note.id)


def test_every_kind_of_event_is_audited_with_who_what_when_client_category(clinic, login, clock):
    """Requirement 15: create, read, sign, export, login, failed login, privilege change."""
    from note_assistant.services.auth import AuthError, authenticate
    from note_assistant.services.users import UserAdmin

    first = clinic.audit_head()[0]  # after the demo set-up
    session = login("dana", source="tui")
    svc, note = _signed(clinic, session)
    svc.read_note(note.id)
    svc.notes_for_client("cl-avery")
    svc.save_psychotherapy_note("cl-avery", "process notes")
    svc.psychotherapy_notes("cl-avery")
    svc.add_addendum(note.id, "late info", "more")
    from note_assistant.services.export import export_markdown

    export_markdown(clinic, session, "cl-avery")
    with pytest.raises(AuthError):
        authenticate(clinic, "dana", "bad password!", clock=clock)
    UserAdmin(login("admin")).set_role("sam", "clinician")
    events = [e for e in clinic.audit_events() if e["seq"] > first]
    seen = {(e["action"], e["category"]) for e in events}
    assert {("login", "account"), ("create", "progress-note"), ("sign", "progress-note"),
            ("read", "progress-note"), ("create", "psychotherapy-note"), ("read", "psychotherapy-note"),
            ("addend", "progress-note"), ("export", "progress-note"), ("login-failed", "account"),
            ("role-change", "privilege")} <= seen
    for event in events:
        assert event["at"].endswith("+00:00")  # UTC
        if event["category"] in ("progress-note", "psychotherapy-note"):
            assert event["actor"] == "dana" and event["client_id"] == "cl-avery" and event["source"] == "tui"
    assert "process notes" not in json.dumps(events)  # no clinical text in the trail


def test_the_audit_log_is_append_only(clinic):
    clinic.record(AuditEvent(action="test"))
    errors = clinic.errors
    with pytest.raises(errors.IntegrityError, match="append-only"):
        clinic.db.execute("UPDATE audit_log SET actor = 'someone else'")
    with pytest.raises(errors.IntegrityError, match="append-only"):
        clinic.db.execute("DELETE FROM audit_log")
    with pytest.raises(errors.IntegrityError, match="extend the chain"):
        clinic.db.execute("INSERT INTO audit_log (seq, at, action, prev_hash, hash) VALUES (999, 'x', 'x', 'x', 'x')")
    with pytest.raises(errors.IntegrityError):
        clinic.db.execute("DELETE FROM audit_head")


def _chain(clinic, n=6):
    for i in range(n):
        clinic.record(AuditEvent(action="test", detail={"i": i}))
    assert clinic.verify_audit() == []


def test_tamper_edit_is_detected(clinic):
    _chain(clinic)
    raw(clinic).execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3")
    assert any("row 3" in p and "edited" in p for p in clinic.verify_audit())


def test_tamper_delete_is_detected(clinic):
    _chain(clinic)
    raw(clinic).execute("DELETE FROM audit_log WHERE seq = 3")
    problems = clinic.verify_audit()
    assert any("row 4" in p for p in problems) and any("head records" in p for p in problems)


def test_tamper_reorder_is_detected(clinic):
    _chain(clinic)
    conn = raw(clinic)
    conn.execute("UPDATE audit_log SET seq = -1 WHERE seq = 3")
    conn.execute("UPDATE audit_log SET seq = 3 WHERE seq = 4")
    conn.execute("UPDATE audit_log SET seq = 4 WHERE seq = -1")
    problems = clinic.verify_audit()
    assert any("chain broken" in p or "edited" in p for p in problems)


def test_tamper_truncate_is_detected(clinic):
    _chain(clinic)
    count, _ = clinic.audit_head()
    raw(clinic).execute("DELETE FROM audit_log WHERE seq = ?", [count])
    assert any("truncated" in p for p in clinic.verify_audit())


def test_truncating_and_rewriting_the_head_is_caught_by_an_anchor(clinic):
    """The documented residual risk, and its mitigation: keep the head elsewhere."""
    _chain(clinic)
    anchor = clinic.audit_head()
    conn = raw(clinic)
    conn.execute("DELETE FROM audit_log WHERE seq = ?", [anchor[0]])
    prev = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    conn.execute("UPDATE audit_head SET count = ?, last_hash = ?", list(prev))
    assert clinic.verify_audit() == []  # an attacker with write access rewrote the head ...
    assert any("anchored head" in p for p in clinic.verify_audit(anchor))  # ... the anchor catches it


def test_db_verify_fails_on_a_tampered_audit_log(tmp_path):
    db = tmp_path / "t.db"
    assert run("--db", str(db), "demo").exit_code == 0
    assert run("--db", str(db), "db", "verify").exit_code == 0
    store = Store(db)
    raw(store).execute("UPDATE audit_log SET action = 'nothing' WHERE seq = 2")
    store.close()
    result = run("--db", str(db), "db", "verify")
    assert result.exit_code == 1 and "row edited" in result.output


def test_change_and_audit_row_commit_together(clinic, login, monkeypatch):
    """Requirement 17: if the audit row cannot be written, the change is rolled back too."""
    session = login("dana")
    svc = NoteService(clinic, session)
    before = (len(clinic.notes_for_client("cl-avery")), clinic.audit_head())

    def broken(db, event):
        raise RuntimeError("disk full while auditing")

    monkeypatch.setattr(audit, "append", broken)
    with pytest.raises(RuntimeError):
        svc.create_draft("cl-avery", "soap", "S: never saved", dt.date(2026, 11, 20))
    monkeypatch.undo()
    assert (len(clinic.notes_for_client("cl-avery")), clinic.audit_head()) == before
    # ... and a change that fails takes its audit row with it.
    note = svc.create_draft("cl-avery", "soap", "S: x", dt.date(2026, 11, 20))
    head = clinic.audit_head()
    with pytest.raises(Exception):
        clinic.insert_note(note, audit=session.event("create"))  # duplicate id
    assert clinic.audit_head() == head


def test_a_changed_signed_note_warns_and_is_audited(clinic, login):
    """Requirement 3: a one-byte flip shows a warning and writes an audit row."""
    svc, note = _signed(clinic, login("dana"))
    clinic.db.conn.execute("DROP TRIGGER notes_signed_no_update")
    clinic.db.conn.execute("UPDATE notes SET text = 'S: audit mE' WHERE id = ?", [note.id])
    assert svc.verify(note.id) is False
    warning = [e for e in clinic.audit_events() if e["action"] == "integrity-warning"][-1]
    assert warning["target_id"] == note.id and warning["detail"]["stored_hash"] == note.content_hash


def test_audit_report_filters_by_time_and_sorts_by_any_field(clinic):
    """Requirement 18."""
    for action in ("zeta", "alpha", "mid"):
        clinic.record(AuditEvent(action=action, actor="x"))
    rows = list(clinic.audit_events())
    middle = rows[len(rows) // 2]["at"]
    since = dt.datetime.fromisoformat(middle)
    assert all(r["at"] >= middle for r in clinic.audit_events(since=since))
    assert all(r["at"] < middle for r in clinic.audit_events(until=since))
    for field in audit.FIELDS:
        if field in ("detail", "prev_hash"):  # sortable, but not shown as plain values
            assert list(clinic.audit_events(sort=field))
            continue
        got = [r[field] for r in clinic.audit_events(sort=field) if r[field] is not None]
        assert got == sorted(got), field
    desc = [r["action"] for r in clinic.audit_events(sort="action", descending=True)]
    assert desc == sorted(desc, reverse=True)
    with pytest.raises(ValueError, match="cannot sort"):
        list(clinic.audit_events(sort="hash; DROP TABLE notes"))


def test_audit_log_cli(tmp_path):
    db = tmp_path / "a.db"
    assert run("--db", str(db), "demo").exit_code == 0
    result = run("--db", str(db), "audit-log", "--as", "admin", "--json", "--sort", "action", "--desc")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and [r["action"] for r in rows] == sorted((r["action"] for r in rows), reverse=True)
    assert "no password (demo database)" in result.stderr
    later = run("--db", str(db), "audit-log", "--as", "admin", "--json", "--since", "2999-01-01")
    assert later.exit_code == 0 and later.stdout == ""
    assert run("--db", str(db), "audit-log", "--as", "admin", "--until", "2000-01-01").exit_code == 0
    bad = run("--db", str(db), "audit-log", "--as", "admin", "--since", "yesterday")
    assert bad.exit_code == 2 and "not a date" in bad.stderr
    denied = run("--db", str(db), "audit-log", "--as", "dana")
    assert denied.exit_code == 2 and "only an admin or a supervisor" in denied.stderr
    head = run("--db", str(db), "audit-log", "--as", "admin", "--head").stdout.strip()
    assert run("--db", str(db), "db", "verify", "--expect-head", head).exit_code == 0
