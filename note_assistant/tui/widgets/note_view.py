"""A stored progress note, read-only: header, text, signature, addenda and dismissals.

Psychotherapy notes never appear here (they have their own, private editor).
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from ...models import Addendum, Client, Note, NoteStatus, User
from ...services.findings import Dismissal
from .session_bar import session_line


def render_note(note: Note, client: Client, *, signer: User | None, addenda: list[tuple[Addendum, User]],
                dismissals: list[tuple[Dismissal, User]], verified: bool | None) -> Content:
    parts: list[tuple[str, str] | str] = [(session_line(note, client), "bold"), "\n\n", note.text.rstrip(), "\n"]
    if note.status in (NoteStatus.signed, NoteStatus.cosigned) and note.signed_at:
        who = f"{signer.display_name}, {signer.credentials}" if signer else "unknown"
        parts += ["\n", ("Signed ", "bold"), f"by {who} on {note.signed_at:%Y-%m-%d}"]
        if verified is False:
            parts += ["\n", ("WARNING: the text no longer matches its signing hash.", "bold $text-error")]
        elif verified:
            parts += [("  (hash verified)", "dim")]
    for addendum, author in addenda:
        parts += ["\n\n", ("Addendum ", "bold $text-accent"),
                  f"{addendum.created_at:%Y-%m-%d %H:%M} UTC by {author.display_name}\n",
                  ("Reason: ", "dim"), f"{addendum.reason}\n", addendum.text.rstrip()]
    if dismissals:
        parts += ["\n\n", ("Dismissed findings", "bold")]
        for dismissal, user in dismissals:
            parts += ["\n", f"{dismissal.rule_id}", ("  by ", "dim"), user.display_name,
                      ("  reason: ", "dim"), dismissal.reason]
    return Content.assemble(*parts)


class NoteView(Static):
    """Shows one note; ``show`` replaces it."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__("Select a note.", markup=False, **kwargs)

    def show(self, content: Content | str) -> None:
        self.update(content)
