"""Store methods for account security, break-glass grants and the audit trail.

A mixin of :class:`~note_assistant.storage.store.Store`: the SQL stays in storage, the rules
(who may do what, how long a lockout lasts) stay in ``services/auth.py`` and
``services/access.py``. Secrets (password hashes, TOTP secrets) never enter the ``User`` model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

from . import audit
from .audit import AuditEvent

SECURITY_COLUMNS = (
    "password_hash", "failed_logins", "locked_until", "totp_secret", "totp_last_step",
    "break_glass", "password_changed_at", "active",
)


class AccountsMixin:
    db: Database
    # ``write()`` and ``readonly`` come from Store.

    # audit -------------------------------------------------------------------------------
    def record(self, event: AuditEvent) -> dict[str, Any]:
        """Append one audit row in its own transaction (for events with no data change)."""
        with self.write():
            return audit.append(self.db, event)

    def _audit(self, event: AuditEvent | None, default: AuditEvent) -> None:
        """Inside a write transaction: the caller's event, or a system event describing it."""
        audit.append(self.db, event or default)

    def audit_events(self, **filters: Any) -> Iterator[dict[str, Any]]:
        return audit.events(self.db, **filters)

    def verify_audit(self, expect_head: tuple[int, str] | None = None) -> list[str]:
        return audit.verify(self.db, expect_head)

    def audit_head(self) -> tuple[int, str]:
        return audit.head(self.db)

    # account security --------------------------------------------------------------------
    def security(self, user_id: str) -> dict[str, Any]:
        """The user's password hash, throttling state, TOTP secret and break-glass flag."""
        columns = ", ".join(SECURITY_COLUMNS)
        row = self.db.conn.execute(f"SELECT {columns} FROM users WHERE id = ?", [user_id]).fetchone()
        if row is None:
            from .store import NotFound

            raise NotFound(f"no user {user_id!r}")
        return dict(zip(SECURITY_COLUMNS, row, strict=True))

    def update_security(self, user_id: str, changes: dict[str, Any], event: AuditEvent | None = None) -> None:
        """Change security columns (and ``role``/``active``) and audit it, in one transaction."""
        allowed = set(SECURITY_COLUMNS) | {"role", "display_name", "credentials", "supervisor_id"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"not a security column: {', '.join(sorted(unknown))}")
        sets = ", ".join(f"{column} = ?" for column in changes)
        with self.write():
            self.db.conn.execute(f"UPDATE users SET {sets} WHERE id = ?", [*changes.values(), user_id])
            if event is not None:
                audit.append(self.db, event)

    # break-glass -------------------------------------------------------------------------
    def add_grant(self, grant: dict[str, Any], event: AuditEvent) -> None:
        with self.write():
            self.db["break_glass_grants"].insert(grant)
            audit.append(self.db, event)

    def active_grant(self, user_id: str, client_id: str, now: dt.datetime) -> dict[str, Any] | None:
        rows = list(self.db["break_glass_grants"].rows_where(
            "user_id = ? AND client_id = ? AND granted_at <= ? AND expires_at > ?",
            [user_id, client_id, _iso(now), _iso(now)],
            order_by="expires_at desc", limit=1,
        ))
        return rows[0] if rows else None


def _iso(moment: dt.datetime) -> str:
    """UTC, whole seconds: the one format grant times are stored and compared in."""
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds")
