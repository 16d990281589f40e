"""Client amendment requests (45 CFR 164.526): the client asks for a change to a signed note.

::

    pending --accept--> accepted  (an addendum "Amendment at client request <id>" carries it)
    pending --deny----> denied --disagreement--> (client's statement) --rebuttal--> (clinician's)

Only signed or co-signed notes take requests. A pending request is decided once; a denial
needs its basis (164.526(a)(2): not created by us, not part of the designated record set, not
available for inspection, accurate and complete). After a denial the client's statement of
disagreement and then the clinician's rebuttal can each be recorded once (164.526(d)); the
signed note itself never changes. Triggers in migration ``m005_amendments`` back every rule.

Who may act: any non-admin with treatment access to the client (the client's clinician, the
note's author, a supervisor) records a request or a client's disagreement; only the note's
author or a supervisor decides and rebuts (the same people who may add an addendum). Admins
and other clinicians are refused. Every action and read is audited in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

from ..models import Addendum, Note, NoteStatus, Role, User, new_id
from ..storage import audit
from ..storage.audit import AuditEvent
from ..storage.store import NotFound, Store, _from_row
from .access import read_basis
from .base import ActingService
from .errors import InvalidTransition, PermissionDenied, ServiceError
from .notes import NoteService

if TYPE_CHECKING:
    from .auth import Session

PROGRESS = "progress-note"
FINAL = {NoteStatus.signed, NoteStatus.cosigned}
MAX_TEXT = 20_000
DENIAL_BASES = (
    "not created by us",
    "not part of the designated record set",
    "not available for inspection (164.524)",
    "accurate and complete",
)
"""The grounds of 164.526(a)(2); the basis is free text, these are the usual wordings."""


class AmendmentRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    note_id: str
    client_id: str
    received_at: dt.datetime
    received_by: str
    requested_change: str
    reason: str
    status: Literal["pending", "accepted", "denied"]
    decided_by: str | None = None
    decided_at: dt.datetime | None = None
    decision_reason: str | None = None
    addendum_id: str | None = None
    disagreement: str | None = None
    disagreement_at: dt.datetime | None = None
    disagreement_by: str | None = None
    rebuttal: str | None = None
    rebuttal_by: str | None = None
    rebuttal_at: dt.datetime | None = None


@dataclass(frozen=True)
class Step:
    """One link of the chain: what happened, when, recorded by whom, and its text."""

    kind: Literal["request", "accepted", "denied", "disagreement", "rebuttal"]
    at: dt.datetime
    by: str
    text: str


@dataclass(frozen=True)
class Chain:
    """A request with everything linked to it, in order."""

    request: AmendmentRequest
    addendum: Addendum | None
    steps: tuple[Step, ...]


def _name(store: Store, user_id: str | None) -> str:
    if not user_id:
        return "unknown"
    try:
        user = store.user(user_id)
    except NotFound:
        return user_id
    return f"{user.display_name}, {user.credentials}" if user.credentials else user.display_name


def _chain(store: Store, request: AmendmentRequest) -> Chain:
    addendum = next((a for a in store.addenda(request.note_id) if a.id == request.addendum_id), None)
    steps = [Step("request", request.received_at, _name(store, request.received_by),
                  request.requested_change + (f"\nReason given: {request.reason}" if request.reason else ""))]
    if request.status == "accepted" and request.decided_at:
        steps.append(Step("accepted", request.decided_at, _name(store, request.decided_by),
                          f"Amended by addendum {request.addendum_id}"))
    elif request.status == "denied" and request.decided_at:
        steps.append(Step("denied", request.decided_at, _name(store, request.decided_by),
                          request.decision_reason or ""))
    if request.disagreement is not None and request.disagreement_at:
        steps.append(Step("disagreement", request.disagreement_at,
                          _name(store, request.disagreement_by), request.disagreement))
    if request.rebuttal is not None and request.rebuttal_at:
        steps.append(Step("rebuttal", request.rebuttal_at, _name(store, request.rebuttal_by),
                          request.rebuttal))
    return Chain(request, addendum, tuple(steps))


def chains_for_note(store: Store, note_id: str) -> list[Chain]:
    """Every amendment request on a note with its chain, oldest first (no access check: the
    caller has already read the note through :class:`NoteService`, e.g. an export)."""
    rows = store.db["amendment_requests"].rows_where(
        "note_id = ?", [note_id], order_by="received_at, rowid")
    return [_chain(store, _from_row(AmendmentRequest, r)) for r in rows]


class AmendmentService(ActingService):
    def __init__(self, store: Store, actor: User | Session) -> None:
        super().__init__(store, actor)

    # actions -----------------------------------------------------------------------------
    def record_request(self, note_id: str, requested_change: str, reason: str = "") -> AmendmentRequest:
        """Record a client's written request to amend a signed note."""
        self._live()
        note = self.store.note(note_id)
        self._require_access(note, "record an amendment request")
        if note.status not in FINAL:
            raise InvalidTransition(
                f"note {note.id} is {note.status.value}: only signed notes take amendment requests")
        change = _text(requested_change, "the requested change")
        request = AmendmentRequest(
            id=new_id("amd"), note_id=note.id, client_id=note.client_id, received_at=self._now(),
            received_by=self.actor.id, requested_change=change, reason=(reason or "").strip(),
            status="pending",
        )
        with self.store.write():
            self.store.db["amendment_requests"].insert(request.model_dump(mode="json"))
            audit.append(self.store.db, self._event("amendment-request", request))
        return request

    def accept(self, request_id: str, amendment_text: str) -> AmendmentRequest:
        """Accept: an addendum on the signed note carries the amendment and is linked."""
        self._live()
        request, note = self._load(request_id)
        self._require_decider(note, "decide an amendment request")
        self._require_pending(request)
        text = _text(amendment_text, "the amendment text")
        now = self._now()
        with self.store.write():
            addendum = NoteService(self.store, self.session or self.actor).add_addendum(
                note.id, f"Amendment at client request {request.id}", text)
            changes = {"status": "accepted", "decided_by": self.actor.id,
                       "decided_at": now.isoformat(), "addendum_id": addendum.id}
            self.store.db["amendment_requests"].update(request.id, changes)
            audit.append(self.store.db, self._event("amendment-accept", request, addendum=addendum.id))
        return self._get(request.id)

    def deny(self, request_id: str, basis: str) -> AmendmentRequest:
        """Deny with the basis (164.526(a)(2)/(d)(1)(i)); the note stays as signed."""
        self._live()
        request, note = self._load(request_id)
        self._require_decider(note, "decide an amendment request")
        self._require_pending(request)
        basis = _text(basis, "the basis for the denial (e.g. 'accurate and complete')")
        with self.store.write():
            self.store.db["amendment_requests"].update(request.id, {
                "status": "denied", "decided_by": self.actor.id,
                "decided_at": self._now().isoformat(), "decision_reason": basis})
            audit.append(self.store.db, self._event("amendment-deny", request))
        return self._get(request.id)

    def record_disagreement(self, request_id: str, text: str) -> AmendmentRequest:
        """The client's written statement of disagreement with a denial (164.526(d)(1)(iii))."""
        self._live()
        request, note = self._load(request_id)
        self._require_access(note, "record a statement of disagreement")
        if request.status != "denied":
            raise InvalidTransition(
                f"request {request.id} is {request.status}: a disagreement follows a denial")
        if request.disagreement is not None:
            raise InvalidTransition(f"request {request.id} already has a statement of disagreement")
        body = _text(text, "the statement of disagreement")
        with self.store.write():
            self.store.db["amendment_requests"].update(request.id, {
                "disagreement": body, "disagreement_at": self._now().isoformat(),
                "disagreement_by": self.actor.id})
            audit.append(self.store.db, self._event("amendment-disagreement", request))
        return self._get(request.id)

    def record_rebuttal(self, request_id: str, text: str) -> AmendmentRequest:
        """The clinician's rebuttal to the client's disagreement (164.526(d)(3))."""
        self._live()
        request, note = self._load(request_id)
        self._require_decider(note, "write a rebuttal")
        if request.disagreement is None:
            raise InvalidTransition(f"request {request.id} has no statement of disagreement to rebut")
        if request.rebuttal is not None:
            raise InvalidTransition(f"request {request.id} already has a rebuttal")
        body = _text(text, "the rebuttal")
        with self.store.write():
            self.store.db["amendment_requests"].update(request.id, {
                "rebuttal": body, "rebuttal_by": self.actor.id,
                "rebuttal_at": self._now().isoformat()})
            audit.append(self.store.db, self._event("amendment-rebuttal", request))
        return self._get(request.id)

    # reads -------------------------------------------------------------------------------
    def linked(self, request_id: str) -> Chain:
        """The request, its decision, the disagreement and the rebuttal, in order (audited)."""
        self._live()
        request, note = self._load(request_id)
        self._require_access(note, "read amendment requests")
        if not self.store.readonly:
            self.store.record(self._event("read", request))
        return _chain(self.store, request)

    def for_note(self, note_id: str) -> list[Chain]:
        self._live()
        note = self.store.note(note_id)
        self._require_access(note, "read amendment requests")
        if not self.store.readonly:
            self.store.record(self._audit_event(
                "read", target_type="note", target_id=note.id, client_id=note.client_id,
                category=PROGRESS, detail={"amendment_requests": True}))
        return chains_for_note(self.store, note.id)

    # helpers -----------------------------------------------------------------------------
    def _get(self, request_id: str) -> AmendmentRequest:
        rows = list(self.store.db["amendment_requests"].rows_where("id = ?", [request_id]))
        if not rows:
            raise NotFound(f"no amendment request {request_id}")
        return _from_row(AmendmentRequest, rows[0])

    def _load(self, request_id: str) -> tuple[AmendmentRequest, Note]:
        request = self._get(request_id)
        return request, self.store.note(request.note_id)

    def _require_pending(self, request: AmendmentRequest) -> None:
        if request.status != "pending":
            raise InvalidTransition(f"request {request.id} is already {request.status}")

    def _require_access(self, note: Note, action: str) -> None:
        """Treatment access: the note's author, the client's clinician or a supervisor."""
        if self.actor.role == Role.admin or not self.actor.active:
            raise PermissionDenied(f"a {self.actor.role.value} cannot {action}")
        if note.author_id == self.actor.id:
            return
        basis = read_basis(self.store, self.actor, self.store.client(note.client_id), self._now())
        if basis not in ("clinician", "supervisor"):
            raise PermissionDenied(f"{self.actor.username} cannot {action} for this client")

    def _require_decider(self, note: Note, action: str) -> None:
        """The note's author or a supervisor (those who may add the addendum)."""
        self._require_access(note, action)
        if note.author_id != self.actor.id and self.actor.role != Role.supervisor:
            raise PermissionDenied(f"only the note's author or a supervisor can {action}")

    def _event(self, action: str, request: AmendmentRequest, **detail: object) -> AuditEvent:
        return self._audit_event(action, target_type="amendment_request", target_id=request.id,
                                 client_id=request.client_id, category=PROGRESS,
                                 detail={"note_id": request.note_id, **detail})


def _text(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ServiceError(f"{what} is required")
    if len(value) > MAX_TEXT:
        raise ServiceError(f"{what} is longer than {MAX_TEXT} characters")
    return value
