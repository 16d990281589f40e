"""Who may read a client's record, and break-glass (emergency) access.

Progress notes of a client are readable by the client's clinician, by the author of a note,
by supervisors, and, for a limited time, by a pre-assigned break-glass user who gives a
reason. Admin accounts read no clinical records. Psychotherapy notes are readable by their
author only: break-glass never opens them (45 CFR 164.508(a)(2)).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..models import Client, Role, User, new_id
from ..storage.store import Store
from .errors import PermissionDenied, ServiceError

if TYPE_CHECKING:
    from .auth import Session

MIN_REASON = 10
DEFAULT_MINUTES = 60
MAX_MINUTES = 240


def read_basis(store: Store, user: User, client: Client, now: dt.datetime) -> str | None:
    """Why ``user`` may read ``client``'s progress notes ("clinician", "supervisor",
    "break-glass:<grant id>"), or None."""
    if not user.active or user.role == Role.admin:
        return None
    if client.clinician_id == user.id:
        return "clinician"
    if user.role == Role.supervisor:
        return "supervisor"
    grant = store.active_grant(user.id, client.id, now)
    return f"break-glass:{grant['id']}" if grant else None


def require_read(store: Store, user: User, client: Client, now: dt.datetime) -> str:
    basis = read_basis(store, user, client, now)
    if basis is None:
        raise PermissionDenied(
            f"{user.username} has no access to this client's record"
            + ("" if user.role == Role.admin else " (break-glass access needs a reason)")
        )
    return basis


def break_glass(
    session: Session, client_id: str, reason: str, minutes: int = DEFAULT_MINUTES,
) -> dict[str, object]:
    """Grant the session's user temporary read access to another clinician's client.

    Only users an admin flagged for break-glass may do this; the reason, the time limit and
    the grant are audited, and every read under it is audited with the grant's id.
    """
    session.require_active()
    store, user = session.store, session.user
    if not store.security(user.id)["break_glass"]:
        raise PermissionDenied(f"{user.username} is not a break-glass user (an admin assigns it)")
    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON:
        raise ServiceError(f"break-glass access needs a reason of at least {MIN_REASON} characters")
    if not 1 <= minutes <= MAX_MINUTES:
        raise ServiceError(f"break-glass access lasts 1 to {MAX_MINUTES} minutes")
    client = store.client(client_id)
    now = session.clock().astimezone(dt.timezone.utc).replace(microsecond=0)
    grant = {
        "id": new_id("bg"), "user_id": user.id, "client_id": client.id, "reason": reason,
        "granted_at": now.isoformat(timespec="seconds"),
        "expires_at": (now + dt.timedelta(minutes=minutes)).isoformat(timespec="seconds"),
    }
    store.add_grant(grant, session.event(
        "break-glass", target_type="client", target_id=client.id, client_id=client.id,
        category="progress-note",
        detail={"grant": grant["id"], "reason": reason, "minutes": minutes,
                "expires_at": grant["expires_at"]},
    ))
    return grant
