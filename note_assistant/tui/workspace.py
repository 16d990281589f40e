"""One session note being written: the note, its client and plan, and its private
psychotherapy note. Saving goes through the services; nothing here imports Textual."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Client, Note, TreatmentPlan, User
from ..services.drafts import normalize_newlines
from ..services.findings import history_for
from .session import EDITABLE, Session


@dataclass
class NoteWorkspace:
    """What the editor, the psychotherapy-note editor and the review share."""

    note: Note
    client: Client
    author: User
    plan: TreatmentPlan | None
    history: list[Note] = field(default_factory=list)
    pnote_id: str | None = None
    pnote_text: str = ""
    """The psychotherapy note as currently written (private; never shown with the note)."""
    saved_pnote_text: str = ""

    @classmethod
    def load(cls, session: Session, note_id: str) -> "NoteWorkspace":
        store = session.store
        note = store.note(note_id)
        pnote = store.psychotherapy_note_for_session(note.id)
        if pnote is not None and pnote.author_id != session.user.id:
            pnote = None  # someone else's private note: not ours to show
        return cls(
            note=note, client=store.client(note.client_id), author=store.user(note.author_id),
            plan=store.active_plan(note.client_id, on=note.date_of_service),
            history=history_for(store, note),
            pnote_id=pnote.id if pnote else None,
            pnote_text=pnote.text if pnote else "", saved_pnote_text=pnote.text if pnote else "",
        )

    @property
    def editable(self) -> bool:
        return self.note.status in EDITABLE

    @property
    def pnote_dirty(self) -> bool:
        return normalize_newlines(self.pnote_text) != normalize_newlines(self.saved_pnote_text)

    def dirty(self, text: str) -> bool:
        return normalize_newlines(text) != normalize_newlines(self.note.text) or self.pnote_dirty

    def save(self, session: Session, text: str) -> bool:
        """Save the note text and the psychotherapy note; drop the autosaved draft."""
        changed = False
        text = normalize_newlines(text)
        if self.pnote_dirty:
            self.save_pnote(session)
            changed = True
        if self.editable and text != self.note.text:
            self.note = session.notes.update_draft(self.note.id, text=text)
            changed = True
        session.drafts.discard(self.note.id)
        return changed

    def save_pnote(self, session: Session) -> None:
        pnote = session.notes.save_psychotherapy_note(
            self.client.id, normalize_newlines(self.pnote_text), session_note_id=self.note.id,
            pnote_id=self.pnote_id,
        )
        self.pnote_id = pnote.id
        self.saved_pnote_text = pnote.text

    def autosave(self, session: Session, text: str) -> None:
        """Keep the unsaved state in the drafts table (fast; the note row is untouched)."""
        session.drafts.save(
            self.note.id, text, client_id=self.client.id,
            pnote_text=self.pnote_text if (self.pnote_dirty or self.pnote_id) else None,
        )

    def append_to_pnote(self, passage: str) -> None:
        passage = passage.strip()
        if not passage:
            return
        head = self.pnote_text.rstrip()
        self.pnote_text = f"{head}\n\n{passage}\n" if head else f"{passage}\n"
