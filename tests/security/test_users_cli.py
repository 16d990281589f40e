"""``note-assistant users``: admin-only account management from the command line."""

from __future__ import annotations

import json

from click.testing import CliRunner

from note_assistant.cli import cli
from note_assistant.services import totp

ADMIN = {"NOTE_ASSISTANT_PASSWORD": "boss-password-1"}


def run(db, *args, env=None, input=None):
    return CliRunner().invoke(cli, ["--db", str(db), *args], env=env, input=input)


def test_first_admin_then_accounts_managed_by_the_admin(tmp_path):
    db = tmp_path / "clinic.db"
    refused = run(db, "users", "add", "kim", "--role", "clinician", "--name", "Kim", input="p" * 12 + "\n" + "p" * 12 + "\n")
    assert refused.exit_code == 2 and "first account must be an admin" in refused.stderr
    first = run(db, "users", "add", "boss", "--role", "admin", "--name", "Boss",
                input="boss-password-1\nboss-password-1\n")
    assert first.exit_code == 0, first.output
    assert "Password for boss" in first.stderr and "boss-password-1" not in first.output
    no_as = run(db, "users", "add", "kim", "--role", "clinician", "--name", "Kim")
    assert no_as.exit_code == 2 and "--as ADMIN is required" in no_as.stderr
    added = run(db, "users", "add", "kim", "--role", "clinician", "--name", "Kim Ng", "--as", "boss",
                env=ADMIN, input="kim-password-12\nkim-password-12\n")
    assert added.exit_code == 0, added.stderr
    listed = run(db, "users", "list", "--as", "boss", "--json", env=ADMIN)
    rows = {r["username"]: r for r in map(json.loads, listed.stdout.splitlines())}
    assert rows["kim"]["role"] == "clinician" and rows["kim"]["has_password"]
    assert "hash" not in listed.stdout
    kim = {"NOTE_ASSISTANT_PASSWORD": "kim-password-12"}
    denied = run(db, "users", "list", "--as", "kim", env=kim)
    assert denied.exit_code == 2 and "only an admin" in denied.stderr
    assert run(db, "users", "role", "kim", "supervisor", "--as", "boss", env=ADMIN).exit_code == 0
    assert run(db, "users", "passwd", "kim", "--as", "kim", env=kim,
               input="kim-password-new\nkim-password-new\n").exit_code == 0
    assert run(db, "users", "deactivate", "kim", "--as", "boss", env=ADMIN).exit_code == 0
    gone = run(db, "users", "list", "--as", "kim", env={"NOTE_ASSISTANT_PASSWORD": "kim-password-new"})
    assert gone.exit_code == 2 and "invalid user name or password" in gone.stderr
    log = run(db, "audit-log", "--as", "boss", "--json", "--action", "role-change", env=ADMIN)
    assert [json.loads(line)["detail"]["after"] for line in log.stdout.splitlines()] == ["supervisor"]


def test_a_mistyped_database_is_an_error_not_a_new_empty_one(tmp_path):
    """A missing --db file used to become a new empty database, and the command then asked
    for the password of an account that was not in it."""
    db = tmp_path / "typo.db"
    for args in (["export", "Avery Quinn", "--as", "dana"], ["review", "list", "--as", "morgan"],
                 ["users", "list", "--as", "boss"], ["audit-log", "--as", "boss"],
                 ["db", "backup", str(tmp_path / "copy.db")]):
        result = run(db, *args, env=ADMIN)
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr.strip().splitlines() == [result.stderr.strip()]
        assert "no database" in result.stderr and str(db) in result.stderr
        assert "Password" not in result.stderr
        assert not db.exists() and not (tmp_path / "copy.db").exists()
    refused = run(db, "users", "add", "kim", "--role", "clinician", "--name", "Kim")
    assert refused.exit_code == 2 and "first account must be an admin" in refused.stderr
    assert not db.exists()
    first = run(db, "users", "add", "boss", "--role", "admin", "--name", "Boss",
                input="boss-password-1\nboss-password-1\n")
    assert first.exit_code == 0 and db.exists()
    assert run(db, "users", "list", "--as", "boss", env=ADMIN).exit_code == 0


def test_wrong_password_and_lockout_are_one_line_errors(tmp_path):
    db = tmp_path / "c.db"
    run(db, "users", "add", "boss", "--role", "admin", "--name", "Boss", input="boss-password-1\nboss-password-1\n")
    for _ in range(5):
        bad = run(db, "users", "list", "--as", "boss", env={"NOTE_ASSISTANT_PASSWORD": "nope"})
        assert bad.exit_code == 2 and len(bad.stderr.strip().splitlines()) == 1
    locked = run(db, "users", "list", "--as", "boss", env=ADMIN)
    assert locked.exit_code == 2 and "too many failed sign-ins" in locked.stderr


def test_totp_on_then_the_cli_asks_for_a_code(tmp_path):
    db = tmp_path / "t.db"
    run(db, "users", "add", "boss", "--role", "admin", "--name", "Boss", input="boss-password-1\nboss-password-1\n")
    on = run(db, "users", "totp", "boss", "on", "--as", "boss", env=ADMIN)
    assert on.exit_code == 0 and "otpauth://totp/" in on.output
    secret = next(line.split()[-1] for line in on.output.splitlines() if "secret:" in line)
    import datetime as dt

    code = totp.code_at(secret, dt.datetime.now(dt.timezone.utc))
    ok = run(db, "users", "list", "--as", "boss", env=ADMIN, input=f"{code}\n")
    assert ok.exit_code == 0 and "One-time code" in ok.stderr
    assert run(db, "users", "list", "--as", "boss", env=ADMIN, input="000000\n").exit_code == 2


def test_demo_database_keeps_working_without_passwords_and_says_so(tmp_path):
    db = tmp_path / "demo.db"
    assert run(db, "demo").exit_code == 0
    result = run(db, "users", "list", "--as", "admin")
    assert result.exit_code == 0
    assert "no password (demo database)" in result.stderr
    assert "no-password" in result.stdout
