"""``note-assistant db``: migrate, back up and verify the database."""

from __future__ import annotations

from pathlib import Path

import click

from . import cli
from .base import State, fail, pass_state


@cli.group()
def db() -> None:
    """Database maintenance: migrate, backup, verify."""


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
    if not state.db_path.exists():
        fail(f"{state.db_path}: no database to back up")
    store = state.store()
    try:
        report = backup_database(store, destination)
    finally:
        store.close()
    click.echo(f"Backed up {state.db_path} to {destination}: {report}")


@db.command()
@pass_state
def verify(state: State) -> None:
    """Check integrity: SQLite's integrity check and every signed note's hash."""
    from ..storage.backup import verify_database

    if not state.db_path.exists():
        fail(f"{state.db_path}: no such database")
    store = state.store()
    try:
        problems, summary = verify_database(store)
    finally:
        store.close()
    for problem in problems:
        click.echo(f"FAIL {problem}")
    click.echo(f"{state.db_path}: {summary}")
    if problems:
        raise SystemExit(1)
