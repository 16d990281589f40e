"""RELIABILITY 8 and 15: a supervisor reads a trainee's psychotherapy notes only through an
explicit, time-limited, revocable training-supervision grant; every read is audited."""

from __future__ import annotations

import datetime as dt

import pytest

from note_assistant.services import NoteService, PermissionDenied, ServiceError
from note_assistant.services.auth import authenticate
from note_assistant.services.grants import GrantService

MARKER = "PN-MARKER countertransference about the accident story"


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.timezone.utc)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def login(clinic, clock):
    def _login(name: str):
        return authenticate(clinic, name, None, clock=clock, idle_limit=dt.timedelta(days=999))
    return _login


@pytest.fixture
def pnotes(clinic, login):
    sam = NoteService(clinic, login("sam"))
    return [sam.save_psychotherapy_note("cl-riley", f"{MARKER} {i}") for i in range(2)]


def _reads(store):
    return [
        e for e in store.audit_events() if e["category"] == "psychotherapy-note"]


def test_denied_without_a_grant_and_the_denial_is_audited(clinic, login, pnotes):
    with pytest.raises(PermissionDenied, match="no active training-supervision grant"):
        GrantService(clinic, login("morgan")).psychotherapy_notes("sam", "cl-riley")
    assert NoteService(clinic, login("morgan")).psychotherapy_notes("cl-riley") == []
    denied = [e for e in _reads(clinic) if e["action"] == "read-denied"]
    assert [(e["actor"], e["client_id"]) for e in denied] == [("morgan", "cl-riley")]


def test_with_a_grant_every_read_is_audited(clinic, login, pnotes):
    grant = GrantService(clinic, login("sam")).grant("cl-riley", days=7)
    morgan = GrantService(clinic, login("morgan"))
    for _ in range(2):
        got = morgan.psychotherapy_notes("sam", "cl-riley")
        assert [p.id for p in got] == [p.id for p in pnotes]
    reads = [e for e in _reads(clinic) if e["action"] == "read" and e["actor"] == "morgan"]
    assert len(reads) == 2
    assert all(e["detail"]["basis"] == f"training-grant:{grant.id}" for e in reads)
    assert reads[0]["detail"]["ids"] == [p.id for p in pnotes]
    assert MARKER not in str(reads)  # audit detail never holds the text
    given = [e for e in clinic.audit_events(action="training-grant")]
    assert given[0]["actor"] == "sam" and given[0]["detail"]["supervisor_id"] == "u-morgan"


def test_expired_grant_is_denied(clinic, login, clock, pnotes):
    GrantService(clinic, login("sam")).grant("cl-riley", days=1)
    morgan = GrantService(clinic, login("morgan"))
    clock.now += dt.timedelta(hours=23)
    assert len(morgan.psychotherapy_notes("sam", "cl-riley")) == 2
    clock.now += dt.timedelta(hours=1)
    with pytest.raises(PermissionDenied):
        morgan.psychotherapy_notes("sam", "cl-riley")


def test_revoked_grant_is_denied_and_only_the_granter_revokes(clinic, login, pnotes):
    grant = GrantService(clinic, login("sam")).grant("cl-riley")
    with pytest.raises(PermissionDenied):
        GrantService(clinic, login("morgan")).revoke(grant.id)
    GrantService(clinic, login("sam")).revoke(grant.id)
    with pytest.raises(PermissionDenied):
        GrantService(clinic, login("morgan")).psychotherapy_notes("sam", "cl-riley")
    with pytest.raises(ServiceError, match="already revoked"):
        GrantService(clinic, login("sam")).revoke(grant.id)
    assert [e["detail"]["grant"] for e in clinic.audit_events(action="training-grant-revoke")] == [grant.id]
    with pytest.raises(clinic.errors.IntegrityError):  # a revocation cannot be undone in SQL
        clinic.db.execute("UPDATE training_grants SET revoked_at = NULL WHERE id = ?", [grant.id])


def test_a_per_note_grant_opens_only_that_note(clinic, login, pnotes):
    GrantService(clinic, login("sam")).grant("cl-riley", pnote_id=pnotes[1].id)
    got = GrantService(clinic, login("morgan")).psychotherapy_notes("sam", "cl-riley")
    assert [p.id for p in got] == [pnotes[1].id]


@pytest.mark.parametrize("reader", ["quinn", "dana", "admin", "casey"])
def test_a_grant_opens_nothing_for_anyone_else(clinic, login, pnotes, reader):
    GrantService(clinic, login("sam")).grant("cl-riley")
    with pytest.raises(PermissionDenied):
        GrantService(clinic, login(reader)).psychotherapy_notes("sam", "cl-riley")


def test_reassigned_supervisor_loses_access(clinic, login, pnotes):
    GrantService(clinic, login("sam")).grant("cl-riley")
    clinic.update_security("u-sam", {"supervisor_id": "u-quinn"})
    with pytest.raises(PermissionDenied):
        GrantService(clinic, login("morgan")).psychotherapy_notes("sam", "cl-riley")


@pytest.mark.parametrize("granter", ["dana", "morgan", "admin"])
def test_only_trainees_grant(clinic, login, granter):
    with pytest.raises(PermissionDenied):
        GrantService(clinic, login(granter)).grant("cl-riley")


def test_grant_limits(clinic, login, pnotes):
    sam = GrantService(clinic, login("sam"))
    with pytest.raises(ServiceError):
        sam.grant("cl-riley", days=0)
    with pytest.raises(ServiceError):
        sam.grant("cl-riley", days=366)
    with pytest.raises(ServiceError, match="no psychotherapy note"):
        sam.grant("cl-riley", pnote_id="pn-nope")
