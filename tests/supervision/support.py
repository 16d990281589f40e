"""Helpers for the supervision tests: synthetic notes and users (no real client data)."""

from __future__ import annotations

import datetime as dt

from note_assistant.models import Role, User

TODAY = dt.date(2026, 11, 26)
GOOD = ("Subjective: Client reported nightmares on 4 nights this week, down from 6, and avoiding "
        "the bus route near the accident site.\nObjective: Alert, oriented, affect anxious, "
        "speech normal. PCL-5 = 41.\nAssessment: PTSD symptoms improving; partial progress toward "
        "objective o2 (nightmares). Denies SI/HI; risk low.\nPlan: Continue weekly cognitive "
        "processing therapy; impact statement homework. Next session in one week.")
HEADER = dict(start_time=dt.time(14), end_time=dt.time(14, 50), cpt="90834",
              modality="individual", diagnosis=["F43.10"])

QUINN = User(id="u-quinn", username="quinn", display_name="Quinn Ortiz", role=Role.supervisor,
             credentials="PsyD")
CASEY = User(id="u-casey", username="casey", display_name="Casey Lin", role=Role.trainee,
             credentials="MFT trainee", supervisor_id="u-quinn")



def draft(store, author: str = "u-sam", text: str = GOOD, days_ago: int = 3, **header):
    from note_assistant.services import NoteService

    return NoteService(store, store.user(author)).create_draft(
        "cl-riley", "soap", text, TODAY - dt.timedelta(days=days_ago), **{**HEADER, **header})


def review(store, user: str):
    from note_assistant.services.review import ReviewService

    return ReviewService(store, store.user(user))
