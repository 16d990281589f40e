"""The note service: the only writer of notes, addenda and psychotherapy notes.

The acting user is fixed when the service is made (from the signed-in session) and is never a
parameter of an action. Every permission and lifecycle rule is enforced here, so the TUI, the
CLI and any script get the same guarantees.
"""

from __future__ import annotations

import datetime as dt

from ..models import (
    Addendum, Note, NoteStatus, PsychotherapyNote, Role, User, note_hash, utcnow,
)
from ..storage.store import Store

EDITABLE = {NoteStatus.draft, NoteStatus.revision_requested}
WRITERS = {Role.clinician, Role.trainee, Role.supervisor}


class ServiceError(Exception):
    """A request the service refuses; the message is meant for the user."""


class PermissionDenied(ServiceError):
    pass


class InvalidTransition(ServiceError):
    pass


class NoteService:
    def __init__(self, store: Store, actor: User) -> None:
        self.store = store
        self.actor = actor

    # drafts ------------------------------------------------------------------------------
    def create_draft(
        self,
        client_id: str,
        format: str,
        text: str,
        date_of_service: dt.date,
        **header: object,
    ) -> Note:
        self._require_role(WRITERS, "write notes")
        self.store.client(client_id)  # raises NotFound for an unknown client
        note = Note(
            client_id=client_id, author_id=self.actor.id, format=format, text=text,
            date_of_service=date_of_service, **header,
        )
        return self.store.insert_note(note)

    def update_draft(self, note_id: str, **changes: object) -> Note:
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
        return self.store.update_note(updated)

    # signing -----------------------------------------------------------------------------
    def sign(self, note_id: str) -> Note:
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
        return self.store.update_note(signed)

    def add_addendum(self, note_id: str, reason: str, text: str) -> Addendum:
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
        return self.store.insert_addendum(addendum)

    def verify(self, note_id: str) -> bool:
        """True when a signed note still matches the hash taken when it was signed."""
        note = self.store.note(note_id)
        return note.content_hash is None or note.content_hash == note_hash(note)

    # psychotherapy notes -----------------------------------------------------------------
    def save_psychotherapy_note(
        self, client_id: str, text: str, session_note_id: str | None = None,
        pnote_id: str | None = None,
    ) -> PsychotherapyNote:
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
        return self.store.save_psychotherapy_note(pnote)

    def psychotherapy_notes(self, client_id: str) -> list[PsychotherapyNote]:
        """The actor's own psychotherapy notes for this client: nobody else's are returned."""
        return [p for p in self.store.psychotherapy_notes(client_id) if p.author_id == self.actor.id]

    # helpers -----------------------------------------------------------------------------
    def _require_role(self, roles: set[Role], action: str) -> None:
        if self.actor.role not in roles:
            raise PermissionDenied(f"a {self.actor.role.value} cannot {action}")

    def _require_author(self, note: Note, action: str) -> None:
        if note.author_id != self.actor.id:
            raise PermissionDenied(f"only the author can {action} this note")


_FINAL = {NoteStatus.signed, NoteStatus.cosigned}
