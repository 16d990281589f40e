"""Training-supervision grants: how a supervisor reads a trainee's psychotherapy notes.

Psychotherapy notes (45 CFR 164.501) are readable by their author only. The training exception
of 164.508(a)(2) lets a trainee's supervisor use them in a supervised training program: here
the trainee grants it explicitly, to their assigned supervisor, per client or per note, for a
limited time (and can revoke it sooner). Grants, revocations and every read through a grant
are audited under the "psychotherapy-note" category; a read without one is denied and audited.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from ..models import PsychotherapyNote, Role, User, new_id
from ..storage.audit import AuditEvent
from ..storage.store import Store
from .base import ActingService
from .errors import PermissionDenied, ServiceError

if TYPE_CHECKING:
    from .auth import Session

PSYCHOTHERAPY = "psychotherapy-note"
DEFAULT_DAYS = 30
MAX_DAYS = 365


class TrainingGrant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    trainee_id: str
    supervisor_id: str
    client_id: str
    pnote_id: str | None = None
    """One psychotherapy note, or None for all of the trainee's notes about the client."""
    granted_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None = None

    def active(self, now: dt.datetime) -> bool:
        return self.revoked_at is None and self.granted_at <= now < self.expires_at


def _grant(row: dict[str, object]) -> TrainingGrant:
    return TrainingGrant.model_validate({k: v for k, v in row.items() if v is not None})


class GrantService(ActingService):
    """Grant, revoke and read through training-supervision grants, as the session's user."""

    def __init__(self, store: Store, actor: User | Session) -> None:
        super().__init__(store, actor)

    # trainee -----------------------------------------------------------------------------
    def grant(self, client_id: str, *, days: int = DEFAULT_DAYS,
              pnote_id: str | None = None) -> TrainingGrant:
        """Let the actor's assigned supervisor read the actor's psychotherapy notes about a
        client (or one of them) for ``days`` days."""
        self._live()
        if self.actor.role != Role.trainee:
            raise PermissionDenied("only a trainee grants training-supervision access")
        if not self.actor.supervisor_id:
            raise PermissionDenied(f"{self.actor.username} has no assigned supervisor")
        if not 1 <= days <= MAX_DAYS:
            raise ServiceError(f"a training grant lasts 1 to {MAX_DAYS} days")
        client = self.store.client(client_id)
        if pnote_id is not None:
            own = {p.id for p in self.store.psychotherapy_notes(client.id)
                   if p.author_id == self.actor.id}
            if pnote_id not in own:
                raise ServiceError(f"no psychotherapy note {pnote_id} of yours for this client")
        now = self._now()
        grant = TrainingGrant(
            id=new_id("tg"), trainee_id=self.actor.id, supervisor_id=self.actor.supervisor_id,
            client_id=client.id, pnote_id=pnote_id, granted_at=now,
            expires_at=now + dt.timedelta(days=days),
        )
        row = grant.model_dump(mode="json")
        for key in ("granted_at", "expires_at"):  # one comparable text format: +00:00, seconds
            row[key] = getattr(grant, key).isoformat(timespec="seconds")
        self.store.add_training_grant(row, self._event(
            "training-grant", client.id, grant=grant.id, supervisor_id=grant.supervisor_id,
            pnote_id=pnote_id, days=days, expires_at=row["expires_at"]))
        return grant

    def revoke(self, grant_id: str) -> TrainingGrant:
        self._live()
        row = self.store.training_grant(grant_id)
        if row is None:
            raise ServiceError(f"no training grant {grant_id}")
        grant = _grant(row)
        if grant.trainee_id != self.actor.id:
            raise PermissionDenied("only the trainee who gave a grant can revoke it")
        if grant.revoked_at is not None:
            raise ServiceError(f"training grant {grant_id} is already revoked")
        now = self._now()
        self.store.revoke_training_grant(grant.id, now, self._event(
            "training-grant-revoke", grant.client_id, grant=grant.id))
        return grant.model_copy(update={"revoked_at": now})

    def grants(self) -> list[TrainingGrant]:
        """Grants the actor gave or received, newest first."""
        self._live()
        return [_grant(r) for r in self.store.training_grants(self.actor.id)]

    # supervisor --------------------------------------------------------------------------
    def psychotherapy_notes(self, trainee: str, client_id: str) -> list[PsychotherapyNote]:
        """A supervisee's psychotherapy notes about a client, through an active grant only.

        Every read is audited with the grant's id; without an active grant (none, expired,
        revoked, or the actor is no longer the trainee's supervisor) the read is denied and
        the denial is audited.
        """
        self._live()
        trainee_user = self._user(trainee)
        now = self._now()
        active = []
        if self.actor.role == Role.supervisor and trainee_user.supervisor_id == self.actor.id:
            active = [_grant(r) for r in self.store.active_training_grants(
                self.actor.id, trainee_user.id, client_id, now)]
        if not active:
            self._record(self._event("read-denied", client_id, trainee_id=trainee_user.id,
                                     basis="training-grant"))
            raise PermissionDenied(
                f"{self.actor.username} has no active training-supervision grant from "
                f"{trainee_user.username} for this client (the trainee grants it)")
        whole_client = any(g.pnote_id is None for g in active)
        allowed = {g.pnote_id for g in active}
        notes = [p for p in self.store.psychotherapy_notes(client_id)
                 if p.author_id == trainee_user.id and (whole_client or p.id in allowed)]
        self._record(self._event(
            "read", client_id, basis=f"training-grant:{','.join(g.id for g in active)}",
            trainee_id=trainee_user.id, notes=len(notes), ids=[p.id for p in notes]))
        return notes

    # helpers -----------------------------------------------------------------------------
    def _user(self, name_or_id: str) -> User:
        from ..storage.store import NotFound

        try:
            return self.store.user(name_or_id)
        except NotFound:
            return self.store.user_by_name(name_or_id)

    def _event(self, action: str, client_id: str, **detail: object) -> AuditEvent:
        return self._audit_event(action, target_type="psychotherapy_note", client_id=client_id,
                                 category=PSYCHOTHERAPY, detail=detail)

    def _record(self, event: AuditEvent) -> None:
        self._audit_read(event)
