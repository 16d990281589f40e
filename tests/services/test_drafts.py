"""Autosaved drafts: kept per user and note, offered back only when newer and different."""

from __future__ import annotations

import datetime as dt

import pytest

from note_assistant.services import NoteService
from note_assistant.services.drafts import DraftService

TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def note(demo_store):
    return NoteService(demo_store, demo_store.user("u-dana")).create_draft(
        "cl-avery", "soap", "Subjective:\nsaved\n", TODAY)


def test_draft_round_trip_and_newline_normalisation(demo_store, note):
    drafts = DraftService(demo_store, demo_store.user("u-dana"))
    drafts.save(note.id, "Subjective:\r\nunsaved \U0001F469\u200D\U0001F469\u200D\U0001F467\r\n",
                client_id="cl-avery", pnote_text="private")
    got = drafts.get(note.id)
    assert got.text == "Subjective:\nunsaved \U0001F469\u200D\U0001F469\u200D\U0001F467\n"
    assert got.pnote_text == "private"
    drafts.save(note.id, "second", client_id="cl-avery")  # one draft per user and note
    assert [d.text for d in drafts.all()] == ["second"]


def test_pending_only_when_newer_and_different(demo_store, note):
    dana = demo_store.user("u-dana")
    drafts = DraftService(demo_store, dana)
    drafts.save(note.id, note.text)
    assert drafts.pending() == []                      # same text: nothing to restore
    drafts.save(note.id, "Subjective:\nmore typed\n")
    assert [d.note_id for d in drafts.pending()] == [note.id]
    assert DraftService(demo_store, demo_store.user("u-morgan")).pending() == []  # not morgan's
    NoteService(demo_store, dana).update_draft(note.id, text="Subjective:\nsaved later\n")
    with demo_store.write():  # the note was saved after the draft
        demo_store.db.execute("UPDATE drafts SET saved_at = '2000-01-01T00:00:00+00:00'")
    assert drafts.pending() == []
    drafts.discard(note.id)
    assert drafts.get(note.id) is None


def test_signed_notes_are_never_offered(demo_store, note):
    dana = demo_store.user("u-dana")
    drafts = DraftService(demo_store, dana)
    drafts.save(note.id, "Subjective:\nlater text\n")
    NoteService(demo_store, dana).sign(note.id)
    assert drafts.pending() == []
