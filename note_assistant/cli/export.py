"""``note-assistant export``: a client's record, or one note, as Markdown, PDF or FHIR R4; a
client-access copy; psychotherapy notes only with an authorization. Every export is audited."""

from __future__ import annotations

from pathlib import Path

import click

from . import cli
from .base import State, fail, pass_state
from .signin import as_option, service_errors, sign_in


@cli.command()
@click.argument("client", required=False)
@as_option
@click.option("--note", "note_id", default=None, metavar="ID", help="Export this one note (CLIENT optional).")
@click.option("--to", "to", type=click.Choice(["markdown", "pdf", "fhir"]), default="markdown",
              show_default=True, help="Output format (fhir: an R4 Bundle of DocumentReference + Composition).")
@click.option("--client-access", is_flag=True,
              help="The client's own copy: signed notes only, abbreviations written out, never psychotherapy notes.")
@click.option("--include-psychotherapy-notes", "include_pn", is_flag=True,
              help="Add your own psychotherapy notes for this client (needs --authorization).")
@click.option("--authorization", metavar="REF", default=None,
              help="Reference of the client's written authorization (45 CFR 164.508).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (required for PDF) instead of stdout.")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
@click.option("--config", type=click.Path(dir_okay=False, path_type=Path),
              help="Clinic configuration, for formats and house abbreviations.")
@pass_state
def export(state: State, client: str | None, username: str, note_id: str | None, to: str,
           client_access: bool, include_pn: bool, authorization: str | None, output: Path | None,
           force: bool, config: Path | None) -> None:
    """Export CLIENT's record (progress notes with signatures, hashes and addenda).

    Psychotherapy notes are never part of an export unless --include-psychotherapy-notes is
    given with --authorization REF, and then only your own. Files are written atomically and
    never overwritten without --force. Every export is written to the audit trail.
    """
    from ..clinic import load_clinic
    from ..services.exporters import export_record, export_to_file
    from ..services.exporters.files import check_free

    if not client and not note_id:
        fail("name a CLIENT, or a note with --note ID")
    if to == "pdf" and output is None:
        fail("a PDF export needs -o FILE")
    if authorization and not include_pn:
        fail("--authorization goes with --include-psychotherapy-notes")
    if output is not None:
        check_free(output, force)
    clinic = load_clinic(config)
    options = {"to": to, "note_id": note_id, "client_access": client_access,
               "include_psychotherapy": include_pn, "authorization": authorization, "clinic": clinic}
    store = state.store()
    try:
        with service_errors():
            session = sign_in(store, username)
            if output is None:
                result = export_record(store, session, client, **options)
            else:
                result = export_to_file(store, session, client, output, force=force, **options)
    finally:
        store.close()
    if output is None:
        click.echo(result.text, nl=False)
    else:
        click.echo(f"Wrote {output}: {result.description}")
