"""What every acting service shares: the acting user from the session, liveness, audit events."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..models import User
from ..storage.audit import AuditEvent
from ..storage.store import Store

if TYPE_CHECKING:
    from .auth import Session


class ActingService:
    """A service acting for one user. Pass the signed-in ``Session`` (or, in scripts and tests,
    a ``User``); the actor is never a parameter of an action."""

    def __init__(self, store: Store, actor: "User | Session") -> None:
        self.store = store
        self.session: Session | None = None if isinstance(actor, User) else actor
        self.actor: User = actor if isinstance(actor, User) else actor.user

    def _now(self) -> dt.datetime:
        now = self.session.clock() if self.session else dt.datetime.now(dt.timezone.utc)
        return now.astimezone(dt.timezone.utc).replace(microsecond=0)

    def _live(self) -> None:
        """Refuse a locked or ended session, and count the call as activity."""
        if self.session is not None:
            self.session.require_active()
            self.session.touch()

    def _audit_event(self, action: str, **kwargs: object) -> AuditEvent:
        if self.session is not None:
            return self.session.event(action, **kwargs)
        return AuditEvent(action=action, actor_id=self.actor.id, actor=self.actor.username,
                          **kwargs)  # type: ignore[arg-type]

    def _audit_read(self, event: AuditEvent) -> None:
        """Reads are audited too; a read-only (damaged) database cannot record them."""
        if not self.store.readonly:
            self.store.record(event)
