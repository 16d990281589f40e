"""The store: typed reads and writes of domain models. Services own the business rules.

Progress notes and psychotherapy notes are read by separate methods over separate tables;
no progress-note query (``notes_for_client``, ``search_notes``, exports) touches
``psychotherapy_notes``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel
from sqlite_utils import Database

from ..models import (
    Addendum, Client, Note, NoteStatus, PsychotherapyNote, TreatmentPlan, User, utcnow,
)
from .db import open_database, write

M = TypeVar("M", bound=BaseModel)

_JSON_FIELDS = {"diagnoses", "diagnosis"}


def _to_row(model: BaseModel) -> dict[str, object]:
    row = model.model_dump(mode="json")
    for key, value in row.items():
        if key in _JSON_FIELDS:
            row[key] = json.dumps(value)
        elif isinstance(value, bool):
            row[key] = int(value)
    return row


def _from_row(cls: type[M], row: dict[str, object]) -> M:
    data = {k: v for k, v in row.items() if k in cls.model_fields}
    for key in _JSON_FIELDS & data.keys():
        data[key] = json.loads(data[key]) if data[key] else []
    data = {k: v for k, v in data.items() if v is not None}
    return cls.model_validate(data)


class NotFound(LookupError):
    pass


class Store:
    """All SQL lives here. Open with a path; migrations run on open."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path) if str(path) != ":memory:" else path
        self.db: Database = open_database(path)

    def close(self) -> None:
        self.db.conn.close()

    def write(self):  # noqa: ANN201 - context manager
        return write(self.db)

    # users -------------------------------------------------------------------------------
    def add_user(self, user: User, password_hash: str | None = None) -> User:
        row = _to_row(user)
        row["password_hash"] = password_hash
        with self.write():
            self.db["users"].insert(row)
        return user

    def user(self, user_id: str) -> User:
        return _from_row(User, self._get("users", user_id))

    def user_by_name(self, username: str) -> User:
        rows = list(self.db["users"].rows_where("username = ?", [username]))
        if not rows:
            raise NotFound(f"no user named {username!r}")
        return _from_row(User, rows[0])

    def password_hash(self, user_id: str) -> str | None:
        return self._get("users", user_id).get("password_hash")

    def users(self) -> list[User]:
        return [_from_row(User, r) for r in self.db["users"].rows_where(order_by="username")]

    # clients -----------------------------------------------------------------------------
    def add_client(self, client: Client) -> Client:
        with self.write():
            self.db["clients"].insert(_to_row(client))
        return client

    def client(self, client_id: str) -> Client:
        return _from_row(Client, self._get("clients", client_id))

    def clients(self) -> list[Client]:
        return [_from_row(Client, r) for r in self.db["clients"].rows_where(order_by="name")]

    def find_client(self, name_or_id: str) -> Client:
        rows = list(
            self.db["clients"].rows_where(
                "id = ? OR lower(name) = lower(?)", [name_or_id, name_or_id]
            )
        )
        if not rows:
            raise NotFound(f"no client {name_or_id!r}")
        return _from_row(Client, rows[0])

    # plans -------------------------------------------------------------------------------
    def save_plan(self, plan: TreatmentPlan) -> TreatmentPlan:
        row = {
            "id": plan.id, "client_id": plan.client_id,
            "start_date": plan.start_date.isoformat(), "review_due": plan.review_due.isoformat(),
            "end_date": plan.end_date.isoformat() if plan.end_date else None,
            "body": plan.model_dump_json(), "updated_at": utcnow().isoformat(),
        }
        with self.write():
            self.db["plans"].upsert(row, pk="id")
        return plan

    def active_plan(self, client_id: str, on: dt.date | None = None) -> TreatmentPlan | None:
        on = on or dt.date.today()
        rows = list(
            self.db["plans"].rows_where(
                "client_id = ? AND start_date <= ?", [client_id, on.isoformat()],
                order_by="start_date desc", limit=1,
            )
        )
        return TreatmentPlan.model_validate_json(rows[0]["body"]) if rows else None

    # progress notes ----------------------------------------------------------------------
    def insert_note(self, note: Note) -> Note:
        with self.write():
            self.db["notes"].insert(_to_row(note))
        return note

    def update_note(self, note: Note) -> Note:
        row = _to_row(note)
        with self.write():
            self.db["notes"].update(note.id, row)
        return note

    def note(self, note_id: str) -> Note:
        return _from_row(Note, self._get("notes", note_id))

    def notes_for_client(self, client_id: str, *, status: NoteStatus | None = None) -> list[Note]:
        where, args = "client_id = ?", [client_id]
        if status is not None:
            where, args = where + " AND status = ?", args + [status.value]
        rows = self.db["notes"].rows_where(where, args, order_by="date_of_service desc, created_at desc")
        return [_from_row(Note, r) for r in rows]

    def notes_by_author(self, author_id: str) -> list[Note]:
        rows = self.db["notes"].rows_where(
            "author_id = ?", [author_id], order_by="date_of_service desc"
        )
        return [_from_row(Note, r) for r in rows]

    def all_notes(self) -> Iterator[Note]:
        for row in self.db["notes"].rows_where(order_by="date_of_service"):
            yield _from_row(Note, row)

    def search_notes(self, term: str) -> list[Note]:
        """Progress notes containing ``term`` (psychotherapy notes are never searched)."""
        like = f"%{term}%"
        rows = self.db["notes"].rows_where("text LIKE ?", [like], order_by="date_of_service desc")
        return [_from_row(Note, r) for r in rows]

    # addenda -----------------------------------------------------------------------------
    def insert_addendum(self, addendum: Addendum) -> Addendum:
        with self.write():
            self.db["addenda"].insert(_to_row(addendum))
        return addendum

    def addenda(self, note_id: str) -> list[Addendum]:
        rows = self.db["addenda"].rows_where("note_id = ?", [note_id], order_by="created_at")
        return [_from_row(Addendum, r) for r in rows]

    # psychotherapy notes (kept apart) ----------------------------------------------------
    def save_psychotherapy_note(self, pnote: PsychotherapyNote) -> PsychotherapyNote:
        with self.write():
            self.db["psychotherapy_notes"].upsert(_to_row(pnote), pk="id")
        return pnote

    def psychotherapy_notes(self, client_id: str) -> list[PsychotherapyNote]:
        rows = self.db["psychotherapy_notes"].rows_where(
            "client_id = ?", [client_id], order_by="created_at"
        )
        return [_from_row(PsychotherapyNote, r) for r in rows]

    def psychotherapy_note_for_session(self, note_id: str) -> PsychotherapyNote | None:
        rows = list(self.db["psychotherapy_notes"].rows_where("session_note_id = ?", [note_id]))
        return _from_row(PsychotherapyNote, rows[0]) if rows else None

    # helpers -----------------------------------------------------------------------------
    def _get(self, table: str, key: str) -> dict[str, object]:
        rows = list(self.db[table].rows_where("id = ?", [key]))
        if not rows:
            raise NotFound(f"no {table[:-1] if table.endswith('s') else table} {key!r}")
        return rows[0]
