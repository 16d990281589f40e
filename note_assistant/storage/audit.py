"""The audit trail: append-only, hash-chained, written in the same transaction as the change.

Each row's ``hash`` is HMAC-SHA256 (key: a random per-database secret in ``audit_secret``)
over the previous row's hash and the row's canonical JSON. Triggers abort UPDATE and DELETE on
``audit_log``; ``audit_head`` keeps the row count and last hash, updated by a trigger in the
same transaction, so truncating the tail is detected too.

Residual risk (documented in docs/RELIABILITY.md): someone who can write the database file
(for an encrypted database, someone holding its key) can drop the triggers and rebuild the
whole chain and head. Against that, anchor the head outside the database:
``note-assistant audit-log --head`` prints it; ``db verify --expect-head N:HASH`` checks it.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import hmac
import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from ..program import default_source, set_default_source  # noqa: F401 - re-exported

GENESIS = "0" * 64

#: Columns covered by each row's hash, in order (``hash`` itself excluded).
FIELDS = ("seq", "at", "actor_id", "actor", "action", "target_type", "target_id",
          "client_id", "category", "source", "detail", "prev_hash")
SORTABLE = set(FIELDS)


@dataclass(frozen=True)
class AuditEvent:
    """What happened: who (actor), what (action on target), which client, data category.

    ``detail`` must never hold clinical text: ids, counts, reasons typed for break-glass.
    """

    action: str
    actor_id: str | None = None
    actor: str | None = None
    target_type: str | None = None
    target_id: str | None = None
    client_id: str | None = None
    category: str | None = None
    source: str = field(default_factory=default_source)
    detail: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def system(cls, action: str, **kwargs: Any) -> "AuditEvent":
        """An event with no signed-in user (set-up, demo creation, maintenance commands)."""
        try:
            who = getpass.getuser()
        except (KeyError, OSError):  # pragma: no cover - no user name on this system
            who = "unknown"
        return cls(action=action, actor=f"system:{who}", **kwargs)


def _canonical(row: dict[str, Any]) -> bytes:
    data = {k: row[k] for k in FIELDS}
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def row_hash(secret: bytes, row: dict[str, Any]) -> str:
    return hmac.new(secret, _canonical(row), hashlib.sha256).hexdigest()


def _secret(db: Database) -> bytes:
    row = db.conn.execute("SELECT value FROM audit_secret WHERE id = 1").fetchone()
    if row is None:
        value = secrets.token_hex(32)
        db.conn.execute("INSERT INTO audit_secret (id, value) VALUES (1, ?)", [value])
        return bytes.fromhex(value)
    return bytes.fromhex(row[0])


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def append(db: Database, event: AuditEvent) -> dict[str, Any]:
    """Append one row. Must run inside the caller's write transaction (``store.write()``)."""
    if not db.conn.in_transaction:
        raise RuntimeError("audit.append must run inside the write transaction of the change")
    head = db.conn.execute("SELECT count, last_hash FROM audit_head WHERE id = 1").fetchone()
    count, prev = (head[0], head[1]) if head else (0, GENESIS)
    row: dict[str, Any] = {
        "seq": count + 1, "at": now_iso(), "actor_id": event.actor_id, "actor": event.actor,
        "action": event.action, "target_type": event.target_type, "target_id": event.target_id,
        "client_id": event.client_id, "category": event.category, "source": event.source,
        "detail": json.dumps(event.detail, sort_keys=True, ensure_ascii=False),
        "prev_hash": prev,
    }
    row["hash"] = row_hash(_secret(db), row)
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    db.conn.execute(f"INSERT INTO audit_log ({columns}) VALUES ({marks})", list(row.values()))
    return row


def head(db: Database) -> tuple[int, str]:
    row = db.conn.execute("SELECT count, last_hash FROM audit_head WHERE id = 1").fetchone()
    return (row[0], row[1]) if row else (0, GENESIS)


def verify(db: Database, expect_head: tuple[int, str] | None = None) -> list[str]:
    """Every problem with the chain: edited, deleted, reordered, inserted or truncated rows."""
    problems: list[str] = []
    secret_row = db.conn.execute("SELECT value FROM audit_secret WHERE id = 1").fetchone()
    count, last = head(db)
    if secret_row is None:
        return [] if count == 0 else ["audit: the chain secret is missing"]
    secret = bytes.fromhex(secret_row[0])
    columns = ", ".join(FIELDS + ("hash",))
    expected_seq, prev = 1, GENESIS
    cursor = db.conn.execute(f"SELECT {columns} FROM audit_log ORDER BY rowid")
    for values in cursor:
        row = dict(zip(FIELDS + ("hash",), values, strict=True))
        where = f"audit row {row['seq']}"
        if row["seq"] != expected_seq:
            problems.append(f"{where}: expected row {expected_seq} (rows deleted, inserted or reordered)")
        if row["prev_hash"] != prev:
            problems.append(f"{where}: does not follow the previous row (chain broken)")
        if not hmac.compare_digest(row_hash(secret, row), row["hash"] or ""):
            problems.append(f"{where}: content does not match its hash (row edited)")
        prev, expected_seq = row["hash"], expected_seq + 1
        if len(problems) > 20:
            problems.append("audit: more problems not listed")
            return problems
    rows = expected_seq - 1
    if rows != count or prev != last:
        problems.append(f"audit: the log has {rows} rows but its head records {count} (rows truncated or added)")
    if expect_head is not None:
        n, digest = expect_head
        row = db.conn.execute("SELECT hash FROM audit_log WHERE seq = ?", [n]).fetchone()
        if row is None or row[0] != digest:
            problems.append(f"audit: row {n} does not match the anchored head (log rewritten or truncated)")
    return problems


def events(
    db: Database, *, since: dt.datetime | None = None, until: dt.datetime | None = None,
    sort: str = "seq", descending: bool = False, action: str | None = None,
    actor: str | None = None, client_id: str | None = None,
) -> Iterator[dict[str, Any]]:
    """Audit rows filtered by time (UTC, ``since`` inclusive, ``until`` exclusive) and sorted."""
    if sort not in SORTABLE:
        raise ValueError(f"cannot sort by {sort!r}; choose one of {', '.join(FIELDS)}")
    where, args = [], []
    if since is not None:
        where.append("at >= ?")
        args.append(_utc(since).isoformat(timespec="microseconds"))
    if until is not None:
        where.append("at < ?")
        args.append(_utc(until).isoformat(timespec="microseconds"))
    for column, value in (("action", action), ("actor", actor), ("client_id", client_id)):
        if value is not None:
            where.append(f"{column} = ?")
            args.append(value)
    sql = "SELECT seq, at, actor_id, actor, action, target_type, target_id, client_id, category, source, detail, hash FROM audit_log"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {sort} {'DESC' if descending else 'ASC'}, seq"
    cursor = db.conn.execute(sql, args)
    names = [d[0] for d in cursor.description]
    for values in cursor:
        row = dict(zip(names, values, strict=True))
        row["detail"] = json.loads(row["detail"]) if row["detail"] else {}
        yield row


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)
