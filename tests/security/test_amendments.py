"""Client amendment requests, 45 CFR 164.526 (requirement 7): accept or deny; a denial links
request, denial, disagreement and rebuttal; decided requests are immutable."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from note_assistant.cli import cli
from note_assistant.models import Role, User, note_hash
from note_assistant.services import NoteService
from note_assistant.services.amendments import AmendmentService
from note_assistant.services.errors import InvalidTransition, PermissionDenied, ServiceError
from note_assistant.services.export import export_markdown
from note_assistant.storage import Store


def _signed(store, session, text="S: client reports low mood.\nA: stable."):
    svc = NoteService(store, session)
    note = svc.create_draft("cl-avery", "soap", text, dt.date(2026, 11, 20))
    return svc.sign(note.id)


def test_accept_creates_an_addendum_and_keeps_the_original_and_its_hash(clinic, login):
    dana = login("dana")
    note = _signed(clinic, dana)
    svc = AmendmentService(clinic, dana)
    req = svc.record_request(note.id, "My mood was moderate, not low.", "the note is inaccurate")
    assert req.status == "pending"
    done = svc.accept(req.id, "Per client: mood described as moderate rather than low.")
    assert done.status == "accepted" and done.decided_by == "u-dana" and done.addendum_id
    addenda = clinic.addenda(note.id)
    assert [a.id for a in addenda] == [done.addendum_id]
    assert addenda[0].reason == f"Amendment at client request {req.id}"
    assert addenda[0].original_hash == note.content_hash
    after = clinic.note(note.id)
    assert after.text == note.text and after.content_hash == note.content_hash == note_hash(after)
    chain = svc.linked(req.id)
    assert [s.kind for s in chain.steps] == ["request", "accepted"]
    assert chain.addendum is not None and chain.addendum.id == done.addendum_id
    actions = [e["action"] for e in clinic.audit_events() if e["target_id"] == req.id]
    assert actions[:2] == ["amendment-request", "amendment-accept"]
    with pytest.raises(InvalidTransition, match="already accepted"):
        svc.deny(req.id, "accurate and complete")
    with pytest.raises(InvalidTransition, match="already accepted"):
        svc.accept(req.id, "again")
    with pytest.raises(InvalidTransition, match="follows a denial"):
        svc.record_disagreement(req.id, "I disagree")


def test_deny_requires_a_basis(clinic, login):
    dana = login("dana")
    note = _signed(clinic, dana)
    svc = AmendmentService(clinic, dana)
    req = svc.record_request(note.id, "Remove the diagnosis.")
    for empty in ("", "   "):
        with pytest.raises(ServiceError, match="basis"):
            svc.deny(req.id, empty)
    assert svc.linked(req.id).request.status == "pending"
    with pytest.raises(ServiceError, match="requested change"):
        svc.record_request(note.id, "  ")


def test_the_denial_chain_links_request_denial_disagreement_rebuttal(clinic, login):
    dana = login("dana")
    note = _signed(clinic, dana)
    svc = AmendmentService(clinic, dana)
    req = svc.record_request(note.id, "CHANGE-MARKER delete the line about low mood", "REASON-MARKER")
    with pytest.raises(InvalidTransition, match="disagreement"):
        svc.record_disagreement(req.id, "too early")
    svc.deny(req.id, "accurate and complete: BASIS-MARKER")
    with pytest.raises(InvalidTransition, match="no statement of disagreement"):
        svc.record_rebuttal(req.id, "too early")
    svc.record_disagreement(req.id, "DISAGREE-MARKER I was not low that day")
    with pytest.raises(InvalidTransition, match="already has a statement"):
        svc.record_disagreement(req.id, "a second statement")
    final = svc.record_rebuttal(req.id, "REBUT-MARKER the client's own words are quoted")
    with pytest.raises(InvalidTransition, match="already has a rebuttal"):
        svc.record_rebuttal(req.id, "second rebuttal")
    assert final.status == "denied" and final.disagreement and final.rebuttal_by == "u-dana"
    chain = svc.linked(req.id)
    assert [s.kind for s in chain.steps] == ["request", "denied", "disagreement", "rebuttal"]
    assert "BASIS-MARKER" in chain.steps[1].text and chain.addendum is None
    assert clinic.addenda(note.id) == [] and clinic.note(note.id).content_hash == note.content_hash
    text = export_markdown(clinic, dana, "cl-avery")
    markers = ["CHANGE-MARKER", "REASON-MARKER", "BASIS-MARKER", "DISAGREE-MARKER", "REBUT-MARKER"]
    positions = [text.index(m) for m in markers]
    assert positions == sorted(positions)
    assert text.index(note.text.splitlines()[0]) < positions[0]
    assert f"Amendment request {req.id} (denied)" in text
    actions = [e["action"] for e in clinic.audit_events() if e["target_id"] == req.id]
    assert {"amendment-request", "amendment-deny", "amendment-disagreement",
            "amendment-rebuttal"} <= set(actions)
    assert not any("MARKER" in str(e["detail"]) for e in clinic.audit_events())


def test_decided_requests_are_immutable_by_raw_sql(clinic, login):
    dana = login("dana")
    note = _signed(clinic, dana)
    svc = AmendmentService(clinic, dana)
    denied = svc.record_request(note.id, "change one")
    svc.deny(denied.id, "accurate and complete")
    accepted = svc.record_request(note.id, "change two")
    svc.accept(accepted.id, "the amendment")
    db, errors = clinic.db, clinic.errors
    for sql in (
        "UPDATE amendment_requests SET status = 'accepted' WHERE id = ?",
        "UPDATE amendment_requests SET decision_reason = 'changed later' WHERE id = ?",
        "UPDATE amendment_requests SET status = 'pending', decided_by = NULL WHERE id = ?",
        "UPDATE amendment_requests SET requested_change = 'rewritten' WHERE id = ?",
        "DELETE FROM amendment_requests WHERE id = ?",
    ):
        with pytest.raises(errors.IntegrityError):
            db.execute(sql, [denied.id])
    with pytest.raises(errors.IntegrityError, match="immutable"):
        db.execute("UPDATE amendment_requests SET addendum_id = NULL WHERE id = ?", [accepted.id])
    with pytest.raises(errors.IntegrityError):
        db.execute("UPDATE amendment_requests SET disagreement = 'x', disagreement_at = 'now' "
                   "WHERE id = ?", [accepted.id])  # only after a denial
    svc.record_disagreement(denied.id, "first")
    with pytest.raises(errors.IntegrityError, match="once"):
        db.execute("UPDATE amendment_requests SET disagreement = 'rewritten' WHERE id = ?", [denied.id])
    svc.record_rebuttal(denied.id, "rebuttal")
    with pytest.raises(errors.IntegrityError, match="once"):
        db.execute("UPDATE amendment_requests SET rebuttal = NULL WHERE id = ?", [denied.id])
    with pytest.raises(errors.IntegrityError, match="starts pending"):
        db.execute("INSERT INTO amendment_requests (id, note_id, client_id, received_at, received_by, "
                   "requested_change, reason, status) VALUES ('amd-x', ?, 'cl-avery', 'now', 'u-dana', "
                   "'x', '', 'accepted')", [note.id])
    row = next(clinic.db["amendment_requests"].rows_where("id = ?", [denied.id]))
    assert row["decision_reason"] == "accurate and complete" and row["disagreement"] == "first"


def test_permissions_admin_and_other_clinicians_are_denied(clinic, login):
    dana = login("dana")
    note = _signed(clinic, dana)
    req = AmendmentService(clinic, dana).record_request(note.id, "a change")
    clinic.add_user(User(id="u-kim", username="kim", display_name="Kim Other", role=Role.clinician))
    kim = clinic.user_by_name("kim")
    admin = login("admin")
    for actor in (admin, kim):
        svc = AmendmentService(clinic, actor)
        with pytest.raises(PermissionDenied):
            svc.record_request(note.id, "another change")
        with pytest.raises(PermissionDenied):
            svc.accept(req.id, "text")
        with pytest.raises(PermissionDenied):
            svc.deny(req.id, "accurate and complete")
        with pytest.raises(PermissionDenied):
            svc.linked(req.id)
    # a supervisor may decide; the trainee (no access to this client) may not even read
    with pytest.raises(PermissionDenied):
        AmendmentService(clinic, login("sam")).deny(req.id, "accurate and complete")
    assert AmendmentService(clinic, login("morgan")).deny(req.id, "accurate and complete").decided_by == "u-morgan"
    assert clinic.addenda(note.id) == []


def test_a_draft_note_refuses_a_request(clinic, login):
    dana = login("dana")
    draft = NoteService(clinic, dana).create_draft("cl-avery", "soap", "S: draft", dt.date(2026, 11, 21))
    with pytest.raises(InvalidTransition, match="only signed notes"):
        AmendmentService(clinic, dana).record_request(draft.id, "a change")
    assert list(clinic.db["amendment_requests"].rows) == []


def _cli(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def test_amend_cli_help_and_one_line_errors(tmp_path):
    db = tmp_path / "amend.db"
    assert _cli(db, "demo").exit_code == 0
    assert "164.526" in _cli(db, "amend", "--help").output
    for sub in ("request", "accept", "deny", "disagree", "rebut", "show"):
        result = _cli(db, "amend", sub, "--help")
        assert result.exit_code == 0 and "--as" in result.output
    store = Store(db)
    note_id = next(n.id for n in store.all_notes() if n.status.value == "signed")
    store.close()
    made = _cli(db, "amend", "request", note_id, "Please change the mood line", "--as", "dana")
    assert made.exit_code == 0, made.output
    req_id = made.stdout.split()[3]
    for args, expected in (
        (["deny", req_id, "--as", "dana"], "--basis"),
        (["deny", req_id, "--basis", "  ", "--as", "dana"], "basis"),
        (["accept", req_id, "--as", "dana"], "amendment text is required"),
        (["accept", req_id, "text", "--as", "admin"], "cannot"),
        (["disagree", req_id, "no", "--as", "dana"], "follows a denial"),
        (["show", "amd-nope", "--as", "dana"], "no amendment request"),
        (["request", "n-nope", "x", "--as", "dana"], "n-nope"),
    ):
        result = _cli(db, "amend", *args)
        assert result.exit_code == 2, (args, result.output)
        lines = [line for line in result.stderr.splitlines() if not line.startswith("note-assistant: note:")]
        assert len(lines) == 1 and expected in lines[0], (args, result.stderr)  # the demo note aside
        assert "Traceback" not in result.output
    assert _cli(db, "amend", "deny", req_id, "--basis", "accurate and complete", "--as", "dana").exit_code == 0
    assert _cli(db, "amend", "disagree", req_id, "I disagree", "--as", "dana").exit_code == 0
    assert _cli(db, "amend", "rebut", req_id, "The note stands", "--as", "dana").exit_code == 0
    again = _cli(db, "amend", "deny", req_id, "--basis", "x", "--as", "dana")
    assert again.exit_code == 2 and "already denied" in again.stderr
    shown = _cli(db, "amend", "show", req_id, "--as", "dana")
    assert shown.exit_code == 0
    order = [shown.stdout.index(f"[{k}]") for k in ("request", "denied", "disagreement", "rebuttal")]
    assert order == sorted(order)
