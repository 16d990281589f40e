"""The loop from the command line, the trainee report (table, JSON, CSV) and the rubric."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from click.testing import CliRunner

from note_assistant.cli import cli
from note_assistant.services import PermissionDenied, ServiceError

from .support import GOOD, TODAY, draft, review


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "clinic.db"
    assert CliRunner().invoke(cli, ["--db", str(path), "demo"]).exit_code == 0
    return path


def run(db, *args, ok=True, input=None):  # noqa: A002
    result = CliRunner().invoke(cli, ["--db", str(db), *args], input=input)
    if ok:
        assert result.exit_code == 0, (result.stdout, result.stderr if hasattr(result, "stderr") else "")
    return result


def _new_note(db) -> str:
    from note_assistant.storage import Store

    store = Store(db)
    try:
        return draft(store).id
    finally:
        store.close()


def test_loop_through_the_cli(db, tmp_path):
    note_id = _new_note(db)
    assert "Submitted" in run(db, "submit", note_id, "--as", "sam").stdout
    listed = run(db, "review", "list", "--as", "morgan").stdout.strip().splitlines()
    assert len(listed) == 3 and listed[-1].startswith(note_id)  # oldest first: demo notes before
    assert re.search(r"round 1\s+\d+ open finding", listed[-1])
    shown = run(db, "review", "show", note_id, "--as", "morgan").stdout
    assert "Open findings" in shown and "Round 1: submitted" in shown and "pending" in shown
    out = run(db, "review", "comment", note_id, "Give the exact PCL-5 trend.", "--quote",
              "PCL-5 = 41", "--as", "morgan").stdout
    assert "PCL-5 = 41" in out
    assert "Returned" in run(db, "review", "return", note_id, "--rate", "objectivity=2",
                             "--summary", "Nearly there.", "--as", "morgan").stdout
    # the trainee reads the comments, revises and resubmits
    seen = run(db, "review", "show", note_id, "--as", "sam").stdout
    assert "Give the exact PCL-5 trend." in seen and "returned" in seen and "objectivity=2" in seen
    revised = tmp_path / "revised.txt"
    revised.write_text(GOOD.replace("PCL-5 = 41", "PCL-5 = 41 (was 46 two weeks ago)"))
    run(db, "submit", note_id, "--text", str(revised), "--as", "sam")
    out = run(db, "review", "cosign", note_id, "--rate", "objectivity=4", "--as", "morgan").stdout
    assert out.startswith(f"Co-signed {note_id}")
    data = json.loads(run(db, "review", "show", note_id, "--json", "--as", "sam").stdout)
    assert data["note"]["status"] == "cosigned" and data["note"]["cosigner_id"] == "u-morgan"
    assert [(r["round"], r["decision"]) for r in data["rounds"]] == [(1, "returned"), (2, "cosigned")]
    assert "was 46" in data["note"]["text"]
    assert note_id not in run(db, "review", "list", "--as", "morgan").stdout


@pytest.mark.parametrize(("args", "message"), [
    (["review", "cosign", "{id}", "--as", "sam"], "author cannot co-sign"),
    (["review", "cosign", "{id}", "--as", "dana"], "cannot co-sign"),
    (["review", "cosign", "{id}", "--as", "admin"], "cannot co-sign"),
    (["review", "list", "--as", "dana"], "no review queue"),
    (["submit", "{id}", "--as", "sam"], "cannot be submitted"),
    (["review", "return", "{id}", "--as", "morgan"], "comment or a summary"),
    (["review", "cosign", "{id}", "--rate", "bogus=3", "--as", "morgan"], "unknown rubric criterion"),
    (["review", "cosign", "{id}", "--rate", "objectivity=9", "--as", "morgan"], "must be 1 to 4"),
    (["review", "cosign", "{id}", "--rate", "objectivity", "--as", "morgan"], "CRITERION=SCORE"),
    (["review", "comment", "{id}", "x", "--as", "morgan"], "exactly one of"),
])
def test_refusals_are_one_line_exit_2(db, args, message):
    note_id = _new_note(db)
    run(db, "submit", note_id, "--as", "sam")
    result = run(db, *[a.replace("{id}", note_id) for a in args], ok=False)
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("note-assistant: error")]
    assert len(errors) == 1 and message in errors[0], result.stderr
    assert "Traceback" not in result.output


def test_grant_commands(db):
    from note_assistant.services import NoteService
    from note_assistant.storage import Store

    store = Store(db)
    NoteService(store, store.user("u-sam")).save_psychotherapy_note("cl-riley", "PN-MARK dream")
    store.close()
    denied = run(db, "review", "psychotherapy", "sam", "cl-riley", "--as", "morgan", ok=False)
    assert denied.exit_code == 2 and "PN-MARK" not in denied.stdout
    grant_id = run(db, "review", "grant", "cl-riley", "--days", "3", "--as", "sam").stdout.split()[1]
    assert "PN-MARK dream" in run(db, "review", "psychotherapy", "sam", "cl-riley", "--as", "morgan").stdout
    assert grant_id in run(db, "review", "grants", "--as", "morgan").stdout
    run(db, "review", "revoke", grant_id, "--as", "sam")
    assert run(db, "review", "psychotherapy", "sam", "cl-riley", "--as", "morgan", ok=False).exit_code == 2


# trainee report ---------------------------------------------------------------------------
def test_report_table_json_csv(db):
    table = run(db, "report", "trainee", "sam", "--as", "morgan").stdout
    lines = table.splitlines()
    assert lines[0].startswith("Trainee Sam Patel (sam), supervisor morgan: last 3 note(s)")
    header = lines[1].split()
    assert header[:3] == ["date", "note", "status"] and header[-4:] == ["total", "rounds", "returned", "days"]
    assert [line.split()[2] for line in lines[2:5]] == ["cosigned", "pending_review", "pending_review"]
    assert lines[3].split()[-3:-1] == ["2", "1"]  # the demo note returned once: 2 rounds, 1 returned

    data = json.loads(run(db, "report", "trainee", "sam", "--json", "--as", "sam").stdout)
    assert data["trainee"] == "sam" and len(data["notes"]) == 3
    assert [n["returned"] for n in data["notes"]] == [0, 1, 0]
    assert data["notes"][0]["days_to_cosign"] is not None and data["notes"][1]["days_to_cosign"] is None
    assert data["summary"]["returned_rounds"] == 1 and data["summary"]["cosigned"] == 1
    assert all(n["total"] == sum(n["findings"].values()) for n in data["notes"])

    rows = list(csv.DictReader(io.StringIO(run(db, "report", "trainee", "sam", "--csv", "--last",
                                                "2", "--as", "morgan").stdout)))
    assert len(rows) == 2 and rows[0]["returned"] == "1" and rows[0]["rounds"] == "2"
    assert "stigmatizing-language" in rows[0] and rows[1]["days_to_cosign"] == ""
    assert [r["note_id"] for r in rows] == [n["note_id"] for n in data["notes"][1:]]


@pytest.mark.parametrize("viewer", ["dana", "admin"])
def test_report_is_for_the_trainee_and_their_supervisor(db, viewer):
    result = run(db, "report", "trainee", "sam", "--as", viewer, ok=False)
    assert result.exit_code == 2 and "trainee and their assigned supervisor" in result.stderr


def test_report_counts_findings_by_category_and_is_audited(clinic):
    from note_assistant.reports.trainee import trainee_report

    stigma = draft(clinic, text=GOOD.replace("affect anxious", "client was manipulative"))
    review(clinic, "u-sam").submit(stigma.id, today=TODAY)
    rep = trainee_report(clinic, clinic.user("u-morgan"), "sam", last=1, today=TODAY)
    assert len(rep.notes) == 1 and rep.notes[0].date_of_service == TODAY.replace(day=24)  # newest
    row = next(n for n in trainee_report(clinic, clinic.user("u-morgan"), "sam", today=TODAY).notes
               if n.note_id == stigma.id)
    assert row.findings.get("stigmatizing-language") == 1
    assert any(e["detail"].get("report") == "trainee" for e in clinic.audit_events(action="report"))
    with pytest.raises(PermissionDenied):
        trainee_report(clinic, clinic.user("u-quinn"), "sam")
    with pytest.raises(PermissionDenied, match="not a trainee"):
        trainee_report(clinic, clinic.user("u-morgan"), "dana")


# rubric and schema ------------------------------------------------------------------------
def test_default_rubric_and_a_clinic_rubric(tmp_path, monkeypatch):
    from note_assistant.services.rubric import load_rubric

    default = load_rubric()
    assert [c.id for c in default.criteria][:4] == ["completeness", "plan-linkage", "objectivity",
                                                     "risk-documentation"]
    own = tmp_path / "r.toml"
    own.write_text('id = "ours"\nname = "Ours"\n[[criteria]]\nid = "brevity"\nlabel = "Brevity"\n')
    monkeypatch.setenv("NOTE_ASSISTANT_REVIEW_RUBRIC", str(own))
    assert [c.id for c in load_rubric().criteria] == ["brevity"]
    own.write_text('id = "ours"\nname = "Ours"\ntypo = 1\n[[criteria]]\nid = "b"\nlabel = "B"\n')
    with pytest.raises(ServiceError, match="not a valid rubric"):
        load_rubric()


def test_migration_adds_supervision_schema(store):
    tables = set(store.db.table_names())
    assert {"review_rounds", "review_comments", "training_grants"} <= tables
    assert {"cosigner_id", "cosigned_at"} <= set(store.db["notes"].columns_dict)
    triggers = {t.name: t.sql for t in store.db.triggers}
    assert "'cosigned'" in triggers["notes_signed_no_update"]
    assert "'cosigned'" in triggers["notes_signed_no_delete"]
    applied = [m["name"] for m in store.db["_sqlite_migrations"].rows] if "_sqlite_migrations" in tables else None
    assert applied is None or "m004_supervision" in applied


def test_every_new_command_has_help():
    for args in (["submit"], ["review"], ["review", "list"], ["review", "show"], ["review", "comment"],
                 ["review", "return"], ["review", "cosign"], ["review", "rubric"], ["review", "grant"],
                 ["review", "revoke"], ["review", "grants"], ["review", "psychotherapy"],
                 ["report"], ["report", "trainee"]):
        result = CliRunner().invoke(cli, [*args, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output, args
