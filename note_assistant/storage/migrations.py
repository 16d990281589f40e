"""Schema migrations (sqlite-utils ``Migrations``). Never edit a shipped migration: add one."""

from __future__ import annotations

import secrets

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("note_assistant")

_IMMUTABLE_NOTE = """
CREATE TRIGGER IF NOT EXISTS notes_signed_no_update
BEFORE UPDATE ON notes WHEN OLD.status IN ('signed', 'cosigned')
BEGIN SELECT RAISE(ABORT, 'signed note is immutable: write an addendum'); END;
CREATE TRIGGER IF NOT EXISTS notes_signed_no_delete
BEFORE DELETE ON notes WHEN OLD.status IN ('signed', 'cosigned')
BEGIN SELECT RAISE(ABORT, 'signed note is immutable: it cannot be deleted'); END;
CREATE TRIGGER IF NOT EXISTS addenda_no_update
BEFORE UPDATE ON addenda
BEGIN SELECT RAISE(ABORT, 'addenda are immutable'); END;
CREATE TRIGGER IF NOT EXISTS addenda_no_delete
BEFORE DELETE ON addenda
BEGIN SELECT RAISE(ABORT, 'addenda are immutable'); END;
"""


@migrations()
def m001_core(db: Database) -> None:
    db["users"].create(
        {
            "id": str, "username": str, "display_name": str, "role": str,
            "credentials": str, "supervisor_id": str, "active": int, "password_hash": str,
        },
        pk="id",
        not_null={"username", "display_name", "role"},
        foreign_keys=[("supervisor_id", "users", "id")],
    )
    db["users"].create_index(["username"], unique=True)
    db["clients"].create(
        {
            "id": str, "name": str, "date_of_birth": str, "clinician_id": str,
            "diagnoses": str, "part2": int,
        },
        pk="id",
        not_null={"name"},
        foreign_keys=[("clinician_id", "users", "id")],
    )
    db["plans"].create(
        {
            "id": str, "client_id": str, "start_date": str, "review_due": str,
            "end_date": str, "body": str, "updated_at": str,
        },
        pk="id",
        not_null={"client_id", "start_date", "review_due", "body"},
        foreign_keys=[("client_id", "clients", "id")],
    )
    db["plans"].create_index(["client_id"])
    db["notes"].create(
        {
            "id": str, "client_id": str, "author_id": str, "format": str, "text": str,
            "date_of_service": str, "start_time": str, "end_time": str, "cpt": str,
            "modality": str, "diagnosis": str, "status": str, "signer_id": str,
            "signed_at": str, "content_hash": str, "created_at": str, "updated_at": str,
        },
        pk="id",
        not_null={"client_id", "author_id", "format", "text", "date_of_service", "status"},
        foreign_keys=[
            ("client_id", "clients", "id"),
            ("author_id", "users", "id"),
            ("signer_id", "users", "id"),
        ],
    )
    db["notes"].create_index(["client_id", "date_of_service"])
    db["notes"].create_index(["author_id", "status"])
    db["addenda"].create(
        {
            "id": str, "note_id": str, "author_id": str, "reason": str, "text": str,
            "created_at": str, "original_hash": str,
        },
        pk="id",
        not_null={"note_id", "author_id", "reason", "text", "created_at", "original_hash"},
        foreign_keys=[("note_id", "notes", "id"), ("author_id", "users", "id")],
    )
    db["addenda"].create_index(["note_id"])
    # Psychotherapy notes (45 CFR 164.501) live apart: no progress-note query touches this table.
    db["psychotherapy_notes"].create(
        {
            "id": str, "client_id": str, "author_id": str, "session_note_id": str,
            "text": str, "created_at": str, "updated_at": str,
        },
        pk="id",
        not_null={"client_id", "author_id", "text"},
        foreign_keys=[
            ("client_id", "clients", "id"),
            ("author_id", "users", "id"),
            ("session_note_id", "notes", "id"),
        ],
    )
    db["psychotherapy_notes"].create_index(["session_note_id"])
    for statement in _IMMUTABLE_NOTE.strip().split("END;"):
        if statement.strip():
            db.execute(statement + "END;")


@migrations()
def m002_dismissals_and_drafts(db: Database) -> None:
    db["dismissals"].create(
        {
            "id": str, "note_id": str, "rule_id": str, "start": int, "end": int,
            "text": str, "reason": str, "user_id": str, "created_at": str,
        },
        pk="id",
        not_null={"note_id", "rule_id", "reason", "user_id", "created_at"},
        foreign_keys=[("note_id", "notes", "id"), ("user_id", "users", "id")],
    )
    db["dismissals"].create_index(["note_id"])
    db["drafts"].create(
        {"id": str, "user_id": str, "note_id": str, "client_id": str, "payload": str,
         "saved_at": str},
        pk="id",
        not_null={"user_id", "payload", "saved_at"},
        foreign_keys=[("user_id", "users", "id")],
    )


_AUDIT_TRIGGERS = """
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
WHEN NEW.seq IS NOT (SELECT count FROM audit_head WHERE id = 1) + 1
  OR NEW.prev_hash IS NOT (SELECT last_hash FROM audit_head WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'audit rows must extend the chain'); END;
CREATE TRIGGER audit_log_head AFTER INSERT ON audit_log
BEGIN UPDATE audit_head SET count = NEW.seq, last_hash = NEW.hash WHERE id = 1; END;
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN SELECT RAISE(ABORT, 'the audit head cannot be deleted'); END;
CREATE TRIGGER audit_secret_no_update BEFORE UPDATE ON audit_secret
BEGIN SELECT RAISE(ABORT, 'the audit secret cannot change'); END;
CREATE TRIGGER audit_secret_no_delete BEFORE DELETE ON audit_secret
BEGIN SELECT RAISE(ABORT, 'the audit secret cannot be deleted'); END;
"""


@migrations()
def m003_security(db: Database) -> None:
    """Accounts (throttling, TOTP, break-glass flag), break-glass grants, the audit trail."""
    users = db["users"]
    users.add_column("failed_logins", int, not_null_default=0)
    users.add_column("locked_until", str)
    users.add_column("totp_secret", str)
    users.add_column("totp_last_step", int)
    users.add_column("break_glass", int, not_null_default=0)
    users.add_column("password_changed_at", str)
    db["break_glass_grants"].create(
        {"id": str, "user_id": str, "client_id": str, "reason": str, "granted_at": str,
         "expires_at": str},
        pk="id",
        not_null={"user_id", "client_id", "reason", "granted_at", "expires_at"},
        foreign_keys=[("user_id", "users", "id"), ("client_id", "clients", "id")],
    )
    db["break_glass_grants"].create_index(["user_id", "client_id"])
    db.execute(
        "CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor_id TEXT, "
        "actor TEXT, action TEXT NOT NULL, target_type TEXT, target_id TEXT, client_id TEXT, "
        "category TEXT, source TEXT, detail TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)"
    )
    db["audit_log"].create_index(["at"])
    db["audit_log"].create_index(["client_id"])
    db.execute("CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), "
               "count INTEGER NOT NULL, last_hash TEXT NOT NULL)")
    db.execute("INSERT INTO audit_head (id, count, last_hash) VALUES (1, 0, ?)", ["0" * 64])
    db.execute("CREATE TABLE audit_secret (id INTEGER PRIMARY KEY CHECK (id = 1), value TEXT NOT NULL)")
    db.execute("INSERT INTO audit_secret (id, value) VALUES (1, ?)", [secrets.token_hex(32)])
    for statement in _AUDIT_TRIGGERS.strip().split("END;"):
        if statement.strip():
            db.execute(statement + "END;")


_REVIEW_TRIGGERS = """
CREATE TRIGGER notes_pending_text_frozen BEFORE UPDATE ON notes
WHEN OLD.status = 'pending_review' AND (NEW.text IS NOT OLD.text OR NEW.date_of_service IS NOT
  OLD.date_of_service OR NEW.author_id IS NOT OLD.author_id OR NEW.client_id IS NOT OLD.client_id)
BEGIN SELECT RAISE(ABORT, 'a note pending review cannot be edited'); END;
CREATE TRIGGER review_rounds_decided_no_update BEFORE UPDATE ON review_rounds
WHEN OLD.decision IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a decided review round is immutable'); END;
CREATE TRIGGER review_rounds_no_delete BEFORE DELETE ON review_rounds
BEGIN SELECT RAISE(ABORT, 'review rounds are kept'); END;
CREATE TRIGGER review_comments_no_update BEFORE UPDATE ON review_comments
BEGIN SELECT RAISE(ABORT, 'review comments are immutable'); END;
CREATE TRIGGER review_comments_no_delete BEFORE DELETE ON review_comments
WHEN (SELECT decision FROM review_rounds WHERE id = OLD.round_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'comments of a decided round are kept'); END;
CREATE TRIGGER training_grants_no_delete BEFORE DELETE ON training_grants
BEGIN SELECT RAISE(ABORT, 'training grants are kept (revoke instead)'); END;
CREATE TRIGGER training_grants_only_revoke BEFORE UPDATE ON training_grants
WHEN OLD.revoked_at IS NOT NULL OR NEW.trainee_id IS NOT OLD.trainee_id
  OR NEW.supervisor_id IS NOT OLD.supervisor_id OR NEW.client_id IS NOT OLD.client_id
  OR NEW.pnote_id IS NOT OLD.pnote_id OR NEW.granted_at IS NOT OLD.granted_at
  OR NEW.expires_at IS NOT OLD.expires_at
BEGIN SELECT RAISE(ABORT, 'a training grant can only be revoked, once'); END;
"""


@migrations()
def m004_supervision(db: Database) -> None:
    """Co-signature (issue #6): who co-signed when, review rounds with comments anchored to text
    spans and rubric ratings, and training-supervision grants for psychotherapy notes."""
    db["notes"].add_column("cosigner_id", str)
    db["notes"].add_column("cosigned_at", str)
    db["review_rounds"].create(
        {"id": str, "note_id": str, "round": int, "submitted_at": str, "submitted_by": str,
         "reviewer_id": str, "decision": str, "decided_at": str, "rubric_id": str,
         "ratings": str, "summary": str},
        pk="id",
        not_null={"note_id", "round", "submitted_at", "submitted_by", "reviewer_id"},
        foreign_keys=[("note_id", "notes", "id"), ("submitted_by", "users", "id"),
                      ("reviewer_id", "users", "id")],
    )
    db["review_rounds"].create_index(["note_id", "round"], unique=True)
    db["review_rounds"].create_index(["reviewer_id", "decision"])
    db["review_comments"].create(
        {"id": str, "round_id": str, "note_id": str, "author_id": str, "start": int, "end": int,
         "quote": str, "comment": str, "created_at": str},
        pk="id",
        not_null={"round_id", "note_id", "author_id", "start", "end", "quote", "comment",
                  "created_at"},
        foreign_keys=[("round_id", "review_rounds", "id"), ("note_id", "notes", "id"),
                      ("author_id", "users", "id")],
    )
    db["review_comments"].create_index(["note_id"])
    db["training_grants"].create(
        {"id": str, "trainee_id": str, "supervisor_id": str, "client_id": str,
         "pnote_id": str, "granted_at": str, "expires_at": str, "revoked_at": str},
        pk="id",
        not_null={"trainee_id", "supervisor_id", "client_id", "granted_at", "expires_at"},
        foreign_keys=[("trainee_id", "users", "id"), ("supervisor_id", "users", "id"),
                      ("client_id", "clients", "id"), ("pnote_id", "psychotherapy_notes", "id")],
    )
    db["training_grants"].create_index(["supervisor_id", "client_id"])
    for statement in _REVIEW_TRIGGERS.strip().split("END;"):
        if statement.strip():
            db.execute(statement + "END;")


_AMENDMENT_TRIGGERS = """
CREATE TRIGGER amendment_requests_no_delete BEFORE DELETE ON amendment_requests
BEGIN SELECT RAISE(ABORT, 'amendment requests are kept'); END;
CREATE TRIGGER amendment_requests_insert_pending BEFORE INSERT ON amendment_requests
WHEN NEW.status IS NOT 'pending' OR NEW.decided_by IS NOT NULL OR NEW.decided_at IS NOT NULL
  OR NEW.decision_reason IS NOT NULL OR NEW.addendum_id IS NOT NULL
  OR NEW.disagreement IS NOT NULL OR NEW.rebuttal IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'an amendment request starts pending'); END;
CREATE TRIGGER amendment_requests_request_fixed BEFORE UPDATE ON amendment_requests
WHEN NEW.id IS NOT OLD.id OR NEW.note_id IS NOT OLD.note_id OR NEW.client_id IS NOT OLD.client_id
  OR NEW.received_at IS NOT OLD.received_at OR NEW.received_by IS NOT OLD.received_by
  OR NEW.requested_change IS NOT OLD.requested_change OR NEW.reason IS NOT OLD.reason
BEGIN SELECT RAISE(ABORT, 'an amendment request cannot be changed'); END;
CREATE TRIGGER amendment_requests_decide_once BEFORE UPDATE ON amendment_requests
WHEN (OLD.status IS NOT 'pending' AND (NEW.status IS NOT OLD.status
  OR NEW.decided_by IS NOT OLD.decided_by OR NEW.decided_at IS NOT OLD.decided_at
  OR NEW.decision_reason IS NOT OLD.decision_reason OR NEW.addendum_id IS NOT OLD.addendum_id))
  OR NEW.status NOT IN ('pending', 'accepted', 'denied')
  OR (NEW.status = 'accepted' AND (NEW.addendum_id IS NULL OR NEW.decided_by IS NULL))
  OR (NEW.status = 'denied' AND (NEW.decision_reason IS NULL OR NEW.decided_by IS NULL))
BEGIN SELECT RAISE(ABORT, 'a decided amendment request is immutable'); END;
CREATE TRIGGER amendment_requests_disagreement_once BEFORE UPDATE ON amendment_requests
WHEN (OLD.disagreement IS NOT NULL AND (NEW.disagreement IS NOT OLD.disagreement
  OR NEW.disagreement_at IS NOT OLD.disagreement_at OR NEW.disagreement_by IS NOT OLD.disagreement_by))
  OR (NEW.disagreement IS NOT NULL AND NEW.status IS NOT 'denied')
BEGIN SELECT RAISE(ABORT, 'a statement of disagreement is recorded once, after a denial'); END;
CREATE TRIGGER amendment_requests_rebuttal_once BEFORE UPDATE ON amendment_requests
WHEN (OLD.rebuttal IS NOT NULL AND (NEW.rebuttal IS NOT OLD.rebuttal
  OR NEW.rebuttal_at IS NOT OLD.rebuttal_at OR NEW.rebuttal_by IS NOT OLD.rebuttal_by))
  OR (NEW.rebuttal IS NOT NULL AND NEW.disagreement IS NULL)
BEGIN SELECT RAISE(ABORT, 'a rebuttal is recorded once, after a disagreement'); END;
"""


@migrations()
def m005_amendments(db: Database) -> None:
    """Client amendment requests (45 CFR 164.526): accepted (an addendum carries the change) or
    denied with a basis; a denial links the client's disagreement and the clinician's rebuttal.
    Triggers: decisions are final, disagreement and rebuttal are written once, nothing is deleted."""
    db["amendment_requests"].create(
        {"id": str, "note_id": str, "client_id": str, "received_at": str, "received_by": str,
         "requested_change": str, "reason": str, "status": str, "decided_by": str,
         "decided_at": str, "decision_reason": str, "addendum_id": str,
         "disagreement": str, "disagreement_at": str, "disagreement_by": str,
         "rebuttal": str, "rebuttal_by": str, "rebuttal_at": str},
        pk="id",
        not_null={"note_id", "client_id", "received_at", "received_by", "requested_change",
                  "reason", "status"},
        foreign_keys=[("note_id", "notes", "id"), ("client_id", "clients", "id"),
                      ("received_by", "users", "id"), ("decided_by", "users", "id"),
                      ("addendum_id", "addenda", "id"), ("disagreement_by", "users", "id"),
                      ("rebuttal_by", "users", "id")],
    )
    db["amendment_requests"].create_index(["note_id", "received_at"])
    for statement in _AMENDMENT_TRIGGERS.strip().split("END;"):
        if statement.strip():
            db.execute(statement + "END;")


def apply(db: Database) -> None:
    migrations.apply(db)
