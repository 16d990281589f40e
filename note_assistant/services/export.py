"""Exports of the progress-note record. Psychotherapy notes have no path into any export."""

from __future__ import annotations

from ..models import NoteStatus, Role, User
from ..storage.store import Store
from .notes import PermissionDenied


def export_markdown(store: Store, actor: User, client_ref: str) -> str:
    client = store.find_client(client_ref)
    if actor.role == Role.admin:
        raise PermissionDenied("an admin account cannot export clinical records")
    lines = [f"# Progress notes: {client.name}", ""]
    if client.date_of_birth:
        lines += [f"Date of birth: {client.date_of_birth}", ""]
    for note in sorted(store.notes_for_client(client.id), key=lambda n: n.date_of_service):
        lines.append(f"## {note.date_of_service} ({note.format.upper()}, {note.status.value})")
        lines.append("")
        lines.append(note.text.rstrip())
        lines.append("")
        if note.status in (NoteStatus.signed, NoteStatus.cosigned):
            signer = store.user(note.signer_id) if note.signer_id else None
            who = f"{signer.display_name}, {signer.credentials}" if signer else "unknown"
            lines.append(f"Signed by {who} at {note.signed_at:%Y-%m-%d %H:%M} UTC; SHA-256 {note.content_hash}")
            lines.append("")
        for add in store.addenda(note.id):
            author = store.user(add.author_id)
            lines.append(f"### Addendum {add.created_at:%Y-%m-%d %H:%M} UTC by {author.display_name}")
            lines.append(f"Reason: {add.reason}")
            lines.append("")
            lines.append(add.text.rstrip())
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"
