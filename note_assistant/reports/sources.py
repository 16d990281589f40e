"""What an audit reads: note files from folders, or the notes in the store.

Each note travels with a short history (the same client's earlier notes, the same clinician's
earlier notes for other clients) so that history-based checks such as cloned documentation see
what they would see in the app.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..models import Note, Role, User
from .runner import AuditItem

if TYPE_CHECKING:  # an audit of files never opens the database: no storage import at start-up
    from ..storage.store import Store

HISTORY = 5
"""Earlier notes given to the checks with each note (client's first, then clinician's)."""

_FIELD = re.compile(
    r"^[ \t]*(?:[-*][ \t]+)?\**(?P<key>client(?: name)?|patient|date(?: of service)?|dos|"
    r"clinician|provider|therapist)\**[ \t]*[:=][ \t]*[\"']?(?P<value>[^\"'\n]+?)[\"']?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _quick_header(text: str) -> tuple[str | None, str | None, dt.date | None]:
    """(client, clinician, date) from the first lines, cheaply: only to order the history."""
    client = clinician = None
    date = None
    for match in _FIELD.finditer(text, 0, min(len(text), 1500)):
        key, value = match.group("key").lower(), match.group("value").strip()
        if key.startswith(("client", "patient")) and client is None:
            client = value
        elif key in ("clinician", "provider", "therapist") and clinician is None:
            clinician = value
        elif date is None:
            found = _DATE.search(value)
            if found:
                try:
                    date = dt.date(*map(int, found.groups()))
                except ValueError:
                    pass
    return client, clinician, date


def folder_items(sources: Iterable[tuple[str, str]], *, history: bool = True) -> list[AuditItem]:
    items = [AuditItem(key=path, text=text, path=path) for path, text in sources]
    if not history:
        return items
    facts = [_quick_header(item.text) for item in items]
    by_client: dict[str, list[int]] = defaultdict(list)
    by_clinician: dict[str, list[int]] = defaultdict(list)
    for index, (client, clinician, _) in enumerate(facts):
        if client:
            by_client[client.lower()].append(index)
        if clinician:
            by_clinician[clinician.lower()].append(index)
    shadow: dict[int, Note] = {}

    def as_note(index: int) -> Note:
        if index not in shadow:
            client, clinician, date = facts[index]
            shadow[index] = Note(
                id=f"file-{index}", client_id=(client or f"file-{index}").lower(),
                author_id=(clinician or "unknown").lower(), format="auto",
                text=items[index].text, date_of_service=date or dt.date.min,
            )
        return shadow[index]

    for index, item in enumerate(items):
        client, clinician, date = facts[index]
        if date is None:
            continue
        earlier: list[int] = []
        for group in (by_client.get((client or "").lower(), []), by_clinician.get((clinician or "").lower(), [])):
            candidates = [i for i in group if i != index and facts[i][2] is not None and facts[i][2] < date]
            candidates.sort(key=lambda i: facts[i][2], reverse=True)
            earlier += [i for i in candidates if i not in earlier][: HISTORY - len(earlier)]
        item.history = [as_note(i) for i in earlier]
        item.client_id = (client or "").lower() or None
        item.author_id = (clinician or "").lower() or None
    return items


def visible_notes(store: Store, user: User) -> list[Note]:
    """The notes ``user`` may read (``services.access``): their own, their clients', and, for a
    supervisor, every client's. Admin accounts read no clinical notes."""
    from ..services.access import read_basis
    from ..services.notes import PermissionDenied

    if user.role == Role.admin:
        raise PermissionDenied("an admin account cannot read clinical notes")
    now = dt.datetime.now(dt.timezone.utc)
    allowed = {c.id for c in store.clients() if read_basis(store, user, c, now) is not None}
    return [n for n in store.all_notes() if n.author_id == user.id or n.client_id in allowed]


def store_items(store: Store, notes: list[Note], *, history: bool = True) -> list[AuditItem]:
    """Stored notes with their header (date, times, CPT, modality, diagnosis, clinician and the
    entry date as "Written") written above the text, as the app checks them."""
    from ..services.findings import header_preamble

    users = {u.id: u for u in store.users()}
    clients = {c.id: c for c in store.clients()}
    ordered = sorted(notes, key=lambda n: (n.date_of_service, n.created_at))
    by_client: dict[str, list[Note]] = defaultdict(list)
    by_author: dict[str, list[Note]] = defaultdict(list)
    plans: dict[tuple[str, dt.date], object] = {}
    items = []
    for note in ordered:
        earlier = list(reversed(by_client[note.client_id][-HISTORY:]))
        earlier += [n for n in reversed(by_author[note.author_id][-HISTORY:]) if n.client_id != note.client_id]
        key = (note.client_id, note.date_of_service)
        if key not in plans:
            plans[key] = store.active_plan(note.client_id, on=note.date_of_service)
        author = users.get(note.author_id)
        client = clients.get(note.client_id)
        items.append(AuditItem(
            key=note.id, text=note.text, note_id=note.id,
            client=client.name if client else note.client_id, client_id=note.client_id,
            author_id=note.author_id, clinician=author.display_name if author else None,
            date=note.date_of_service.isoformat(), format=note.format,
            plan=plans[key], history=earlier[:HISTORY] if history else [],
            preamble=header_preamble(note, client, author, today=note.created_at.date()),
        ))
        by_client[note.client_id].append(note)
        by_author[note.author_id].append(note)
    return items
