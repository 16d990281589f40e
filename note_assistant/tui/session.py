"""The signed-in session: who is acting, and the services that act for them.

The acting user comes from here and is never chosen per action (RELIABILITY.md 10).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..models import Client, Note, NoteStatus, Role, User
from ..services import NoteService
from ..services.drafts import DraftService
from ..services.findings import FindingService
from ..storage.store import Store

if TYPE_CHECKING:
    from .auth import SignedIn

Clock = Callable[[], dt.datetime]
EDITABLE = (NoteStatus.draft, NoteStatus.revision_requested)
WRITERS = (Role.clinician, Role.trainee, Role.supervisor)


def system_clock() -> dt.datetime:
    return dt.datetime.now().astimezone()


@dataclass
class Session:
    """One signed-in user and their services."""

    store: Store
    user: User
    clock: Clock = system_clock
    auth: Any = None
    """The password service's session (audit source, idle lock), when there is one."""
    passwordless: bool = False
    """Signed in to an account without a password (demo databases)."""
    notes: NoteService = field(init=False)
    drafts: DraftService = field(init=False)
    findings: FindingService = field(init=False)

    def __post_init__(self) -> None:
        actor = self.auth if self.auth is not None else self.user
        self.notes = NoteService(self.store, actor)
        self.drafts = DraftService(self.store, actor)
        self.findings = FindingService(self.store, actor)

    @classmethod
    def from_sign_in(cls, store: Store, signed_in: "SignedIn", clock: Clock) -> "Session":
        return cls(store, signed_in.user, clock, auth=signed_in.auth,
                   passwordless=signed_in.passwordless)

    @property
    def signed_in(self) -> "SignedIn":
        from .auth import SignedIn

        return SignedIn(self.user, self.auth, self.passwordless)

    def touch(self) -> None:
        """Activity (a key or a click): keeps the service's idle clock in step with the app's."""
        if self.auth is not None and hasattr(self.auth, "touch"):
            self.auth.touch()

    def lock(self) -> None:
        if self.auth is not None and hasattr(self.auth, "lock"):
            self.auth.lock("idle")

    @property
    def service_locked(self) -> bool:
        return bool(self.auth is not None and hasattr(self.auth, "is_locked") and self.auth.is_locked())

    @property
    def today(self) -> dt.date:
        return self.clock().date()

    @property
    def can_write(self) -> bool:
        return self.user.role in WRITERS

    @property
    def label(self) -> str:
        return f"{self.user.display_name} ({self.user.role.value})"

    def visible_clients(self) -> list[Client]:
        """Supervisors see every client; clinicians and trainees their own; admins none."""
        if self.user.role == Role.admin:
            return []
        clients = self.store.clients()
        if self.user.role == Role.supervisor:
            return clients
        return [c for c in clients if c.clinician_id == self.user.id]

    def can_see(self, client_id: str) -> bool:
        return any(c.id == client_id for c in self.visible_clients())

    def open_drafts(self) -> list[Note]:
        return [n for n in self.store.notes_by_author(self.user.id) if n.status in EDITABLE]

    def todays_notes(self) -> list[Note]:
        today = self.today
        return [n for c in self.visible_clients() for n in self.store.notes_for_client(c.id)
                if n.date_of_service == today]

    def search(self, term: str) -> list[Note]:
        """Progress notes only (psychotherapy notes are never searched), of visible clients."""
        visible = {c.id for c in self.visible_clients()}
        return [n for n in self.store.search_notes(term) if n.client_id in visible] if term else []
