"""The whole loop through the service API: write, submit, comment, return, revise, resubmit,
co-sign; every round kept; the co-signed note hashed (co-signer included) and immutable."""

from __future__ import annotations

import datetime as dt

import pytest

from note_assistant.models import Note, NoteStatus, content_hash, note_hash
from note_assistant.services import InvalidTransition, NoteService, ServiceError
from note_assistant.services.findings import FindingService, UnresolvedFindings

from .support import GOOD, TODAY, draft, review


def _events(store, action):
    return [e for e in store.audit_events(action=action)]


def test_trainee_writes_supervisor_returns_trainee_revises_supervisor_cosigns(clinic):
    sam, morgan = review(clinic, "u-sam"), review(clinic, "u-morgan")
    note = draft(clinic)
    sam.submit(note.id, today=TODAY)
    queue = morgan.queue(today=TODAY)
    assert note.id in [i.note.id for i in queue]
    c1 = morgan.comment_on(note.id, "avoiding the bus route", "Which situations exactly?")
    assert note.text[c1.start:c1.end] == "avoiding the bus route"
    morgan.return_for_revision(note.id, ratings={"objectivity": 2, "completeness": 3},
                               summary="Good start.")
    returned = clinic.note(note.id)
    assert returned.status == NoteStatus.revision_requested
    # the trainee sees the comments and revises
    rounds = sam.rounds(note.id)
    assert [(r.round, r.decision) for r in rounds] == [(1, "returned")]
    assert rounds[0].comments[0].comment == "Which situations exactly?"
    revised = "Preface line.\n" + GOOD.replace("avoiding the bus route", "avoiding the bus route "
                                              "(bus 12, the crossing)")
    NoteService(clinic, clinic.user("u-sam")).update_draft(note.id, text=revised)
    start, end = rounds[0].comments[0].locate(revised)
    assert revised[start:end] == "avoiding the bus route"
    sam.submit(note.id, today=TODAY)
    morgan.comment(note.id, 0, 13, "Remove this line.", quote="Preface line.")
    cosigned = morgan.cosign(note.id, ratings={"objectivity": 4})

    stored = clinic.note(note.id)
    assert stored == cosigned
    assert stored.status == NoteStatus.cosigned
    assert (stored.signer_id, stored.cosigner_id) == ("u-sam", "u-morgan")
    assert stored.cosigned_at is not None and stored.signed_at is not None
    assert stored.content_hash == note_hash(stored)
    assert NoteService(clinic, clinic.user("u-morgan")).verify(note.id)
    rounds = morgan.rounds(note.id)
    assert [(r.round, r.decision, r.ratings) for r in rounds] == [
        (1, "returned", {"completeness": 3, "objectivity": 2}), (2, "cosigned", {"objectivity": 4})]
    assert [len(r.comments) for r in rounds] == [1, 1]
    assert rounds[0].summary == "Good start." and rounds[0].comments[0].quote == "avoiding the bus route"
    assert all(r.reviewer_id == "u-morgan" and r.decided_at for r in rounds)
    for action in ("submit", "review-comment", "return", "cosign"):
        assert any(e["target_id"] == note.id for e in _events(clinic, action)), action
    cosign_row = [e for e in _events(clinic, "cosign") if e["target_id"] == note.id][0]
    assert cosign_row["actor"] == "morgan" and cosign_row["detail"]["content_hash"] == stored.content_hash
    assert note.id not in [i.note.id for i in morgan.queue(today=TODAY)]


def test_cosigned_note_is_immutable_in_the_database(clinic):
    note = draft(clinic)
    review(clinic, "u-sam").submit(note.id, today=TODAY)
    review(clinic, "u-morgan").cosign(note.id)
    err = clinic.errors
    with pytest.raises(err.IntegrityError):
        clinic.db.execute("UPDATE notes SET text = 'changed' WHERE id = ?", [note.id])
    with pytest.raises(err.IntegrityError):
        clinic.db["notes"].update(note.id, {"cosigner_id": "u-quinn"})
    with pytest.raises(err.IntegrityError):
        clinic.db.execute("DELETE FROM notes WHERE id = ?", [note.id])
    with pytest.raises(err.IntegrityError):  # a decided round is kept as decided
        clinic.db.execute("UPDATE review_rounds SET decision = 'returned' WHERE note_id = ?", [note.id])
    with pytest.raises(err.IntegrityError):
        clinic.db.execute("DELETE FROM review_rounds WHERE note_id = ?", [note.id])
    with pytest.raises(InvalidTransition):
        NoteService(clinic, clinic.user("u-sam")).update_draft(note.id, text="x")
    addendum = NoteService(clinic, clinic.user("u-sam")).add_addendum(note.id, "typo", "Bus 12.")
    assert addendum.original_hash == clinic.note(note.id).content_hash


def test_pending_note_text_is_frozen_by_a_trigger_too(clinic):
    note = draft(clinic)
    review(clinic, "u-sam").submit(note.id, today=TODAY)
    with pytest.raises(clinic.errors.IntegrityError, match="pending review"):
        clinic.db.execute("UPDATE notes SET text = 'sneaky' WHERE id = ?", [note.id])


def test_hash_covers_the_cosigner_and_old_signed_hashes_still_verify(clinic):
    note = draft(clinic)
    review(clinic, "u-sam").submit(note.id, today=TODAY)
    cosigned = review(clinic, "u-morgan").cosign(note.id)
    assert note_hash(cosigned.model_copy(update={"cosigner_id": "u-quinn"})) != cosigned.content_hash
    later = cosigned.cosigned_at + dt.timedelta(seconds=1)
    assert note_hash(cosigned.model_copy(update={"cosigned_at": later})) != cosigned.content_hash
    # a note signed without a co-signer hashes exactly as before co-signing existed
    signed = next(n for n in clinic.notes_for_client("cl-avery") if n.status == NoteStatus.signed)
    legacy = content_hash({k: getattr(signed, k) for k in (
        "id", "client_id", "author_id", "format", "text", "date_of_service", "start_time",
        "end_time", "cpt", "modality", "diagnosis", "signer_id", "signed_at")})
    assert signed.content_hash == legacy == note_hash(signed)
    assert NoteService(clinic, clinic.user("u-dana")).verify(signed.id)


def test_submit_refuses_open_error_findings_like_signing(clinic):
    note = draft(clinic, start_time=None, end_time=None)  # DOC-NO-TIME is an error
    with pytest.raises(UnresolvedFindings, match="DOC-NO-TIME"):
        review(clinic, "u-sam").submit(note.id, today=TODAY)
    assert clinic.note(note.id).status == NoteStatus.draft
    checks = FindingService(clinic, clinic.user("u-sam"))
    for f in checks.blocking(note.id, today=TODAY):
        checks.dismiss(note.id, f, "Telehealth session; times in the scheduling system.")
    review(clinic, "u-sam").submit(note.id, today=TODAY)
    item = next(i for i in review(clinic, "u-morgan").queue(today=TODAY) if i.note.id == note.id)
    assert [d.reason for d in item.dismissals] == ["Telehealth session; times in the scheduling system."]
    assert "DOC-NO-TIME" not in [f.rule_id for f in item.open_findings]


def test_queue_is_oldest_first_with_open_findings_and_only_supervisees(clinic):
    from .support import GOOD as text

    morgan = review(clinic, "u-morgan")
    demo_ids = [i.note.id for i in morgan.queue(today=TODAY)]
    assert len(demo_ids) == 2  # the demo: one resubmitted after a returned round, one new
    rounds = [len(clinic.review_rounds(n)) for n in demo_ids]
    assert sorted(rounds) == [1, 2]
    stigma = draft(clinic, text=text.replace("affect anxious", "client was manipulative"))
    review(clinic, "u-sam").submit(stigma.id, today=TODAY)
    casey_note = draft(clinic, author="u-casey")
    review(clinic, "u-casey").submit(casey_note.id, today=TODAY)
    queue = morgan.queue(today=TODAY)
    ids = [i.note.id for i in queue]
    assert ids[-1] == stigma.id and casey_note.id not in ids
    submitted = [i.round.submitted_at for i in queue]
    assert submitted == sorted(submitted)
    assert "STIG-MANIPULATIVE" in [f.rule_id for f in queue[-1].open_findings]
    assert [i.note.id for i in review(clinic, "u-quinn").queue(today=TODAY)] == [casey_note.id]
    reads = [e for e in clinic.audit_events(action="read") if e["actor"] == "morgan"
             and e["detail"].get("view") == "queue"]
    assert {e["target_id"] for e in reads} >= set(ids)


@pytest.mark.parametrize("user", ["u-dana", "u-sam", "u-admin"])
def test_only_supervisors_have_a_queue(clinic, user):
    from note_assistant.services import PermissionDenied

    with pytest.raises(PermissionDenied):
        review(clinic, user).queue(today=TODAY)


def test_comment_spans_are_checked(clinic):
    note = draft(clinic)
    review(clinic, "u-sam").submit(note.id, today=TODAY)
    morgan = review(clinic, "u-morgan")
    with pytest.raises(ServiceError, match="outside"):
        morgan.comment(note.id, 5, len(note.text) + 1, "x")
    with pytest.raises(ServiceError, match="outside"):
        morgan.comment(note.id, 5, 5, "x")
    with pytest.raises(ServiceError, match="not the quoted text"):
        morgan.comment(note.id, 0, 5, "x", quote="Hello")
    with pytest.raises(ServiceError, match="needs text"):
        morgan.comment(note.id, 0, 5, "   ")
    with pytest.raises(ServiceError, match="not in the note"):
        morgan.comment_on(note.id, "not there", "x")
    with pytest.raises(ServiceError, match="comment or a summary"):
        morgan.return_for_revision(note.id)
    assert clinic.note(note.id).status == NoteStatus.pending_review


def test_review_view_is_for_author_and_reviewer_only_and_audited(clinic):
    from note_assistant.services import PermissionDenied

    note = draft(clinic)
    review(clinic, "u-sam").submit(note.id, today=TODAY)
    view = review(clinic, "u-morgan").view(note.id, today=TODAY)
    assert view.note.id == note.id and view.rounds[0].decision is None
    assert review(clinic, "u-sam").view(note.id, today=TODAY).note.text == note.text
    for other in ("u-quinn", "u-dana", "u-admin"):
        with pytest.raises(PermissionDenied):
            review(clinic, other).view(note.id, today=TODAY)
    denied = [e["actor"] for e in clinic.audit_events(action="read-denied")
              if e["target_id"] == note.id]
    assert denied == ["quinn", "dana", "admin"]


def test_note_model_round_trips_new_columns(clinic):
    note = draft(clinic)
    assert Note.model_validate(clinic.note(note.id).model_dump()).cosigner_id is None
