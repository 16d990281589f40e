"""The session details of a draft (date, times, CPT, modality, diagnosis) as form fields, and
back. Plain Python: the editor's details dialog and its tests use it."""

from __future__ import annotations

import datetime as dt
import re

from ..models import Note

FIELDS = [
    ("date", "Date of service (YYYY-MM-DD)"), ("start", "Start (HH:MM)"), ("end", "Stop (HH:MM)"),
    ("cpt", "CPT code"), ("modality", "Modality"), ("diagnosis", "Diagnosis codes, comma-separated"),
]


def session_fields(note: Note) -> list[tuple[str, str, str]]:
    values = {
        "date": note.date_of_service.isoformat(),
        "start": note.start_time.strftime("%H:%M") if note.start_time else "",
        "end": note.end_time.strftime("%H:%M") if note.end_time else "",
        "cpt": note.cpt or "", "modality": note.modality or "", "diagnosis": ", ".join(note.diagnosis),
    }
    return [(key, label, values[key]) for key, label in FIELDS]


def parse_session_fields(values: dict[str, str]) -> dict[str, object]:
    """The changes for ``NoteService.update_draft``; ValueError names the field to fix."""
    try:
        date = dt.date.fromisoformat(values["date"].strip())
    except ValueError:
        raise ValueError("date: use YYYY-MM-DD") from None
    times: dict[str, dt.time | None] = {}
    for key in ("start", "end"):
        text = values[key].strip()
        try:
            times[key] = dt.time.fromisoformat(text) if text else None
        except ValueError:
            raise ValueError(f"{key}: use HH:MM (24-hour)") from None
    if times["start"] and times["end"] and times["end"] <= times["start"]:
        raise ValueError("the session must stop after it starts")
    return {
        "date_of_service": date, "start_time": times["start"], "end_time": times["end"],
        "cpt": values["cpt"].strip() or None, "modality": values["modality"].strip() or None,
        "diagnosis": [c for c in re.split(r"[,\s;]+", values["diagnosis"]) if c],
    }
