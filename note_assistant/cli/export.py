"""``note-assistant export``: a client's progress notes as Markdown (never psychotherapy notes)."""

from __future__ import annotations

from pathlib import Path

import click

from . import cli
from .base import State, fail, pass_state


@cli.command()
@click.argument("client")
@click.option("--as", "username", required=True, help="Your username (the export is made as you).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of stdout.")
@pass_state
def export(state: State, client: str, username: str, output: Path | None) -> None:
    """Export CLIENT's record (progress notes, addenda) as Markdown.

    Psychotherapy notes are never part of an export. PDF and FHIR arrive with the Clinics issue.
    """
    from ..services.export import export_markdown

    if output is not None and output.exists():
        fail(f"{output}: already exists; choose a new file name")
    store = state.store()
    try:
        actor = store.user_by_name(username)
        text = export_markdown(store, actor, client)
    finally:
        store.close()
    if output is None:
        click.echo(text, nl=False)
        return
    tmp = output.with_name(f".{output.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(output)
    click.echo(f"Wrote {output}")
