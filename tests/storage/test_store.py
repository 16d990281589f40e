import datetime as dt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from note_assistant.models import Client, NoteStatus, PsychotherapyNote, Role, User, content_hash, note_hash
from note_assistant.services import InvalidTransition, NoteService, PermissionDenied
from note_assistant.storage import Store, StorageError

EXPECTED_TABLES = {
    "users", "clients", "plans", "notes", "addenda", "psychotherapy_notes", "dismissals", "drafts",
    "_sqlite_migrations", "break_glass_grants", "audit_log", "audit_head", "audit_secret",
    "review_rounds", "review_comments", "training_grants",  # m004_supervision (issue #6)
    "amendment_requests",  # m005_amendments (45 CFR 164.526)
}


def test_blank_database_migrates_to_the_expected_schema(tmp_path):
    store = Store(tmp_path / "blank.db")
    try:
        assert set(store.db.table_names()) == EXPECTED_TABLES
        assert store.db["notes"].columns_dict.keys() >= {"id", "text", "status", "content_hash", "signed_at"}
        triggers = {t.name for t in store.db.triggers}
        assert {"notes_signed_no_update", "notes_signed_no_delete", "addenda_no_update"} <= triggers
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    finally:
        store.close()
    again = Store(tmp_path / "blank.db")  # migrating twice is a no-op
    from note_assistant.storage.migrations import migrations

    assert len(list(again.db["_sqlite_migrations"].rows)) == len(migrations._migrations)
    again.close()


def test_a_file_that_is_not_a_database_gives_a_clear_error(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageError, match="not a"):
        Store(path)


def _service(store, username):
    return NoteService(store, store.user_by_name(username))


def _signed_note(demo_store):
    dana = _service(demo_store, "dana")
    note = dana.create_draft("cl-avery", "soap", "S: x\nO: y\nA: z\nP: next session", dt.date(2026, 11, 20))
    return dana, dana.sign(note.id)


def test_signed_note_cannot_be_changed_by_raw_sql(demo_store):
    _, note = _signed_note(demo_store)
    errors = demo_store.errors  # sqlite3 or sqlcipher3: the suite runs on both
    with pytest.raises(errors.IntegrityError, match="immutable"):
        demo_store.db.execute("UPDATE notes SET text = 'changed' WHERE id = ?", [note.id])
    with pytest.raises(errors.IntegrityError, match="immutable"):
        demo_store.db["notes"].update(note.id, {"status": "draft"})
    with pytest.raises(errors.IntegrityError, match="immutable"):
        demo_store.db.execute("DELETE FROM notes WHERE id = ?", [note.id])
    assert demo_store.note(note.id).text == note.text


def test_drafts_stay_editable(demo_store):
    dana = _service(demo_store, "dana")
    note = dana.create_draft("cl-avery", "soap", "S: first", dt.date(2026, 11, 20))
    demo_store.db.execute("UPDATE notes SET text = 'S: second' WHERE id = ?", [note.id])
    assert dana.update_draft(note.id, text="S: third").text == "S: third"


def test_addendum_keeps_the_original_and_its_hash(demo_store):
    dana, note = _signed_note(demo_store)
    original_hash = note.content_hash
    addendum = dana.add_addendum(note.id, "late information", "Client called to add context.")
    assert addendum.original_hash == original_hash
    reloaded = demo_store.note(note.id)
    assert reloaded.text == note.text
    assert reloaded.content_hash == original_hash == note_hash(reloaded)
    assert dana.verify(note.id)
    with pytest.raises(demo_store.errors.IntegrityError):
        demo_store.db.execute("UPDATE addenda SET text = 'x' WHERE id = ?", [addendum.id])


def test_signed_note_cannot_be_edited_through_the_service(demo_store):
    dana, note = _signed_note(demo_store)
    with pytest.raises(InvalidTransition, match="addendum"):
        dana.update_draft(note.id, text="new")
    with pytest.raises(InvalidTransition):
        dana.sign(note.id)


def test_permissions_are_enforced_in_the_service(demo_store):
    dana = _service(demo_store, "dana")
    note = dana.create_draft("cl-avery", "soap", "S: x", dt.date(2026, 11, 20))
    with pytest.raises(PermissionDenied):
        _service(demo_store, "morgan").update_draft(note.id, text="not mine")
    sam = _service(demo_store, "sam")
    own = sam.create_draft("cl-riley", "soap", "S: x", dt.date(2026, 11, 20))
    with pytest.raises(PermissionDenied, match="trainee"):
        sam.sign(own.id)
    with pytest.raises(PermissionDenied):
        _service(demo_store, "admin").create_draft("cl-avery", "soap", "S: x", dt.date(2026, 11, 20))


def test_psychotherapy_notes_never_appear_in_progress_note_queries(demo_store):
    dana = _service(demo_store, "dana")
    note = dana.create_draft("cl-avery", "soap", "S: ordinary note", dt.date(2026, 11, 20))
    marker = "PSYNOTE-MARKER-7f3a"
    dana.save_psychotherapy_note("cl-avery", f"{marker} countertransference", session_note_id=note.id)
    texts = [n.text for n in demo_store.notes_for_client("cl-avery")]
    texts += [n.text for n in demo_store.search_notes("MARKER")]
    texts += [n.text for n in demo_store.all_notes()]
    assert all(marker not in t for t in texts)
    from note_assistant.services.export import export_markdown

    assert marker not in export_markdown(demo_store, demo_store.user_by_name("dana"), "cl-avery")
    assert [p.text for p in dana.psychotherapy_notes("cl-avery")] == [f"{marker} countertransference"]
    assert _service(demo_store, "morgan").psychotherapy_notes("cl-avery") == []


def test_hash_encoding_is_unambiguous():
    assert content_hash({"a": ["ab", "c"]}) != content_hash({"a": ["a", "bc"]})
    assert content_hash({"t": "x\r\ny"}) == content_hash({"t": "x\ny"})
    assert content_hash({"a": 1, "b": 2}) == content_hash({"b": 2, "a": 1})


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=1))
def test_stored_text_is_exact(tmp_path_factory, text):
    store = Store(tmp_path_factory.mktemp("exact") / "t.db")
    try:
        user = store.add_user(User(username="u", display_name="U", role=Role.clinician))
        store.add_client(Client(id="c1", name="C"))
        svc = NoteService(store, user)
        note = svc.create_draft("c1", "soap", text, dt.date(2026, 1, 1))
        assert store.note(note.id).text == text
        signed = svc.sign(note.id)
        assert store.note(note.id).content_hash == signed.content_hash == note_hash(store.note(note.id))
    finally:
        store.close()


def test_psychotherapy_note_author_only(demo_store):
    dana = _service(demo_store, "dana")
    pnote = dana.save_psychotherapy_note("cl-avery", "private")
    with pytest.raises(PermissionDenied):
        _service(demo_store, "morgan").save_psychotherapy_note("cl-avery", "edit", pnote_id=pnote.id)
    assert isinstance(pnote, PsychotherapyNote)


def test_note_statuses_round_trip(demo_store):
    notes = demo_store.notes_for_client("cl-avery", status=NoteStatus.signed)
    assert len(notes) == 2 and all(n.content_hash for n in notes)
