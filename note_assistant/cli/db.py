"""``note-assistant db``: migrate, back up, restore, verify and encrypt the database."""

from __future__ import annotations

from pathlib import Path

import click

from . import cli
from .base import State, fail, pass_state, show_recovery_key


@cli.group()
def db() -> None:
    """Database maintenance: migrate, backup, restore, verify, encryption."""


@db.command()
@pass_state
def migrate(state: State) -> None:
    """Apply pending schema migrations (they also run whenever the database opens)."""
    from ..storage.migrations import migrations

    store = state.store()
    try:
        applied = migrations.applied(store.db)
    finally:
        store.close()
    click.echo(f"{state.db_path}: schema up to date ({len(applied)} migrations applied)")
    for migration in applied:
        click.echo(f"  {migration.name}  {migration.applied_at[:19]}")


@db.command()
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
@pass_state
def backup(state: State, destination: Path) -> None:
    """Copy the database to DESTINATION with SQLite's backup API, then verify the copy."""
    from ..storage.backup import backup_database

    if destination.exists():
        fail(f"{destination}: already exists; choose a new file name")
    store = state.store()
    try:
        report = backup_database(store, destination)
    finally:
        store.close()
    click.echo(f"Backed up {state.db_path} to {destination}: {report}")


@db.command()
@click.option("--expect-head", metavar="N:HASH",
              help="An audit chain head kept elsewhere ('audit-log --head'); fail if the log no longer has it.")
@pass_state
def verify(state: State, expect_head: str | None) -> None:
    """Check integrity: SQLite's integrity check, every signed note's hash, the audit chain,
    and whether the file is encrypted."""
    from ..storage.backup import verify_database

    anchor = None
    if expect_head:
        count, _, digest = expect_head.partition(":")
        if not count.isdigit() or len(digest) != 64:
            fail("--expect-head: expected N:HASH as printed by 'audit-log --head'")
        anchor = (int(count), digest)
    store = state.store(readonly=True)
    try:
        problems, summary = verify_database(store, anchor)
    finally:
        store.close()
    for problem in problems:
        click.echo(f"FAIL {problem}")
    click.echo(f"{state.db_path}: {summary}")
    if problems:
        raise SystemExit(1)


def _new_passphrase(state: State, prompt: str = "New passphrase") -> str:
    from ..config import load_settings
    from ..storage.crypto import check_passphrase

    secret = load_settings().new_passphrase
    value = (secret.get_secret_value() if secret is not None
             else click.prompt(prompt, hide_input=True, confirmation_prompt=True, err=True))
    check_passphrase(value)
    return value


@db.command()
@pass_state
def encrypt(state: State) -> None:
    """Encrypt the database with a passphrase (SQLCipher, AES-256) and print a recovery key.

    The passphrase comes from NOTE_ASSISTANT_PASSPHRASE or is asked twice. Close the app first.
    The key file DB.keys is written beside the database: back it up with it ('db backup' does).
    A new database is created encrypted. The old plaintext file's blocks are overwritten;
    plaintext backups made earlier are not touched: destroy them yourself.
    """
    from ..storage.crypto import check_passphrase
    from ..storage.encryption import encrypt_database
    from .signin import service_errors

    passphrase = state.passphrase()
    if passphrase is None:
        passphrase = click.prompt("Passphrase", hide_input=True, confirmation_prompt=True, err=True)
    with service_errors():
        check_passphrase(passphrase)
        code = encrypt_database(state.db_path, passphrase)
    click.echo(f"{state.db_path}: encrypted (SQLCipher 4, AES-256); key file "
               f"{state.db_path.name}.keys")
    show_recovery_key(code, err=False)


@db.command()
@click.option("--new-key", is_flag=True, help="Also re-encrypt with a new key (prints a new recovery key).")
@pass_state
def rekey(state: State, new_key: bool) -> None:
    """Change the passphrase (NOTE_ASSISTANT_NEW_PASSPHRASE or asked twice).

    With --new-key the whole file is re-encrypted with a fresh key, e.g. after a recovery key
    was exposed; the old recovery key stops working. Close the app first.
    """
    from ..storage import encryption
    from .signin import service_errors

    store = state.store()
    try:
        if not store.encrypted:
            fail(f"{state.db_path}: not encrypted; run 'note-assistant db encrypt' first")
        key = store._key
    finally:
        store.close()
    passphrase = _new_passphrase(state)
    with service_errors():
        if new_key:
            code = encryption.rotate_key(state.db_path, key, passphrase)
        else:
            encryption.change_passphrase(state.db_path, key, passphrase)
    click.echo(f"{state.db_path}: passphrase changed" + ("; new key" if new_key else ""))
    if new_key:
        show_recovery_key(code, err=False)


@db.command()
@pass_state
def recover(state: State) -> None:
    """Set a new passphrase with the recovery key (forgotten passphrase or lost .keys file)."""
    from ..storage.encryption import recover as recover_with
    from .signin import service_errors

    code = click.prompt("Recovery key", hide_input=True, err=True)
    passphrase = _new_passphrase(state)
    with service_errors():
        recover_with(state.db_path, code, passphrase)
    click.echo(f"{state.db_path}: new passphrase set; key file {state.db_path.name}.keys rewritten")


@db.command()
@click.argument("backup_file", metavar="BACKUP", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--to", "target", type=click.Path(dir_okay=False, path_type=Path),
              help="Restore into this new file instead of the current database.")
@click.option("--yes", is_flag=True, help="Replace the current database without asking (it is kept aside).")
@pass_state
def restore(state: State, backup_file: Path, target: Path | None, yes: bool) -> None:
    """Verify BACKUP, then restore it (to --to PATH, or over the database after confirmation).

    An encrypted backup opens with its BACKUP.keys file and the passphrase it had when it was
    made (NOTE_ASSISTANT_PASSPHRASE or a prompt). The replaced database is kept as
    DB.before-restore-TIME, never deleted. Close the app first.
    """
    from ..storage.backup import restore_database
    from ..storage.crypto import is_encrypted_file
    from .signin import service_errors

    destination = target or state.db_path
    if not backup_file.exists():
        fail(f"{backup_file}: no such backup")
    replace = False
    if destination.exists():
        if target is not None and not yes:
            fail(f"{destination}: already exists; choose a new path or add --yes")
        replace = yes or click.confirm(
            f"Replace {destination} with {backup_file}? (the current file is kept aside)",
            default=False, err=True,
        )
        if not replace:
            fail("not restored")
    passphrase = state.passphrase()
    if passphrase is None and is_encrypted_file(backup_file):
        passphrase = click.prompt(f"Passphrase for {backup_file.name}", hide_input=True, err=True)
    with service_errors():
        report = restore_database(backup_file, destination, passphrase=passphrase, replace=replace)
    click.echo(f"Restored {backup_file} to {destination}: {report}")
