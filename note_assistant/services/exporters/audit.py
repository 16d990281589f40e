"""The audit hook every export goes through (RELIABILITY.md requirements 9 and 15).

One row per export in the hash-chained audit trail: who, when, which client, a description
(ids and counts, never clinical text) and the data category (``progress-note`` or
``psychotherapy-note``). Written in its own ``BEGIN IMMEDIATE`` transaction before the export
file is published, so an export whose audit row fails never appears.
"""

from __future__ import annotations

from typing import Any

from ...models import User
from ...storage.store import Store


def record_export(
    store: Store, actor, client_id: str, description: str, category: str,  # noqa: ANN001
    detail: dict[str, Any] | None = None,
) -> None:
    """Append the export's audit row (``action = "export"``). ``actor`` is the signed-in
    ``auth.Session`` (its program is recorded as the source) or a ``User``."""
    from ...storage.audit import AuditEvent, append

    fields: dict[str, Any] = {
        "target_type": "client", "target_id": client_id, "client_id": client_id,
        "category": category, "detail": {"description": description, **(detail or {})},
    }
    if isinstance(actor, User):
        event = AuditEvent(action="export", actor_id=actor.id, actor=actor.username, **fields)
    else:
        event = actor.event("export", **fields)
    with store.write():
        append(store.db, event)
