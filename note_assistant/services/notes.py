"""The note service: the only writer of notes, addenda and psychotherapy notes.

The acting user is fixed when the service is made (from the signed-in session) and is never a
parameter of an action. Every permission and lifecycle rule is enforced here, so the TUI, the
CLI and any script get the same guarantees.

Every create, update, sign, addendum and read is audited in the same transaction as the data
it touches (``Store`` writes the audit row inside its ``with self.write():``). Give the service
an ``auth.Session``: then the idle lock is enforced and audit rows name the program
(``session.source``). A bare ``User`` still works (demo set-up, tests) and is audited as
source "api".
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..models import (
    Addendum, Note, NoteStatus, PsychotherapyNote, Role, User, note_hash, utcnow,
)
from ..storage.audit import AuditEvent
from ..storage.store import Store
from .base import ActingService
from .errors import InvalidTransition, PermissionDenied, ServiceError

if TYPE_CHECKING:
    from .auth import Session

__all__ = ["InvalidTransition", "NoteService", "PermissionDenied", "ServiceError"]

EDITABLE = {NoteStatus.draft, NoteStatus.revision_requested}
WRITERS = {Role.clinician, Role.trainee, Role.supervisor}
PROGRESS = "progress-note"
PSYCHOTHERAPY = "psychotherapy-note"


class NoteService(ActingService):
    def __init__(self, store: Store, actor: User | Session) -> None:
        super().__init__(store, actor)

    # drafts ------------------------------------------------------------------------------
    def create_draft(
        self,
        client_id: str,
        format: str,
        text: str,
        date_of_service: dt.date,
        **header: object,
    ) -> Note:
        self._live()
        self._require_role(WRITERS, "write notes")
        self.store.client(client_id)  # raises NotFound for an unknown client
        note = Note(
            client_id=client_id, author_id=self.actor.id, format=format, text=text,
            date_of_service=date_of_service, **header,
        )
        return self.store.insert_note(note, audit=self._event("create", note))

    def update_draft(self, note_id: str, **changes: object) -> Note:
        self._live()
        note = self.store.note(note_id)
        self._require_author(note, "edit")
        if note.status not in EDITABLE:
            raise InvalidTransition(
                f"note {note.id} is {note.status.value}: it can no longer be edited"
                + (" (write an addendum)" if note.status in _FINAL else "")
            )
        allowed = {"text", "format", "date_of_service", "start_time", "end_time", "cpt",
                   "modality", "diagnosis"}
        unknown = set(changes) - allowed
        if unknown:
            raise ServiceError(f"cannot change {', '.join(sorted(unknown))} on a draft")
        updated = note.model_copy(update={**changes, "updated_at": utcnow()})
        Note.model_validate(updated.model_dump())  # re-validate the changed fields
        return self.store.update_note(
            updated, audit=self._event("update", note, fields=sorted(changes))
        )

    # signing -----------------------------------------------------------------------------
    def sign(self, note_id: str) -> Note:
        self._live()
        note = self.store.note(note_id)
        self._require_author(note, "sign")
        if self.actor.role == Role.trainee:
            raise PermissionDenied("trainee notes are submitted for review and co-signed")
        if note.status not in EDITABLE:
            raise InvalidTransition(f"note {note.id} is {note.status.value}: cannot sign it")
        signed = note.model_copy(
            update={"status": NoteStatus.signed, "signer_id": self.actor.id,
                    "signed_at": utcnow(), "updated_at": utcnow()}
        )
        signed = signed.model_copy(update={"content_hash": note_hash(signed)})
        return self.store.update_note(
            signed, audit=self._event("sign", signed, content_hash=signed.content_hash)
        )

    def add_addendum(self, note_id: str, reason: str, text: str) -> Addendum:
        self._live()
        note = self.store.note(note_id)
        if note.status not in _FINAL:
            raise InvalidTransition("only signed notes take addenda; edit the draft instead")
        if self.actor.id != note.author_id and self.actor.role != Role.supervisor:
            raise PermissionDenied("only the author or a supervisor can add an addendum")
        if not reason.strip() or not text.strip():
            raise ServiceError("an addendum needs a reason and text")
        addendum = Addendum(
            note_id=note.id, author_id=self.actor.id, reason=reason.strip(), text=text,
            original_hash=note.content_hash or note_hash(note),
        )
        return self.store.insert_addendum(
            addendum, audit=self._event("addend", note, addendum=addendum.id)
        )

    def verify(self, note_id: str) -> bool:
        """True when a signed note still matches the hash taken when it was signed.

        A mismatch is audited ("integrity-warning") so the change cannot go unnoticed.
        """
        note = self.store.note(note_id)
        ok = note.content_hash is None or note.content_hash == note_hash(note)
        if not ok and not self.store.readonly:
            self.store.record(self._event("integrity-warning", note, stored_hash=note.content_hash))
        return ok

    # audited reads -----------------------------------------------------------------------
    def read_note(self, note_id: str) -> Note:
        """One progress note, if the actor may read it; the read is audited."""
        self._live()
        note = self.store.note(note_id)
        basis = "author" if note.author_id == self.actor.id else self._read_basis(note.client_id)
        self._audit_read(self._event("read", note, basis=basis))
        return note

    def notes_for_client(self, client_id: str) -> list[Note]:
        """A client's progress notes (never psychotherapy notes); the read is audited."""
        self._live()
        basis = self._read_basis(client_id)
        notes = self.store.notes_for_client(client_id)
        self._audit_read(self._audit_event(
            "read", target_type="client", target_id=client_id, client_id=client_id,
            category=PROGRESS, detail={"basis": basis, "notes": len(notes)},
        ))
        return notes

    # psychotherapy notes -----------------------------------------------------------------
    def save_psychotherapy_note(
        self, client_id: str, text: str, session_note_id: str | None = None,
        pnote_id: str | None = None,
    ) -> PsychotherapyNote:
        self._live()
        self._require_role(WRITERS, "write psychotherapy notes")
        if pnote_id:
            current = next(
                (p for p in self.store.psychotherapy_notes(client_id) if p.id == pnote_id), None
            )
            if current is None:
                raise ServiceError(f"no psychotherapy note {pnote_id}")
            if current.author_id != self.actor.id:
                raise PermissionDenied("only the author can change a psychotherapy note")
            pnote = current.model_copy(update={"text": text, "updated_at": utcnow()})
        else:
            pnote = PsychotherapyNote(
                client_id=client_id, author_id=self.actor.id, session_note_id=session_note_id,
                text=text,
            )
        action = "update" if pnote_id else "create"
        return self.store.save_psychotherapy_note(pnote, audit=self._audit_event(
            action, target_type="psychotherapy_note", target_id=pnote.id, client_id=client_id,
            category=PSYCHOTHERAPY,
        ))

    def psychotherapy_notes(self, client_id: str) -> list[PsychotherapyNote]:
        """The actor's own psychotherapy notes for this client: nobody else's are returned.

        The read is audited under the "psychotherapy-note" category.
        """
        self._live()
        own = [p for p in self.store.psychotherapy_notes(client_id) if p.author_id == self.actor.id]
        if not self.store.readonly:
            self.store.record(self._audit_event(
                "read", target_type="psychotherapy_note", client_id=client_id,
                category=PSYCHOTHERAPY, detail={"notes": len(own), "ids": [p.id for p in own]},
            ))
        return own

    # helpers -----------------------------------------------------------------------------
    def _event(self, action: str, note: Note, **detail: object) -> AuditEvent:
        return self._audit_event(action, target_type="note", target_id=note.id,
                                 client_id=note.client_id, category=PROGRESS, detail=detail)

    def _read_basis(self, client_id: str) -> str:
        from .access import require_read

        now = self.session.clock() if self.session else dt.datetime.now(dt.timezone.utc)
        try:
            return require_read(self.store, self.actor, self.store.client(client_id), now)
        except PermissionDenied:
            self._audit_read(self._audit_event(
                "read-denied", target_type="client", target_id=client_id, client_id=client_id,
                category=PROGRESS,
            ))
            raise

    def _require_role(self, roles: set[Role], action: str) -> None:
        if self.actor.role not in roles:
            raise PermissionDenied(f"a {self.actor.role.value} cannot {action}")

    def _require_author(self, note: Note, action: str) -> None:
        if note.author_id != self.actor.id:
            raise PermissionDenied(f"only the author can {action} this note")


_FINAL = {NoteStatus.signed, NoteStatus.cosigned}
