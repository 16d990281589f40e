"""Autosaved drafts: what the editor holds but has not saved into the note yet.

The TUI writes a draft within 2 s of a typing pause (and on every screen switch, lock or signal);
saving the note itself removes the draft. A draft that outlived its editor (a crash, ``kill -9``,
a closed terminal) is offered back on the next start when it is newer than the saved note and
differs from it. One draft per user and note; text is stored with newlines normalised.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from pydantic import BaseModel, ConfigDict

from ..models import NoteStatus, User
from ..storage.store import NotFound, Store

_EDITABLE = {NoteStatus.draft, NoteStatus.revision_requested}


def normalize_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n`` (TextArea does the same; hashes must agree)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Draft(BaseModel):
    """One autosaved editor state."""

    model_config = ConfigDict(extra="forbid")

    id: str
    user_id: str
    note_id: str
    client_id: str | None = None
    text: str
    """The progress note text as it was in the editor."""
    pnote_text: str | None = None
    """The session's psychotherapy note text, when one was being written (kept apart)."""
    saved_at: dt.datetime


def draft_id(user_id: str, note_id: str) -> str:
    return f"draft-{user_id}-{note_id}"


class DraftService:
    """Drafts of the signed-in user. Nobody else's drafts are read or written."""

    def __init__(self, store: Store, actor: "User | Any") -> None:
        self.store = store
        self.actor: User = actor if isinstance(actor, User) else actor.user
        """The user (``actor`` may be a signed-in ``services.auth.Session``)."""

    def save(
        self, note_id: str, text: str, *, client_id: str | None = None,
        pnote_text: str | None = None,
    ) -> Draft:
        draft = Draft(
            id=draft_id(self.actor.id, note_id), user_id=self.actor.id, note_id=note_id,
            client_id=client_id, text=normalize_newlines(text),
            pnote_text=normalize_newlines(pnote_text) if pnote_text is not None else None,
            saved_at=_now(),
        )
        payload = {"text": draft.text, "pnote_text": draft.pnote_text}
        self.store.save_draft_row({
            "id": draft.id, "user_id": draft.user_id, "note_id": note_id,
            "client_id": client_id, "payload": json.dumps(payload, ensure_ascii=False),
            "saved_at": draft.saved_at.isoformat(),
        })
        return draft

    def get(self, note_id: str) -> Draft | None:
        rows = self.store.draft_rows(self.actor.id, note_id)
        return _from_row(rows[0]) if rows else None

    def discard(self, note_id: str) -> None:
        self.store.delete_draft_row(draft_id(self.actor.id, note_id))

    def all(self) -> list[Draft]:
        return [_from_row(row) for row in self.store.draft_rows(self.actor.id)]

    def restorable(self, note_id: str) -> Draft | None:
        """The draft for ``note_id`` when it should be offered back, else None."""
        draft = self.get(note_id)
        return draft if draft is not None and self._worth_restoring(draft) else None

    def pending(self) -> list[Draft]:
        """Drafts worth offering on start: newer than their note and different from it."""
        return [d for d in self.all() if self._worth_restoring(d)]

    def _worth_restoring(self, draft: Draft) -> bool:
        try:
            note = self.store.note(draft.note_id)
        except NotFound:
            return False
        if note.status not in _EDITABLE or note.author_id != self.actor.id:
            return False
        updated = note.updated_at if note.updated_at.tzinfo else note.updated_at.replace(tzinfo=dt.timezone.utc)
        # updated_at is stored to the second; a draft from the same second still counts.
        if draft.saved_at < updated.replace(microsecond=0):
            return False
        if draft.text != normalize_newlines(note.text):
            return True
        if draft.pnote_text is None:
            return False
        pnote = self.store.psychotherapy_note_for_session(note.id)
        return draft.pnote_text != normalize_newlines(pnote.text if pnote else "")


def _from_row(row: dict[str, object]) -> Draft:
    payload = json.loads(str(row["payload"]))
    return Draft(
        id=str(row["id"]), user_id=str(row["user_id"]), note_id=str(row["note_id"]),
        client_id=row.get("client_id"), text=payload.get("text", ""),
        pnote_text=payload.get("pnote_text"),
        saved_at=dt.datetime.fromisoformat(str(row["saved_at"])),
    )
