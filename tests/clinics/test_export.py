"""Exports: Markdown, PDF, FHIR R4, client-access copies, psychotherapy notes under an
authorization only, an audit row for every export, atomic files."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from clinics_support import run

from note_assistant.services import NoteService
from note_assistant.services.exporters import export_record, export_to_file
from note_assistant.services.exporters.fhir import validate_bundle
from note_assistant.services.notes import PermissionDenied
from note_assistant.storage import Store

PN_MARKER = "PN-MARKER-7f3a countertransference: I felt protective"
ABBREVIATED = (
    "Subjective: Pt reports poor sleep; denies SI/HI.\n"
    "Objective: Affect flat, PHQ-9 = 14.\n"
    "Assessment: MDD improving with CBT; risk low.\n"
    "Plan: Continue CBT weekly; f/u in 1 wk.\n"
)


def _exports(store: Store) -> list[dict]:
    return [e for e in store.audit_events(action="export")]


@pytest.fixture
def record(demo_store: Store) -> Store:
    """Avery's record with an addendum, a signed abbreviated note, a draft and a psychotherapy note."""
    dana = demo_store.user_by_name("dana")
    service = NoteService(demo_store, dana)
    first = demo_store.notes_for_client("cl-avery")[-1]
    service.add_addendum(first.id, "Correction", "PHQ-9 was 17, not 18.")
    note = service.create_draft("cl-avery", "soap", ABBREVIATED, dt.date(2026, 11, 19),
                                start_time=dt.time(9), end_time=dt.time(9, 50), cpt="90834")
    service.sign(note.id)
    service.create_draft("cl-avery", "soap", "Subjective: DRAFT-ONLY text.\n", dt.date(2026, 11, 25))
    service.save_psychotherapy_note("cl-avery", PN_MARKER, session_note_id=note.id)
    NoteService(demo_store, demo_store.user_by_name("morgan")).save_psychotherapy_note(
        "cl-avery", "MORGAN-PN-MARKER")
    return demo_store


def test_markdown_record_shows_signatures_hashes_and_addenda(record: Store) -> None:
    dana = record.user_by_name("dana")
    text = export_record(record, dana, "Avery Quinn").text
    notes = record.notes_for_client("cl-avery")
    assert text.startswith("# Progress notes: Avery Quinn")
    for note in notes:
        assert note.text.rstrip() in text
        if note.content_hash:
            assert f"Signed by Dana Reyes, LCSW at {note.signed_at:%Y-%m-%d %H:%M} UTC; SHA-256 {note.content_hash}" in text
    assert "Not signed: draft." in text
    assert "### Addendum" in text and "Reason: Correction" in text and "PHQ-9 was 17, not 18." in text
    assert PN_MARKER not in text and "MORGAN-PN-MARKER" not in text
    dates = [line for line in text.splitlines() if line.startswith("## ")]
    assert dates == sorted(dates)


def test_pdf_export_has_signer_hash_and_addendum(record: Store, tmp_path: Path) -> None:
    from pypdf import PdfReader

    dana = record.user_by_name("dana")
    out = tmp_path / "avery.pdf"
    export_to_file(record, dana, "Avery Quinn", out, to="pdf")
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF") and len(data) > 2000
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    flat = " ".join(text.split())
    signed = [n for n in record.notes_for_client("cl-avery") if n.content_hash]
    assert "Signed by Dana Reyes, LCSW" in flat
    for note in signed:
        assert note.content_hash in flat.replace(" ", "")
    assert "Reason: Correction" in flat and "PHQ-9 was 17, not 18." in flat
    assert PN_MARKER not in flat


def test_fhir_bundle_validates_and_round_trips(record: Store) -> None:
    from note_formats import parse_note

    dana = record.user_by_name("dana")
    raw = export_record(record, dana, "Avery Quinn", to="fhir").text
    bundle = validate_bundle(json.loads(raw))  # fhir.resources R4B models
    raw_attachments = {e["resource"]["id"]: e["resource"]["content"][0]["attachment"]["data"]
                       for e in json.loads(raw)["entry"] if e["resource"]["resourceType"] == "DocumentReference"}
    again = validate_bundle(json.loads(bundle.model_dump_json()))
    assert again.model_dump() == bundle.model_dump()
    resources = [e.resource for e in bundle.entry]
    kinds = [r.get_resource_type() for r in resources]
    assert kinds.count("Patient") == 1 and "Practitioner" in kinds
    notes = {n.id: n for n in record.notes_for_client("cl-avery")}
    docrefs = {r.id: r for r in resources if r.get_resource_type() == "DocumentReference"}
    compositions = {r.id[2:]: r for r in resources if r.get_resource_type() == "Composition"}
    assert set(compositions) == set(notes)
    for note_id, note in notes.items():
        doc = docrefs[note_id]
        attachment = doc.content[0].attachment
        assert attachment.contentType.startswith("text/markdown")
        assert attachment.data == note.text.encode("utf-8")  # the model decodes base64Binary
        assert base64.b64decode(raw_attachments[note_id]).decode("utf-8") == note.text
        composition = compositions[note_id]
        parsed = parse_note(note.text, format=note.format)
        assert len(composition.section) == len(parsed.sections)
        assert [s.title for s in composition.section][:1] == ["Subjective"]
        assert composition.status == ("preliminary" if not note.content_hash else composition.status)
        if note.content_hash:
            assert composition.attester[0].mode == "legal"
            assert doc.authenticator is not None
    addenda = [r for r in resources if r.get_resource_type() == "DocumentReference" and r.relatesTo]
    assert len(addenda) == 1 and addenda[0].relatesTo[0].code == "appends"
    assert addenda[0].content[0].attachment.data.decode() == "PHQ-9 was 17, not 18."
    assert PN_MARKER not in raw


def test_fhir_rejects_a_broken_bundle() -> None:
    from pydantic import ValidationError

    from note_assistant.services.exporters.fhir import FhirInvalid

    def bundle(resource: dict) -> dict:
        return {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": resource}]}

    attachment = {"attachment": {"contentType": "text/markdown", "data": "aGk="}}
    with pytest.raises(ValidationError, match="status"):  # required element missing
        validate_bundle(bundle({"resourceType": "DocumentReference", "content": [attachment]}))
    with pytest.raises(ValidationError, match="date"):  # primitive format
        validate_bundle(bundle({"resourceType": "DocumentReference", "status": "current",
                                "date": "yesterday", "content": [attachment]}))
    with pytest.raises(FhirInvalid, match="status 'nonsense'"):  # code value
        validate_bundle(bundle({"resourceType": "DocumentReference", "status": "nonsense", "content": [attachment]}))
    with pytest.raises(FhirInvalid, match="cmp-1"):
        validate_bundle(bundle({"resourceType": "Composition", "status": "final", "type": {"text": "x"},
                                "date": "2026-11-20", "author": [{"display": "x"}], "title": "t",
                                "section": [{"title": "Empty"}]}))


def test_client_access_copy_expands_abbreviations_and_leaves_out_psychotherapy_notes(record: Store) -> None:
    dana = record.user_by_name("dana")
    text = export_record(record, dana, "Avery Quinn", client_access=True).text
    assert text.startswith("# Your progress notes: Avery Quinn")
    assert PN_MARKER not in text and "MORGAN-PN-MARKER" not in text and "psychotherapy" not in text.lower()
    assert "DRAFT-ONLY" not in text  # drafts are not part of the client's copy
    assert "suicidal ideation" in text and "cognitive behavioral therapy" in text
    assert "denies SI/HI" not in text and "Continue CBT weekly" not in text
    with pytest.raises(PermissionDenied, match="client-access"):
        export_record(record, dana, "Avery Quinn", client_access=True, include_psychotherapy=True,
                      authorization="AUTH-1")


def test_psychotherapy_notes_need_an_authorization_and_only_the_authors_own(record: Store) -> None:
    dana = record.user_by_name("dana")
    with pytest.raises(PermissionDenied, match="authorization"):
        export_record(record, dana, "Avery Quinn", include_psychotherapy=True)
    with pytest.raises(PermissionDenied, match="authorization"):
        export_record(record, dana, "Avery Quinn", include_psychotherapy=True, authorization="  ")
    result = export_record(record, dana, "Avery Quinn", include_psychotherapy=True, authorization="AUTH-2026-11")
    assert PN_MARKER in result.text and "MORGAN-PN-MARKER" not in result.text
    assert "Authorization: AUTH-2026-11" in result.text
    last = _exports(record)[-1]
    assert last["category"] == "psychotherapy-note" and last["detail"]["authorization"] == "AUTH-2026-11"
    sam = record.user_by_name("sam")  # has no psychotherapy notes for Avery, and no access
    with pytest.raises(PermissionDenied):
        export_record(record, sam, "Avery Quinn", include_psychotherapy=True, authorization="AUTH-2026-11")
    with pytest.raises(PermissionDenied):
        export_record(record, record.user_by_name("admin"), "Avery Quinn")


def test_every_export_is_audited_without_clinical_text(record: Store, tmp_path: Path) -> None:
    dana = record.user_by_name("dana")
    before = len(_exports(record))
    export_record(record, dana, "Avery Quinn")
    export_to_file(record, dana, "Avery Quinn", tmp_path / "a.json", to="fhir")
    note_id = record.notes_for_client("cl-avery")[0].id
    export_record(record, dana, note_id=note_id, to="markdown")
    rows = _exports(record)[before:]
    assert [r["detail"]["format"] for r in rows] == ["markdown", "fhir", "markdown"]
    assert all(r["actor"] == "dana" and r["client_id"] == "cl-avery" and r["category"] == "progress-note" for r in rows)
    assert rows[1]["detail"]["destination"] == "file" and rows[2]["detail"]["notes"] == [note_id]
    dump = json.dumps(rows)
    assert "PHQ-9" not in dump and "Correction" not in dump
    assert record.verify_audit() == []


def test_files_are_atomic_and_never_overwritten_without_force(record: Store, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from note_assistant.services.exporters import files
    from note_assistant.services.exporters.files import OutputExists

    dana = record.user_by_name("dana")
    out = tmp_path / "avery.md"
    out.write_text("keep me")
    with pytest.raises(OutputExists):
        export_to_file(record, dana, "Avery Quinn", out)
    assert out.read_text() == "keep me"
    export_to_file(record, dana, "Avery Quinn", out, force=True)
    assert out.read_text().startswith("# Progress notes")
    fresh = tmp_path / "fresh.md"
    count = len(_exports(record))

    def broken_audit(*args, **kwargs):
        raise OSError("audit write failed")

    monkeypatch.setattr("note_assistant.services.exporters.record_export", broken_audit)
    with pytest.raises(OSError):
        export_to_file(record, dana, "Avery Quinn", fresh)
    assert not fresh.exists() and len(_exports(record)) == count  # no audit row, no file
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert files.check_free(fresh, False) is None


def test_cli_export_formats_and_refusals(demo_db: Path, tmp_path: Path) -> None:
    store = Store(demo_db)
    NoteService(store, store.user_by_name("dana")).save_psychotherapy_note("cl-avery", PN_MARKER)
    store.close()
    db = ("--db", str(demo_db))
    out = tmp_path / "avery.pdf"
    result = run(*db, "export", "Avery Quinn", "--as", "dana", "--to", "pdf", "-o", str(out))
    assert result.exit_code == 0, result.output and out.read_bytes().startswith(b"%PDF")
    assert run(*db, "export", "Avery Quinn", "--as", "dana", "--to", "pdf", "-o", str(out)).exit_code == 2
    assert run(*db, "export", "Avery Quinn", "--as", "dana", "--to", "pdf").exit_code == 2  # PDF needs -o
    fhir = run(*db, "export", "Avery Quinn", "--as", "dana", "--to", "fhir")
    assert fhir.exit_code == 0 and json.loads(fhir.stdout)["resourceType"] == "Bundle"
    refused = run(*db, "export", "Avery Quinn", "--as", "dana", "--include-psychotherapy-notes")
    assert refused.exit_code == 2 and "authorization" in refused.stderr.splitlines()[-1]
    allowed = run(*db, "export", "Avery Quinn", "--as", "dana", "--include-psychotherapy-notes",
                  "--authorization", "AUTH-9")
    assert allowed.exit_code == 0 and PN_MARKER in allowed.stdout
    client_copy = run(*db, "export", "Avery Quinn", "--as", "dana", "--client-access")
    assert client_copy.exit_code == 0 and PN_MARKER not in client_copy.stdout
    note = run(*db, "export", "--note", "nope", "--as", "dana")
    assert note.exit_code == 2 and len(note.stderr.strip().splitlines()) <= 2


def test_part2_records_carry_the_redisclosure_notice(demo_store: Store) -> None:
    client = demo_store.client("cl-jordan")
    demo_store.db["clients"].update(client.id, {"part2": 1})
    text = export_record(demo_store, demo_store.user_by_name("dana"), "Jordan Ellis").text
    assert "42 CFR Part 2" in text


def test_old_api_still_works(demo_store: Store) -> None:
    from note_assistant.services.export import export_markdown

    text = export_markdown(demo_store, demo_store.user_by_name("dana"), "cl-avery")
    assert "Progress notes: Avery Quinn" in text and "SHA-256" in text
