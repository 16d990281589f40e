"""``note-assistant expand``: abbreviations with their expansions, and an expanded copy."""

from __future__ import annotations

import json

import click

from . import cli
from .base import allow_fast_exit, fail
from .inputs import read_inputs, require_notes


def abbreviation_json(a) -> dict:  # noqa: ANN001 - abbreviations.Abbreviation
    return {
        "text": a.text, "start": a.start, "end": a.end, "expansion": a.expansion,
        "alternatives": [{"expansion": x.expansion, "confidence": round(x.confidence, 3)} for x in a.alternatives],
        "confidence": round(a.confidence, 3), "source": a.source, "ambiguous": a.ambiguous,
        "sense_id": a.sense_id,
    }


@cli.command()
@click.argument("paths", nargs=-1, type=str)
@click.option("--text", "inline", default=None, help="Expand this text instead of files.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per input per line.")
def expand(paths: tuple[str, ...], inline: str | None, as_json: bool) -> int:
    """Expand abbreviations in notes (files, folders, '-' for stdin, or --text)."""
    allow_fast_exit()  # never opens the database
    import abbreviations
    from abbreviations.errors import NoteTooLong

    if inline is None and not paths:
        fail("give PATHs, '-' for stdin, or --text TEXT")
    inputs = [("<text>", inline, None)] if inline is not None else list(read_inputs(paths))
    if inline is None:
        require_notes(inputs, paths)
    status = 0
    for path, text, error in inputs:
        if error is not None:
            click.echo(f"note-assistant: error: {error}", err=True)
            status = 2
            continue
        try:
            result = abbreviations.expand(text)
        except NoteTooLong as exc:  # this file only: the others are still expanded
            click.echo(f"note-assistant: error: {path}: {exc}", err=True)
            status = 2
            continue
        if as_json:
            click.echo(json.dumps({
                "path": path,
                "abbreviations": [abbreviation_json(a) for a in result.abbreviations],
                "expanded_text": result.expanded_text,
            }, ensure_ascii=False))
            continue
        for a in result.abbreviations:
            alts = ", ".join(f"{x.expansion} {x.confidence:.2f}" for x in a.alternatives[:3])
            flag = " (ambiguous: confirm)" if a.ambiguous else ""
            click.echo(f"{path}:{a.start}-{a.end}: {a.text} -> {a.expansion} "
                       f"[{a.confidence:.2f}, {a.source}]{flag}" + (f"; or {alts}" if alts else ""))
        click.echo("")
        click.echo(result.expanded_text, nl=not result.expanded_text.endswith("\n"))
    return status
