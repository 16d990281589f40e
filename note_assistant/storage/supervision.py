"""Store methods for supervision: review rounds, span-anchored comments, training grants.

A mixin of :class:`~note_assistant.storage.store.Store`. The rules (who may submit, comment,
return or co-sign, and who may read through a grant) live in ``services/review.py`` and
``services/grants.py``; here is only SQL, each change written with its audit row in one
transaction. Triggers (migration m004) keep decided rounds, their comments and grants intact.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlite_utils import Database

from . import audit
from .audit import AuditEvent


class SupervisionMixin:
    db: Database
    # ``write()`` comes from Store.

    # review rounds -----------------------------------------------------------------------
    def open_round(self, note_row_update: dict[str, Any], round_row: dict[str, Any],
                   event: AuditEvent) -> None:
        """Submit: the note's new status and a new round, in one transaction."""
        with self.write():
            self.db["notes"].update(note_row_update["id"], note_row_update)
            self.db["review_rounds"].insert(round_row)
            audit.append(self.db, event)

    def decide_round(self, note_row_update: dict[str, Any], round_id: str,
                     decision: dict[str, Any], event: AuditEvent) -> None:
        """Return or co-sign: the note's new status and the round's decision, in one transaction."""
        with self.write():
            self.db["review_rounds"].update(round_id, decision)
            self.db["notes"].update(note_row_update["id"], note_row_update)
            audit.append(self.db, event)

    def review_rounds(self, note_id: str) -> list[dict[str, Any]]:
        return list(self.db["review_rounds"].rows_where("note_id = ?", [note_id], order_by="round"))

    def pending_rounds(self, reviewer_id: str) -> list[dict[str, Any]]:
        """Undecided rounds assigned to this reviewer, oldest submission first."""
        return list(self.db["review_rounds"].rows_where(
            "reviewer_id = ? AND decision IS NULL", [reviewer_id], order_by="submitted_at, rowid"))

    def rounds_for_author(self, author_id: str) -> list[dict[str, Any]]:
        return list(self.db["review_rounds"].rows_where(
            "submitted_by = ?", [author_id], order_by="note_id, round"))

    # comments ----------------------------------------------------------------------------
    def add_review_comment(self, row: dict[str, Any], event: AuditEvent) -> None:
        with self.write():
            self.db["review_comments"].insert(row)
            audit.append(self.db, event)

    def review_comments(self, note_id: str) -> list[dict[str, Any]]:
        return list(self.db["review_comments"].rows_where(
            "note_id = ?", [note_id], order_by="created_at, rowid"))

    # training-supervision grants ---------------------------------------------------------
    def add_training_grant(self, row: dict[str, Any], event: AuditEvent) -> None:
        with self.write():
            self.db["training_grants"].insert(row)
            audit.append(self.db, event)

    def revoke_training_grant(self, grant_id: str, at: dt.datetime, event: AuditEvent) -> None:
        with self.write():
            self.db["training_grants"].update(grant_id, {"revoked_at": _iso(at)})
            audit.append(self.db, event)

    def training_grant(self, grant_id: str) -> dict[str, Any] | None:
        rows = list(self.db["training_grants"].rows_where("id = ?", [grant_id]))
        return rows[0] if rows else None

    def training_grants(self, user_id: str) -> list[dict[str, Any]]:
        """Grants given by or to this user, newest first."""
        return list(self.db["training_grants"].rows_where(
            "trainee_id = ? OR supervisor_id = ?", [user_id, user_id], order_by="granted_at desc"))

    def active_training_grants(self, supervisor_id: str, trainee_id: str, client_id: str,
                               now: dt.datetime) -> list[dict[str, Any]]:
        return list(self.db["training_grants"].rows_where(
            "supervisor_id = ? AND trainee_id = ? AND client_id = ? AND revoked_at IS NULL "
            "AND granted_at <= ? AND expires_at > ?",
            [supervisor_id, trainee_id, client_id, _iso(now), _iso(now)], order_by="granted_at"))


def _iso(moment: dt.datetime) -> str:
    """UTC, whole seconds: the one format grant times are stored and compared in."""
    return moment.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat(timespec="seconds")
