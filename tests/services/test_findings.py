"""Checked signing: error findings must be fixed or dismissed with a reason (service-enforced)."""

from __future__ import annotations

import datetime as dt

import pytest

from note_assistant.models import NoteStatus, Role, User
from note_assistant.services import NoteService, PermissionDenied, ServiceError
from note_assistant.services.findings import (
    HEADER_SECTION,
    FindingService,
    UnresolvedFindings,
    check_session_note,
    header_preamble,
)

TODAY = dt.date(2026, 11, 26)
TEXT = "Subjective:\nClient reported low mood most days.\nObjective:\n\nAssessment:\nStable.\nPlan:\nWeekly.\n"


@pytest.fixture
def note(demo_store):
    dana = demo_store.user("u-dana")
    return NoteService(demo_store, dana).create_draft(
        "cl-avery", "soap", TEXT, TODAY, start_time=dt.time(10), end_time=dt.time(10, 50),
        cpt="90834", modality="individual", diagnosis=["F33.1"])


def test_offsets_index_the_note_text_not_the_header(demo_store, note):
    result = FindingService(demo_store, demo_store.user("u-dana")).check(note.id, today=TODAY)
    empty = next(f for f in result.findings if f.rule_id == "FMT-EMPTY-SECTION")
    assert note.text[empty.start:empty.end] == empty.text == "Objective:"
    for f in result.findings:
        assert f.section == HEADER_SECTION or note.text[f.start:f.end] == f.text


def test_header_fields_reach_the_checks(demo_store, note):
    client, author = demo_store.client("cl-avery"), demo_store.user("u-dana")
    assert "CPT: 90834" in header_preamble(note, client, author, TODAY)
    bare = note.model_copy(update={"diagnosis": [], "start_time": None, "end_time": None})
    rules = {f.rule_id: f for f in check_session_note(bare, client=client, author=author, plan=None,
                                                       today=TODAY).findings}
    if "DOC-NO-TIME" in rules:  # the documentation family is registered
        assert rules["DOC-NO-TIME"].section == HEADER_SECTION
        assert (rules["DOC-NO-TIME"].start, rules["DOC-NO-TIME"].end) == (0, 0)


def test_sign_refuses_open_errors_until_dismissed(demo_store, note):
    service = FindingService(demo_store, demo_store.user("u-dana"))
    with pytest.raises(UnresolvedFindings) as refused:
        service.sign(note.id, today=TODAY)
    assert {f.rule_id for f in refused.value.findings} == {"FMT-EMPTY-SECTION"}
    assert demo_store.note(note.id).status == NoteStatus.draft
    with pytest.raises(ServiceError):
        service.dismiss(note.id, refused.value.findings[0], "   ")
    for finding in refused.value.findings:
        service.dismiss(note.id, finding, "nothing observed beyond the report")
    signed = service.sign(note.id, today=TODAY)
    assert signed.status == NoteStatus.signed
    assert [d.reason for d in service.dismissals(note.id)] == ["nothing observed beyond the report"]


def test_a_fixed_error_no_longer_blocks(demo_store, note):
    dana = demo_store.user("u-dana")
    NoteService(demo_store, dana).update_draft(note.id, text=TEXT.replace(
        "Objective:\n\n", "Objective:\nCalm, good eye contact, PHQ-9 = 12 today, speech normal.\n"))
    assert not FindingService(demo_store, dana).blocking(note.id, today=TODAY)


def test_only_author_or_supervisor_dismisses_and_admin_cannot_read(demo_store, note):
    other = demo_store.add_user(User(id="u-other", username="other", display_name="O", role=Role.clinician))
    finding = FindingService(demo_store, demo_store.user("u-dana")).blocking(note.id, today=TODAY)[0]
    with pytest.raises(PermissionDenied):
        FindingService(demo_store, other).dismiss(note.id, finding, "not mine")
    FindingService(demo_store, demo_store.user("u-morgan")).dismiss(note.id, finding, "reviewed in supervision")
    with pytest.raises(PermissionDenied):
        FindingService(demo_store, demo_store.user("u-admin")).dismissals(note.id)
    # supervisors see the dismissals
    assert FindingService(demo_store, demo_store.user("u-morgan")).dismissals(note.id)[0].user_id == "u-morgan"


def test_the_new_services_do_not_import_textual():
    import subprocess
    import sys

    code = ("import sys, note_assistant.services.drafts, note_assistant.services.findings\n"
            "assert not [m for m in sys.modules if m.split('.')[0] == 'textual']\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("fmt, text", [("free-text", ""), ("free-text", "  \n\n"), ("soap", "")])
def test_an_empty_note_cannot_be_signed_without_a_reason(demo_store, fmt, text):
    """An empty free-text note had only an info finding, so it could be signed as it was."""
    dana = demo_store.user("u-dana")
    empty = NoteService(demo_store, dana).create_draft(
        "cl-avery", fmt, text, TODAY, start_time=dt.time(10), end_time=dt.time(10, 50),
        cpt="90834", modality="individual", diagnosis=["F33.1"])
    with pytest.raises(UnresolvedFindings) as refused:
        FindingService(demo_store, dana).sign(empty.id, today=TODAY)
    rules = {f.rule_id for f in refused.value.findings}
    assert rules == ({"FMT-EMPTY-NOTE"} if fmt == "free-text" else {"FMT-MISSING-SECTION"})
    assert demo_store.note(empty.id).status == NoteStatus.draft
