"""``note-assistant report trainee NAME``: a trainee's feedback over their last N notes."""

from __future__ import annotations

import click

from . import cli
from .base import State, pass_state
from .signin import as_option, service_errors, sign_in


@cli.group()
def report() -> None:
    """Reports for supervision (trainee feedback over time)."""


@report.command("trainee")
@click.argument("name")
@click.option("--last", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many of the trainee's most recent notes.")
@click.option("--json", "fmt", flag_value="json", help="JSON instead of a table.")
@click.option("--csv", "fmt", flag_value="csv", help="CSV (one row per note) instead of a table.")
@as_option
@pass_state
def trainee(state: State, name: str, last: int, fmt: str | None, username: str) -> None:
    """Per note: open findings by category, review rounds, days from session to co-signature.

    For the trainee and their assigned supervisor; audited.
    """
    from ..reports.trainee import to_csv, to_json, to_table, trainee_report

    store = state.store()
    try:
        with service_errors():
            session = sign_in(store, username)
            result = trainee_report(store, session, name, last=last)
    finally:
        store.close()
    render = {"json": to_json, "csv": to_csv}.get(fmt or "", to_table)
    click.echo(render(result).rstrip("\n"))
