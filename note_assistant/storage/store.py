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
from . import crypto
from .accounts import AccountsMixin
from .audit import AuditEvent
from .supervision import SupervisionMixin
from .db import (
    RECOVERY_STEPS, IntegrityFailure, ReadOnlyDatabase, StorageError, driver, open_database,
    write,
)

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


def _first_opening_key(path: str | Path, keys: list[bytes]) -> bytes:
    """The candidate key that opens the file (see ``KeyFile.pending``)."""
    from .db import connect

    for key in keys[:-1]:
        try:
            connect(path, readonly=True, key=key).close()
            return key
        except StorageError:
            continue
    return keys[-1]


def _has_data(path: str | Path) -> bool:
    return str(path) != ":memory:" and Path(path).exists() and Path(path).stat().st_size > 0


class EncryptionRequired(StorageError):
    """The database is encrypted and no passphrase (or key) was given."""


class Store(AccountsMixin, SupervisionMixin):
    """All SQL lives here. Open with a path; migrations run on open.

    Every write method takes an optional ``audit`` event and writes it in the same transaction
    as the change; without one, a ``system`` event describing the change is written, so no
    create goes unaudited. Reads are plain here: the services audit them.

    Encryption: an existing encrypted file needs ``passphrase`` (or ``key``); a **new** database
    opened with a passphrase is created encrypted and ``new_recovery_key`` holds its recovery key
    (show it once). ``encrypted`` says which it is; ``errors`` is the driver module whose
    exception classes apply (``store.errors.IntegrityError``).
    """

    def __init__(
        self, path: str | Path, *, passphrase: str | None = None, key: bytes | None = None,
        readonly: bool = False, kdf: crypto.KdfParams = crypto.RFC9106_LOW_MEMORY,
    ) -> None:
        self.path = Path(path) if str(path) != ":memory:" else path
        self.new_recovery_key: str | None = None
        """Set only when this call created a new encrypted database: show it once."""
        self.readonly = readonly
        self.problem: str | None = None
        """Why the store is read-only (integrity failure) and how to recover, for a banner."""
        if key is None and crypto.is_encrypted_file(path):
            if not crypto.keyfile_path(path).exists():
                raise StorageError(
                    f"{path}: not a note-assistant database (no SQLite header). If it is an "
                    f"encrypted database whose key file {crypto.keyfile_path(path).name} is lost, "
                    "open it with 'note-assistant db recover' and its recovery key."
                )
            if not passphrase:
                raise EncryptionRequired(
                    f"{path}: the database is encrypted: enter its passphrase "
                    "(or set NOTE_ASSISTANT_PASSPHRASE)"
                )
            key = _first_opening_key(path, crypto.unlock(path, passphrase))
        elif key is None and passphrase and str(path) != ":memory:" and not _has_data(path):
            key = crypto.new_key()
            crypto.write_keyfile(path, crypto.new_keyfile(key, passphrase, kdf))
            self.new_recovery_key = crypto.recovery_code(key)
        self._key = key
        self.encrypted: bool = key is not None
        """True when the file is SQLCipher-encrypted; the app shows a banner when it is not."""
        self.errors = driver(self.encrypted)
        """The database driver module: catch ``store.errors.IntegrityError`` and friends."""
        self.db: Database = open_database(path, key=key, readonly=readonly)

    @classmethod
    def open(
        cls, path: str | Path, *, passphrase: str | None = None, fallback_readonly: bool = True,
    ) -> "Store":
        """Open for the app: passphrase from the argument or ``NOTE_ASSISTANT_PASSPHRASE``, then
        the optional OS keyring cache; on a failed integrity check, read-only with ``problem``
        set to recovery instructions."""
        from ..config import load_settings

        settings = load_settings()
        if passphrase is None and settings.passphrase is not None:
            passphrase = settings.passphrase.get_secret_value()
        key = None
        if passphrase is None and settings.use_keyring and crypto.is_encrypted_file(path):
            key = crypto.keyring_get(path)
            if key is not None:
                try:
                    from .db import connect

                    connect(path, readonly=True, key=key).close()
                except StorageError:
                    key = None  # a stale cache (the key was rotated): ask for the passphrase
        try:
            store = cls(path, passphrase=passphrase, key=key)
            if settings.use_keyring and store.encrypted and key is None:
                crypto.keyring_set(path, store._key)  # an optional cache; failures are ignored
            return store
        except IntegrityFailure as exc:
            if not fallback_readonly:
                raise
            store = cls(path, passphrase=passphrase, key=key, readonly=True)
            store.problem = str(exc)
            return store

    def close(self) -> None:
        self.db.conn.close()

    def write(self):  # noqa: ANN201 - context manager
        if self.readonly:
            raise ReadOnlyDatabase(self.problem or f"{self.path}: opened read-only. {RECOVERY_STEPS}")
        return write(self.db)

    # users -------------------------------------------------------------------------------
    def add_user(
        self, user: User, password_hash: str | None = None, *, audit: AuditEvent | None = None,
        security: dict[str, object] | None = None,
    ) -> User:
        """Insert an account; ``security`` sets columns such as ``break_glass``."""
        row = _to_row(user)
        row["password_hash"] = password_hash
        row.update(security or {})
        with self.write():
            self.db["users"].insert(row)
            self._audit(audit, AuditEvent.system(
                "user-add", target_type="user", target_id=user.id, category="account",
                detail={"username": user.username, "role": user.role.value},
            ))
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
    def add_client(self, client: Client, *, audit: AuditEvent | None = None) -> Client:
        with self.write():
            self.db["clients"].insert(_to_row(client))
            self._audit(audit, AuditEvent.system(
                "create", target_type="client", target_id=client.id, client_id=client.id,
                category="demographics",
            ))
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
    def save_plan(self, plan: TreatmentPlan, *, audit: AuditEvent | None = None) -> TreatmentPlan:
        row = {
            "id": plan.id, "client_id": plan.client_id,
            "start_date": plan.start_date.isoformat(), "review_due": plan.review_due.isoformat(),
            "end_date": plan.end_date.isoformat() if plan.end_date else None,
            "body": plan.model_dump_json(), "updated_at": utcnow().isoformat(),
        }
        with self.write():
            self.db["plans"].upsert(row, pk="id")
            self._audit(audit, AuditEvent.system(
                "save", target_type="plan", target_id=plan.id, client_id=plan.client_id,
                category="treatment-plan",
            ))
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
    def insert_note(self, note: Note, *, audit: AuditEvent | None = None) -> Note:
        with self.write():
            self.db["notes"].insert(_to_row(note))
            self._audit(audit, AuditEvent.system(
                "create", target_type="note", target_id=note.id, client_id=note.client_id,
                category="progress-note",
            ))
        return note

    def update_note(self, note: Note, *, audit: AuditEvent | None = None) -> Note:
        row = _to_row(note)
        with self.write():
            self.db["notes"].update(note.id, row)
            self._audit(audit, AuditEvent.system(
                "update", target_type="note", target_id=note.id, client_id=note.client_id,
                category="progress-note", detail={"status": note.status.value},
            ))
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
    def insert_addendum(self, addendum: Addendum, *, audit: AuditEvent | None = None) -> Addendum:
        with self.write():
            self.db["addenda"].insert(_to_row(addendum))
            self._audit(audit, AuditEvent.system(
                "addend", target_type="addendum", target_id=addendum.id,
                category="progress-note", detail={"note_id": addendum.note_id},
            ))
        return addendum

    def addenda(self, note_id: str) -> list[Addendum]:
        rows = self.db["addenda"].rows_where("note_id = ?", [note_id], order_by="created_at")
        return [_from_row(Addendum, r) for r in rows]

    # psychotherapy notes (kept apart) ----------------------------------------------------
    def save_psychotherapy_note(
        self, pnote: PsychotherapyNote, *, audit: AuditEvent | None = None,
    ) -> PsychotherapyNote:
        with self.write():
            self.db["psychotherapy_notes"].upsert(_to_row(pnote), pk="id")
            self._audit(audit, AuditEvent.system(
                "save", target_type="psychotherapy_note", target_id=pnote.id,
                client_id=pnote.client_id, category="psychotherapy-note",
            ))
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

    # autosaved drafts (services/drafts.py owns the rules) --------------------------------
    def save_draft_row(self, row: dict[str, object]) -> None:
        """Insert or replace one autosaved draft (``id`` is the key)."""
        with self.write():
            self.db["drafts"].upsert(row, pk="id")

    def draft_rows(self, user_id: str, note_id: str | None = None) -> list[dict[str, object]]:
        where, args = "user_id = ?", [user_id]
        if note_id is not None:
            where, args = where + " AND note_id = ?", args + [note_id]
        return list(self.db["drafts"].rows_where(where, args, order_by="saved_at desc"))

    def delete_draft_row(self, draft_id: str) -> None:
        with self.write():
            self.db.execute("DELETE FROM drafts WHERE id = ?", [draft_id])

    # dismissed findings (services/findings.py owns the rules) ----------------------------
    def insert_dismissal_row(self, row: dict[str, object], *, audit: AuditEvent | None = None) -> None:
        """A finding dismissed with a reason (the reason is not copied into the audit row)."""
        with self.write():
            self.db["dismissals"].insert(row)
            self._audit(audit, AuditEvent.system(
                "dismiss-finding", target_type="dismissal", target_id=str(row["id"]),
                category="progress-note", detail={"note_id": row["note_id"], "rule_id": row["rule_id"]},
            ))

    def dismissal_rows(self, note_id: str) -> list[dict[str, object]]:
        return list(self.db["dismissals"].rows_where("note_id = ?", [note_id], order_by="created_at"))
