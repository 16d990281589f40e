"""Batch audits: every note of a folder or of the store checked, then summarised.

>>> report = audit_folder([("a.md", text)], clinic)
>>> report.summary()["findings"]
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from ..models import User
from .model import AuditReport
from .runner import run_items
from .sources import folder_items, store_items, visible_notes

if TYPE_CHECKING:  # an audit of files never opens the database: no storage import at start-up
    from ..storage.store import Store


def audit_folder(
    sources: Iterable[tuple[str, str]],
    clinic,  # noqa: ANN001 - a Clinic
    *,
    paths: list[str] | None = None,
    unreadable: list[dict[str, str]] | None = None,
    jobs: int | None = None,
    history: bool = True,
    progress: Callable[[int], None] | None = None,
) -> AuditReport:
    started = time.perf_counter()
    items = folder_items(sources, history=history)
    reports, failed, workers = run_items(clinic, items, jobs=jobs, progress=progress)
    return AuditReport(
        notes=reports, source={"kind": "folder", "paths": paths or []},
        profile=clinic.profile.name, clinic=clinic.name,
        unreadable=list(unreadable or []) + failed,
        seconds=time.perf_counter() - started, workers=workers,
    )


def audit_store(
    store: Store,
    actor,  # noqa: ANN001 - the signed-in auth.Session (or a User)
    clinic,  # noqa: ANN001 - a Clinic
    *,
    jobs: int | None = None,
    history: bool = True,
    progress_factory: Callable[[int], Callable[[int], None] | None] | None = None,
) -> AuditReport:
    """Audit the notes ``actor`` may see; the read is written to the audit trail."""
    from ..storage.audit import AuditEvent

    started = time.perf_counter()
    user = actor if isinstance(actor, User) else actor.user
    notes = visible_notes(store, user)
    items = store_items(store, notes, history=history)
    fields = {"target_type": "audit-report", "category": "progress-note",
              "detail": {"notes": len(items), "clients": len({n.client_id for n in notes})}}
    if isinstance(actor, User):
        event = AuditEvent(action="read", actor_id=user.id, actor=user.username, **fields)
    else:
        event = actor.event("read", **fields)
    if not store.readonly:
        store.record(event)
    progress = progress_factory(len(items)) if progress_factory else None
    reports, failed, workers = run_items(clinic, items, jobs=jobs, progress=progress)
    return AuditReport(
        notes=reports, source={"kind": "database", "db": str(store.path)},
        profile=clinic.profile.name, clinic=clinic.name, unreadable=failed,
        seconds=time.perf_counter() - started, workers=workers,
    )
