"""RELIABILITY 5 and 11: every review move, from every state, by every role, in one table.

The expected outcome of each (status, action, actor) is written out below from the issue's
rules, not derived from the service: author = sam (trainee, supervised by morgan); quinn is
another supervisor; dana a clinician; admin reads no clinical records.
"""

from __future__ import annotations

import itertools

import pytest

from note_assistant.models import NoteStatus
from note_assistant.services import InvalidTransition, NoteService, PermissionDenied

from .support import TODAY, draft, review

OK, DENIED, ILLEGAL = "ok", PermissionDenied, InvalidTransition
ACTORS = ["u-sam", "u-morgan", "u-quinn", "u-dana", "u-admin"]
STATUSES = [NoteStatus.draft, NoteStatus.pending_review, NoteStatus.revision_requested,
            NoteStatus.cosigned]
ACTIONS = ["submit", "edit", "comment", "return", "cosign", "sign"]

E = {NoteStatus.draft, NoteStatus.revision_requested}  # editable / submittable

#: action -> actor -> statuses where it is legal (else ILLEGAL); a missing actor: DENIED.
LEGAL = {
    "submit": {"u-sam": E},
    "edit": {"u-sam": E},
    "comment": {"u-morgan": {NoteStatus.pending_review}},
    "return": {"u-morgan": {NoteStatus.pending_review}},
    "cosign": {"u-morgan": {NoteStatus.pending_review}},
    "sign": {},  # a trainee never signs; nobody signs someone else's note
}
AFTER = {"submit": NoteStatus.pending_review, "return": NoteStatus.revision_requested,
         "cosign": NoteStatus.cosigned}


def expected(status: NoteStatus, action: str, actor: str) -> object:
    legal = LEGAL[action]
    if actor not in legal:
        return DENIED
    return OK if status in legal[actor] else ILLEGAL


def _note_in(store, status: NoteStatus):
    note = draft(store)
    if status == NoteStatus.draft:
        return note
    review(store, "u-sam").submit(note.id, today=TODAY)
    if status == NoteStatus.revision_requested:
        review(store, "u-morgan").return_for_revision(note.id, summary="Add the PCL-5 trend.")
    elif status == NoteStatus.cosigned:
        review(store, "u-morgan").cosign(note.id)
    assert store.note(note.id).status == status
    return note


def _do(store, action: str, actor: str, note_id: str) -> None:
    user = store.user(actor)
    if action == "submit":
        review(store, actor).submit(note_id, today=TODAY)
    elif action == "edit":
        NoteService(store, user).update_draft(note_id, text=store.note(note_id).text + " Edited.")
    elif action == "comment":
        review(store, actor).comment_on(note_id, "PCL-5 = 41", "Compare with last week's score.")
    elif action == "return":
        review(store, actor).return_for_revision(note_id, summary="Please revise.")
    elif action == "cosign":
        review(store, actor).cosign(note_id)
    elif action == "sign":
        NoteService(store, user).sign(note_id)


CASES = list(itertools.product(STATUSES, ACTIONS, ACTORS))


def test_the_table_has_legal_and_illegal_moves_for_every_role():
    outcomes = {(a, actor): {expected(s, a, actor) for s in STATUSES}
                for a, actor in itertools.product(ACTIONS, ACTORS)}
    assert len(CASES) == 4 * 6 * 5
    assert outcomes[("cosign", "u-morgan")] == {OK, ILLEGAL}
    assert outcomes[("cosign", "u-sam")] == {DENIED}  # the author cannot co-sign
    assert outcomes[("edit", "u-sam")] == {OK, ILLEGAL}  # not while pending, not once co-signed


@pytest.mark.parametrize(("status", "action", "actor"), CASES,
                         ids=[f"{s.value}-{a}-{u[2:]}" for s, a, u in CASES])
def test_transition(clinic, status, action, actor):
    note = _note_in(clinic, status)
    want = expected(status, action, actor)
    if want == OK:
        _do(clinic, action, actor, note.id)
        assert clinic.note(note.id).status == AFTER.get(action, status)
    else:
        before = clinic.note(note.id)
        with pytest.raises(want):
            _do(clinic, action, actor, note.id)
        after = clinic.note(note.id)
        assert after == before  # a refused move changes nothing
        assert len(clinic.review_comments(note.id)) == 0 or status != NoteStatus.pending_review \
            or action != "comment"


def test_full_cycle_of_legal_moves(clinic):
    """draft -> pending -> revision -> pending -> revision -> pending -> cosigned."""
    note = draft(clinic)
    sam, morgan = review(clinic, "u-sam"), review(clinic, "u-morgan")
    seen = [clinic.note(note.id).status]
    for _ in range(2):
        sam.submit(note.id, today=TODAY)
        seen.append(clinic.note(note.id).status)
        morgan.return_for_revision(note.id, summary="Again.")
        seen.append(clinic.note(note.id).status)
    sam.submit(note.id, today=TODAY)
    seen.append(clinic.note(note.id).status)
    morgan.cosign(note.id)
    seen.append(clinic.note(note.id).status)
    assert [s.value for s in seen] == ["draft", "pending_review", "revision_requested",
                                       "pending_review", "revision_requested", "pending_review",
                                       "cosigned"]
    assert [r["round"] for r in clinic.review_rounds(note.id)] == [1, 2, 3]


@pytest.mark.parametrize("status", [NoteStatus.draft, NoteStatus.signed])
@pytest.mark.parametrize(("action", "actor"), [
    ("submit", "u-dana"), ("comment", "u-morgan"), ("return", "u-morgan"), ("cosign", "u-morgan"),
])
def test_a_clinicians_own_notes_are_signed_not_reviewed(clinic, status, action, actor):
    from .support import GOOD

    dana = NoteService(clinic, clinic.user("u-dana"))
    note = dana.create_draft("cl-avery", "soap", GOOD, TODAY)
    if status == NoteStatus.signed:
        dana.sign(note.id)
    with pytest.raises(PermissionDenied):
        _do(clinic, action, actor, note.id)


def test_other_supervisors_trainee_is_not_morgans(clinic):
    note = draft(clinic, author="u-casey")
    review(clinic, "u-casey").submit(note.id, today=TODAY)
    with pytest.raises(PermissionDenied, match="assigned supervisor"):
        review(clinic, "u-morgan").cosign(note.id)
    review(clinic, "u-quinn").cosign(note.id)
    assert clinic.note(note.id).cosigner_id == "u-quinn"


def test_trainee_without_a_supervisor_cannot_submit(clinic):
    from note_assistant.models import Role, User

    clinic.add_user(User(id="u-lone", username="lone", display_name="Lone Trainee",
                         role=Role.trainee))
    note = draft(clinic, author="u-lone")
    with pytest.raises(PermissionDenied, match="no assigned supervisor"):
        review(clinic, "u-lone").submit(note.id, today=TODAY)
