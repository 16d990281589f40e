import json
import sqlite3

import click
import pytest
from click.testing import CliRunner

from note_assistant.cli import cli


def run(*args, input=None):
    """Run the CLI like a user would: the exit code and both streams."""
    runner = CliRunner()
    try:
        result = runner.invoke(cli, list(args), input=input, catch_exceptions=True, standalone_mode=True)
    except SystemExit as exc:  # pragma: no cover - Group.main exits itself
        raise AssertionError(exc) from None
    return result


def commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        yield prefix + (name,)
        if isinstance(command, click.Group):
            yield from commands(command, prefix + (name,))


@pytest.mark.parametrize("path", [()] + list(commands(cli)), ids=lambda p: " ".join(p) or "root")
def test_every_command_has_help(path):
    result = run(*path, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    doc = (cli if not path else cli.get_command(None, path[0])).help
    assert doc


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "cli.db"
    assert run("--db", str(path), "demo").exit_code == 0
    return path


NOTE = "S: Client reported low mood and poor sleep for two weeks, work stress.\nO: Affect flat, PHQ-9 = 16.\n"


def test_check_json_contract(tmp_path):
    note = tmp_path / "n.md"
    note.write_bytes(NOTE.replace("\n", "\r\n").encode())
    result = run("check", "--json", str(note))
    assert result.exit_code == 1  # missing Assessment and Plan are errors
    record = json.loads(result.stdout.strip())
    assert record["path"] == str(note) and record["format"] == "soap"
    text = note.read_bytes().decode()
    assert record["findings"]
    for finding in record["findings"]:
        assert set(finding) >= {"rule_id", "category", "severity", "start", "end", "line", "column",
                                "section", "text", "message", "suggestion"}
        assert text[finding["start"]:finding["end"]] == finding["text"]


def test_check_folder_recurses_and_stdin_works(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.md").write_text(NOTE)
    (tmp_path / "two.txt").write_text(NOTE)
    (tmp_path / "skip.csv").write_text(NOTE)
    result = run("check", "--json", str(tmp_path))
    paths = [json.loads(line)["path"] for line in result.stdout.splitlines()]
    assert paths == [str(tmp_path / "a" / "one.md"), str(tmp_path / "two.txt")]
    result = run("check", "--json", "-", input=NOTE)
    assert json.loads(result.stdout)["path"] == "-"


CLEAN = """---
client: Jordan Ellis
date: 2026-11-20
start: 10:00
end: 10:45
cpt: 90834
modality: individual, in person
diagnosis: F41.0 Panic disorder
---
Subjective: Client reported one panic attack this week at work, down from three, and sleeping six hours a night.
Objective: Alert, cooperative, affect anxious but reactive, speech normal rate. GAD-7 = 9 (last session 12).
Assessment: Panic symptoms decreasing with interoceptive exposure; client completed two trials in session and rated fear 40/100, down from 70. Progress toward objective 1 continues. Panic still limits her commute and work meetings. Denies SI/HI; C-SSRS screen negative, risk low.
Plan: Continue weekly CBT with daily exposure practice. Next session in one week.

Signed: Dana Reyes, LCSW, 2026-11-20
"""


def test_complete_note_exits_zero_and_a_broken_one_exits_one(tmp_path):
    note = tmp_path / "ok.md"
    note.write_text(CLEAN)
    result = run("check", "--json", str(note))
    assert result.exit_code == 0, result.output
    assert all(f["severity"] != "error" for f in json.loads(result.stdout)["findings"])
    note.write_text(CLEAN.replace("cpt: 90834", "cpt: 90837"))  # 45 minutes is not a 90837
    result = run("check", "--json", str(note))
    assert result.exit_code == 1
    assert "DOC-CPT-TIME-MISMATCH" in {f["rule_id"] for f in json.loads(result.stdout)["findings"]}


@pytest.mark.parametrize("args,message", [
    (("check", "missing.md"), "missing.md: no such file"),
    (("check",), "give at least one PATH"),
    (("check", "--format", "nope", "-"), "unknown format 'nope'"),
    (("check", "--bogus"), "No such option"),
    (("check", "--plan", "missing.toml", "-"), "missing.toml: no such file"),
    (("check", "--profile", "nope", "-"), "unknown profile 'nope'"),
    (("plan", "show", "missing.toml"), "no such file"),
    (("frobnicate",), "No such command"),
])
def test_user_mistakes_exit_2_with_one_line(args, message):
    result = run(*args, input="")
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert "Traceback" not in result.output


def test_non_utf8_and_bad_toml_are_one_line_errors(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"S: caf\xe9\n")
    result = run("check", str(bad))
    assert result.exit_code == 2 and "not UTF-8" in result.stderr
    plan = tmp_path / "plan.toml"
    plan.write_text("id = [\n")
    result = run("plan", "validate", str(plan))
    assert result.exit_code == 2 and "invalid TOML" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("command", ["check", "expand"])
def test_a_folder_without_notes_is_a_one_line_error(tmp_path, command):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "readme.pdf").write_bytes(b"%PDF")
    result = run(command, str(tmp_path / "empty"))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"note-assistant: error: no notes (.markdown, .md, .txt files) in {tmp_path / 'empty'}"]


@pytest.mark.parametrize("command", ["check", "expand"])
def test_an_overlong_file_is_reported_and_the_others_still_done(tmp_path, command):
    from note_assistant.checks.engine import MAX_NOTE_CHARS

    (tmp_path / "a-huge.md").write_text("S: " + "x" * MAX_NOTE_CHARS, encoding="utf-8")
    (tmp_path / "b-ok.md").write_text("S: Client reports low mood, denies SI.\nO: calm\n",
                                      encoding="utf-8")
    result = run(command, "--json", str(tmp_path))
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert "a-huge.md: too long" in line and "at most 1,000,000" in line
    assert "E088" not in result.stderr  # not spaCy's own message
    (record,) = [json.loads(x) for x in result.stdout.splitlines()]
    assert record["path"].endswith("b-ok.md")


def test_the_api_refuses_an_overlong_note_with_a_clear_error():
    from note_assistant import check_note
    from note_assistant.checks.engine import MAX_NOTE_CHARS, NoteTooLong

    with pytest.raises(NoteTooLong, match="too long to check as one note"):
        check_note("x" * (MAX_NOTE_CHARS + 1))
    assert check_note("S: " + "x" * (MAX_NOTE_CHARS - 3)).findings is not None


def test_plan_show_and_validate(tmp_path):
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({
        "id": "p", "client_id": "c", "start_date": "2026-09-01", "review_due": "2026-12-01",
        "problems": [{"id": "p1", "description": "Panic", "goals": [{"id": "g1", "description": "Less panic",
            "objectives": [{"id": "o1", "description": "1 panic attack per week", "target_date": "2027-01-01"}]}]}],
    }))
    shown = run("plan", "show", str(plan))
    assert shown.exit_code == 0 and "Objective o1: 1 panic attack per week" in shown.output
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"id": "p", "client_id": "c", "start_date": "not a date", "review_due": "2026-12-01"}))
    result = run("plan", "validate", str(bad))
    assert result.exit_code == 2 and "field start_date" in result.stderr


def test_demo_twice_refuses_unless_if_missing(db):
    again = run("--db", str(db), "demo")
    assert again.exit_code == 2 and "already has data" in again.stderr
    assert run("--db", str(db), "demo", "--if-missing").exit_code == 0


def test_db_env_var_is_used(db, monkeypatch):
    monkeypatch.setenv("NOTE_ASSISTANT_DB", str(db))
    result = run("db", "verify")
    assert result.exit_code == 0 and str(db) in result.output


def test_db_backup_verify_and_tamper_detection(db, tmp_path):
    backup = tmp_path / "backup.db"
    result = run("--db", str(db), "db", "backup", str(backup))
    assert result.exit_code == 0 and "verified" in result.output
    assert run("--db", str(backup), "db", "verify").exit_code == 0
    assert run("--db", str(db), "db", "backup", str(backup)).exit_code == 2  # never overwrite
    conn = sqlite3.connect(backup)  # an attacker with raw file access drops the trigger
    conn.execute("DROP TRIGGER notes_signed_no_update")
    conn.execute("UPDATE notes SET text = text || '!' WHERE status = 'signed'")
    conn.commit()
    conn.close()
    result = run("--db", str(backup), "db", "verify")
    assert result.exit_code == 1 and "differs from its signed hash" in result.output


def test_export_leaves_out_psychotherapy_notes(db, tmp_path):
    from note_assistant.services import NoteService
    from note_assistant.storage import Store

    store = Store(db)
    NoteService(store, store.user_by_name("dana")).save_psychotherapy_note("cl-avery", "SECRET-PN-MARKER")
    store.close()
    out = tmp_path / "avery.md"
    result = run("--db", str(db), "export", "Avery Quinn", "--as", "dana", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "Progress notes: Avery Quinn" in text and "SHA-256" in text
    assert "SECRET-PN-MARKER" not in text
    assert run("--db", str(db), "export", "Nobody", "--as", "dana").exit_code == 2
