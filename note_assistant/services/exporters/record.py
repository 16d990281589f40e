"""Gathering what an export contains, with every access rule applied in one place.

* An admin account exports nothing clinical.
* Psychotherapy notes are never part of a record unless asked for with an authorization
  reference (45 CFR 164.508(a)(2)); even then only the acting user's own are included.
* A client-access copy (164.524) holds signed progress notes only, never psychotherapy notes,
  with abbreviations written out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ...models import Addendum, Client, Note, NoteStatus, PsychotherapyNote, Role, User, utcnow
from ...storage.store import NotFound, Store
from ..amendments import chains_for_note
from ..notes import NoteService, PermissionDenied

FINAL = (NoteStatus.signed, NoteStatus.cosigned)


@dataclass
class NoteEntry:
    """One progress note with the people and addenda an export shows beside it."""

    note: Note
    author: User | None
    signer: User | None
    addenda: list[tuple[Addendum, User | None]] = field(default_factory=list)
    text: str = ""
    """The text to export: the note as written, or expanded for a client-access copy."""
    amendments: list = field(default_factory=list)
    """Client amendment requests with their chains (``services.amendments.Chain``)."""

    @property
    def signed(self) -> bool:
        return self.note.status in FINAL


@dataclass
class ClientRecord:
    """Everything one export shows, already filtered by the access rules."""

    client: Client
    actor: User
    entries: list[NoteEntry]
    psychotherapy: list[PsychotherapyNote] = field(default_factory=list)
    authorization: str | None = None
    client_access: bool = False
    clinic_name: str = ""
    generated_at: dt.datetime = field(default_factory=utcnow)
    single_note: bool = False

    @property
    def category(self) -> str:
        """The audit data category (psychotherapy notes are their own category)."""
        return "psychotherapy-note" if self.psychotherapy else "progress-note"


def person(user: User | None) -> str:
    if user is None:
        return "unknown"
    return f"{user.display_name}, {user.credentials}" if user.credentials else user.display_name


def _user(store: Store, user_id: str | None) -> User | None:
    if not user_id:
        return None
    try:
        return store.user(user_id)
    except NotFound:
        return None


def acting_user(actor) -> User:  # noqa: ANN001 - a User or an auth.Session
    return actor if isinstance(actor, User) else actor.user


def gather(
    store: Store,
    actor,  # noqa: ANN001 - the signed-in auth.Session (or a User in scripts and tests)
    client_ref: str | None = None,
    *,
    note_id: str | None = None,
    client_access: bool = False,
    include_psychotherapy: bool = False,
    authorization: str | None = None,
    expand=None,  # noqa: ANN001 - callable(str) -> str for client-access copies
    clinic_name: str = "",
) -> ClientRecord:
    """The record (or one note of it) that ``actor`` may export, or a ``PermissionDenied``.

    Notes are read through :class:`NoteService`, so its access rules (client's clinician,
    note author, supervisor, break-glass) apply and the reads are audited.
    """
    service = NoteService(store, actor)
    user = acting_user(actor)
    if user.role == Role.admin:
        raise PermissionDenied("an admin account cannot export clinical records")
    if include_psychotherapy:
        if client_access:
            raise PermissionDenied(
                "a client-access copy never contains psychotherapy notes (45 CFR 164.524(a)(1)(i))"
            )
        if not (authorization or "").strip():
            raise PermissionDenied(
                "exporting psychotherapy notes needs the client's written authorization: "
                "give its reference with --authorization"
            )
    if note_id:
        note = service.read_note(note_id)
        client = store.client(note.client_id)
        if client_ref and client_ref not in (client.id, client.name) and client_ref.lower() != client.name.lower():
            raise ValueError(f"note {note_id} belongs to another client, not {client_ref!r}")
        notes = [note]
    else:
        if not client_ref:
            raise ValueError("name a client, or a note with --note")
        client = store.find_client(client_ref)
        notes = sorted(service.notes_for_client(client.id), key=lambda n: (n.date_of_service, n.created_at))
    if client_access:
        notes = [n for n in notes if n.status in FINAL]
        if note_id and not notes:
            raise PermissionDenied("a client-access copy holds signed notes only; this note is not signed")
    entries = []
    for note in notes:
        addenda = [(a, _user(store, a.author_id)) for a in store.addenda(note.id)]
        text = expand(note.text) if (client_access and expand) else note.text
        if client_access and expand:
            addenda = [(a.model_copy(update={"text": expand(a.text)}), who) for a, who in addenda]
        entries.append(NoteEntry(note, _user(store, note.author_id), _user(store, note.signer_id), addenda, text,
                                 chains_for_note(store, note.id)))
    psychotherapy: list[PsychotherapyNote] = []
    if include_psychotherapy:
        own = service.psychotherapy_notes(client.id)
        wanted = {n.id for n in notes}
        psychotherapy = [p for p in own if not note_id or p.session_note_id in wanted]
        if not psychotherapy:
            raise PermissionDenied(
                "you have no psychotherapy notes for this client"
                + (" and session" if note_id else "")
                + " (only the author's own psychotherapy notes can be exported)"
            )
    return ClientRecord(
        client=client, actor=user, entries=entries, psychotherapy=psychotherapy,
        authorization=authorization.strip() if include_psychotherapy and authorization else None,
        client_access=client_access, clinic_name=clinic_name, single_note=bool(note_id),
    )
