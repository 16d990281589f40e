"""The printable layout of a record, as a list of blocks that Markdown and PDF both render.

Signed notes show the signer, the signing time and the SHA-256 signing hash; addenda follow
their note with author, time, reason and the hash of the original they amend.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .record import ClientRecord, NoteEntry, person

Kind = Literal["title", "heading", "subheading", "meta", "notice", "text", "signature"]

PART2_NOTICE = (
    "This record is protected by federal confidentiality rules (42 CFR Part 2). Federal law "
    "prohibits any further disclosure of it unless expressly permitted by the written consent "
    "of the person to whom it pertains or as otherwise permitted by 42 CFR Part 2."
)
PSYCHOTHERAPY_NOTICE = (
    "Psychotherapy notes (45 CFR 164.501) are kept apart from the progress-note record. "
    "They are disclosed here under the client's written authorization named below only."
)


_STEP = {"request": "Client's request", "accepted": "Accepted", "denied": "Denied",
         "disagreement": "Client's statement of disagreement", "rebuttal": "Rebuttal"}


@dataclass(frozen=True)
class Block:
    kind: Kind
    text: str


def _title(record: ClientRecord) -> str:
    if record.client_access:
        return f"Your progress notes: {record.client.name}"
    if record.single_note:
        return f"Progress note: {record.client.name}"
    return f"Progress notes: {record.client.name}"


def _note_heading(entry: NoteEntry) -> str:
    note = entry.note
    times = ""
    if note.start_time and note.end_time:
        times = f", {note.start_time:%H:%M}\u2013{note.end_time:%H:%M}"
    return f"{note.date_of_service}{times} ({note.format.upper()}, {note.status.value.replace('_', ' ')})"


def _service(entry: NoteEntry) -> str:
    """The billing header kept in the note's columns: CPT, modality, diagnosis."""
    note = entry.note
    parts = [f"CPT {note.cpt}" if note.cpt else "", note.modality or "",
             f"Diagnosis {', '.join(note.diagnosis)}" if note.diagnosis else ""]
    return "; ".join(p for p in parts if p)


def _signature(entry: NoteEntry, expanded: bool) -> str:
    note = entry.note
    when = f"{note.signed_at:%Y-%m-%d %H:%M} UTC" if note.signed_at else "unknown time"
    of = " of the signed original" if expanded else ""
    return f"Signed by {person(entry.signer)} at {when}; SHA-256{of} {note.content_hash}"


def blocks(record: ClientRecord) -> list[Block]:
    out = [Block("title", _title(record))]
    client = record.client
    if client.date_of_birth:
        out.append(Block("meta", f"Date of birth: {client.date_of_birth}"))
    made = f"Exported {record.generated_at:%Y-%m-%d %H:%M} UTC by {person(record.actor)}"
    out.append(Block("meta", made + (f" ({record.clinic_name})" if record.clinic_name else "") + "."))
    if record.client_access:
        out.append(Block("notice", "This copy contains your signed progress notes. Abbreviations "
                                   "are written out in full; the signed originals are unchanged."))
    if client.part2:
        out.append(Block("notice", PART2_NOTICE))
    if not record.entries:
        out.append(Block("meta", "No progress notes."))
    for entry in record.entries:
        out.append(Block("heading", _note_heading(entry)))
        if entry.author is not None and not record.client_access:
            out.append(Block("meta", f"Author: {person(entry.author)}"))
        service = _service(entry)
        if service:
            out.append(Block("meta", service))
        out.append(Block("text", entry.text.rstrip()))
        if entry.signed:
            out.append(Block("signature", _signature(entry, record.client_access)))
        else:
            out.append(Block("signature", "Not signed: draft."))
        for addendum, author in entry.addenda:
            out.append(Block("subheading", f"Addendum {addendum.created_at:%Y-%m-%d %H:%M} UTC by {person(author)}"))
            out.append(Block("meta", f"Reason: {addendum.reason}"))
            out.append(Block("text", addendum.text.rstrip()))
            out.append(Block("signature", f"Amends the original with SHA-256 {addendum.original_hash}"))
        for chain in entry.amendments:
            out.append(Block("subheading", f"Amendment request {chain.request.id} ({chain.request.status})"))
            for step in chain.steps:
                out.append(Block("meta", f"{_STEP[step.kind]} {step.at:%Y-%m-%d %H:%M} UTC, recorded by {step.by}:"))
                out.append(Block("text", step.text.rstrip()))
    if record.psychotherapy:
        out.append(Block("title", f"Psychotherapy notes: {client.name}"))
        out.append(Block("notice", PSYCHOTHERAPY_NOTICE))
        out.append(Block("meta", f"Authorization: {record.authorization}. Author: {person(record.actor)}."))
        for pnote in record.psychotherapy:
            session = f", session note {pnote.session_note_id}" if pnote.session_note_id else ""
            out.append(Block("heading", f"{pnote.created_at:%Y-%m-%d %H:%M} UTC (psychotherapy note {pnote.id}{session})"))
            out.append(Block("text", pnote.text.rstrip()))
    return out


def to_markdown(items: list[Block]) -> str:
    lines: list[str] = []
    for block in items:
        if block.kind == "title":
            lines += [f"# {block.text}", ""]
        elif block.kind == "heading":
            lines += [f"## {block.text}", ""]
        elif block.kind == "subheading":
            lines += [f"### {block.text}", ""]
        elif block.kind == "notice":
            lines += [f"> {block.text}", ""]
        else:
            lines += [block.text, ""]
    return "\n".join(lines).rstrip() + "\n"
