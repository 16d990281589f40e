"""Read access and break-glass emergency access (requirements 8, 13)."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from note_assistant.cli import cli
from note_assistant.services import NoteService, PermissionDenied
from note_assistant.services.access import break_glass
from note_assistant.services.errors import ServiceError
from note_assistant.services.users import UserAdmin


@pytest.fixture
def lee(clinic, login):
    """A second clinician, pre-assigned for break-glass by the admin."""
    UserAdmin(login("admin")).add("lee", "Lee Park", "clinician", "lee-password-12", break_glass=True)
    return "lee"


def _login_lee(clinic, clock):
    from note_assistant.services.auth import authenticate

    return authenticate(clinic, "lee", "lee-password-12", clock=clock, idle_limit=dt.timedelta(hours=2))


def test_other_clinicians_and_admins_cannot_read_a_client(clinic, login):
    with pytest.raises(PermissionDenied, match="no access"):
        NoteService(clinic, login("sam")).notes_for_client("cl-avery")
    with pytest.raises(PermissionDenied):
        NoteService(clinic, login("admin")).notes_for_client("cl-avery")
    assert NoteService(clinic, login("dana")).notes_for_client("cl-avery")
    assert NoteService(clinic, login("morgan")).notes_for_client("cl-avery")  # supervisor
    denied = [e for e in clinic.audit_events() if e["action"] == "read-denied"]
    assert [e["actor"] for e in denied] == ["sam", "admin"]


def test_break_glass_needs_assignment_reason_and_limit(clinic, login, lee, clock):
    with pytest.raises(PermissionDenied, match="not a break-glass user"):
        break_glass(login("sam"), "cl-avery", "client in crisis, on call")
    session = _login_lee(clinic, clock)
    with pytest.raises(ServiceError, match="reason"):
        break_glass(session, "cl-avery", "   urgent ")
    with pytest.raises(ServiceError, match="minutes"):
        break_glass(session, "cl-avery", "client in crisis, on call", minutes=600)


def test_break_glass_gives_time_limited_audited_read_access(clinic, lee, clock, login):
    session = _login_lee(clinic, clock)
    service = NoteService(clinic, session)
    with pytest.raises(PermissionDenied):
        service.notes_for_client("cl-avery")
    grant = break_glass(session, "cl-avery", "client called the crisis line; Dana is away", minutes=30)
    notes = service.notes_for_client("cl-avery")
    assert notes and service.read_note(notes[0].id).id == notes[0].id
    events = [e for e in clinic.audit_events() if e["actor"] == "lee"]
    granted = next(e for e in events if e["action"] == "break-glass")
    assert granted["client_id"] == "cl-avery" and granted["detail"]["minutes"] == 30
    assert "crisis line" in granted["detail"]["reason"]
    reads = [e for e in events if e["action"] == "read"]
    assert reads and all(e["detail"]["basis"] == f"break-glass:{grant['id']}" for e in reads)
    # Psychotherapy notes are never opened by break-glass.
    NoteService(clinic, login("dana")).save_psychotherapy_note("cl-avery", "private process note")
    assert service.psychotherapy_notes("cl-avery") == []
    # The grant expires.
    clock.advance(minutes=29)
    session.touch()
    service.notes_for_client("cl-avery")
    clock.advance(minutes=1, seconds=1)
    session.touch()
    with pytest.raises(PermissionDenied):
        service.notes_for_client("cl-avery")


def test_break_glass_cli(tmp_path):
    db = tmp_path / "bg.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", str(db), "demo"]).exit_code == 0
    denied = runner.invoke(cli, ["--db", str(db), "break-glass", "Avery Quinn", "--reason",
                                 "crisis call tonight", "--as", "sam"])
    assert denied.exit_code == 2 and "not a break-glass user" in denied.stderr
    assert runner.invoke(cli, ["--db", str(db), "users", "break-glass", "sam", "on", "--as", "admin"]).exit_code == 0
    ok = runner.invoke(cli, ["--db", str(db), "break-glass", "Avery Quinn", "--reason",
                             "crisis call tonight", "--minutes", "15", "--as", "sam"])
    assert ok.exit_code == 0 and "until" in ok.output
