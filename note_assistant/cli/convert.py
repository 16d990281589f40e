"""``note-assistant convert``: rewrite a note in another format (SOAP, BIRP, DAP, GIRP, PIRP)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import cli
from .inputs import decode, read_text


@cli.command()
@click.argument("file", type=str)
@click.option("--to", "to_format", required=True, help="Target format (soap, birp, dap, girp, pirp or a clinic format).")
@click.option("--from", "from_format", default="auto", show_default=True, help="Source format, or 'auto' to detect it.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the converted note here instead of stdout.")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
@click.option("--formats-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of clinic format files (default: $NOTE_ASSISTANT_FORMATS_DIR).")
def convert(file: str, to_format: str, from_format: str, output: Path | None, force: bool,
            formats_dir: Path | None) -> None:
    """Convert FILE ('-' for stdin) to another format through the sections' roles.

    Whole sections move to the target section that plays the same role (SOAP Objective ->
    BIRP Behavior, both observation). A section with no counterpart is kept word for word
    under an "Unmapped (...)" heading at the end and listed on stderr.
    """
    from note_formats import load_formats
    from note_formats.convert import convert_note

    from ..config import load_settings
    from ..services.exporters.files import check_free, write_atomic

    formats = load_formats(load_settings(formats_dir=formats_dir).formats_dir)
    if output is not None:
        check_free(output, force)
    text = decode(sys.stdin.buffer.read(), "<stdin>") if file == "-" else read_text(Path(file))
    result = convert_note(text, to_format, formats, from_format=None if from_format == "auto" else from_format)
    source, target = formats[result.source_format].name, formats[result.target_format].name
    for mapping in result.mapping:
        where = f"{target} {mapping.target_title}" if mapping.target else "Unmapped (kept at the end)"
        click.echo(f"{source} {mapping.source_title} -> {where}", err=True)
    for key in result.empty:
        click.echo(f"note: {target} {formats[result.target_format].section(key).title} is empty: fill it in", err=True)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if output is None:
        click.echo(result.text, nl=False)
    else:
        write_atomic(output, result.text.encode("utf-8"), force=force)
        click.echo(f"Wrote {output}", err=True)
