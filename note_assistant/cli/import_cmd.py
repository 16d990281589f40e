"""``note-assistant import``: existing plain-text and Markdown notes into the database as drafts."""

from __future__ import annotations

from pathlib import Path

import click

from . import cli
from .base import State, fail, pass_state
from .inputs import read_inputs
from .signin import as_option, service_errors, sign_in


@cli.command("import")
@click.argument("paths", nargs=-1, type=str)
@click.option("--client", "client", required=True, metavar="NAME", help="The client (name or id).")
@as_option
@click.option("--format", "format_", default="auto", show_default=True,
              help="Note format of every file (soap, birp, dap, girp, pirp, a clinic format, free-text) or 'auto'.")
@click.option("--config", type=click.Path(dir_okay=False, path_type=Path),
              help="Clinic configuration, for its formats (default: $NOTE_ASSISTANT_CLINIC_CONFIG).")
@click.option("--dry-run", is_flag=True, help="Show what would be imported; write nothing.")
@pass_state
def import_notes(state: State, paths: tuple[str, ...], client: str, username: str, format_: str,
                 config: Path | None, dry_run: bool) -> int:
    """Import note files (PATHs: files or folders of *.md/*.txt) as drafts for CLIENT.

    Each file needs a date of service in its header ('Date: 2026-11-20'). All files are
    imported in one transaction: if any file cannot be imported, nothing is.
    """
    from ..clinic import load_clinic
    from ..services.importer import ImportAborted, plan_import, run_import
    from ..services.notes import NoteService

    if not paths:
        fail("give at least one file or folder to import")
    sources: list[tuple[str, str]] = []
    unreadable: list[str] = []
    for path, text, error in read_inputs(paths):
        if error is not None:
            unreadable.append(error)
        else:
            sources.append((path, text))
    if unreadable:  # every unreadable file, one line each, so they can all be fixed at once
        for error in unreadable[:-1]:
            click.echo(f"note-assistant: error: {error}", err=True)
        fail(f"{unreadable[-1]}; nothing imported")
    if not sources:
        fail("no *.md or *.txt files found; nothing imported")
    clinic = load_clinic(config)
    store = state.store()
    try:
        with service_errors():
            session = sign_in(store, username)
            plan = plan_import(store, client, sources, format=format_, formats=clinic.formats,
                               actor_name=session.user.display_name)
            if dry_run:
                _print_plan(plan)
                return 1 if plan.problems else 0
            try:
                created = run_import(store, NoteService(store, session), plan)
            except ImportAborted as exc:
                fail(str(exc))
    finally:
        store.close()
    for item, note in zip(plan.items, created, strict=True):
        click.echo(f"{item.path}: draft {note.id} ({item.format}, {item.date})")
    click.echo(f"Imported {len(created)} draft(s) for {plan.client.name}.")
    return 0


def _print_plan(plan) -> None:  # noqa: ANN001
    click.echo(f"Dry run: nothing written. Client: {plan.client.name} ({plan.client.id})")
    for item in plan.items:
        sections = ", ".join(item.sections) or "-"
        status = "ok" if not item.problems else "CANNOT IMPORT"
        click.echo(f"{item.path}: {status}; format {item.format}; date {item.date or '-'}; sections: {sections}")
        for problem in item.problems:
            click.echo(f"    problem: {problem}")
        for warning in item.warnings:
            click.echo(f"    note: {warning}")
    bad = sum(1 for i in plan.items if i.problems)
    if bad:
        click.echo(f"{bad} of {len(plan.items)} file(s) cannot be imported; a real import would write nothing.")
    else:
        click.echo(f"{len(plan.items)} file(s) would be imported as drafts.")
