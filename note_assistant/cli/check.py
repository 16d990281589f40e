"""``note-assistant check``: run every check over note files (a stable contract other tools use).

Exit 0 when no error-severity finding, 1 when there is one, 2 for usage errors or unreadable
input. ``--json`` prints one object per input file per line; ``start``/``end`` index the file's
text exactly as read and ``text`` equals that slice.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from . import cli
from ..checks.serialize import finding_json, line_col
from .base import allow_fast_exit, fail
from .inputs import read_inputs, require_notes


@cli.command()
@click.argument("paths", nargs=-1, type=str)
@click.option("--format", "format_", default="auto", show_default=True,
              help="Note format key (soap, birp, dap, girp, pirp, a clinic format) or 'auto'.")
@click.option("--plan", "plan_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Treatment plan file (TOML or JSON) to check the notes against.")
@click.option("--profile", default=None, help="Rule profile: a built-in name or a .toml file.")
@click.option("--formats-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of clinic format files (default: $NOTE_ASSISTANT_FORMATS_DIR).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per input file per line.")
def check(paths: tuple[str, ...], format_: str, plan_path: Path | None, profile: str | None,
          formats_dir: Path | None, as_json: bool) -> int:
    """Check notes: PATHs are files, folders (*.md and *.txt inside) or '-' for stdin."""
    allow_fast_exit()  # never opens the database
    from note_formats import get_format, load_formats

    from ..checks.batch import BatchItem, check_batch
    from ..checks.profiles import load_profile
    from ..config import load_settings
    from ..plans import load_plan

    if not paths:
        fail("give at least one PATH, or '-' to read stdin")
    settings = load_settings(formats_dir=formats_dir)
    formats = load_formats(settings.formats_dir)
    if format_ != "auto" and format_.lower() not in ("free-text", "free"):
        get_format(format_, formats)  # unknown format: exit 2 before reading anything
    plan = load_plan(plan_path) if plan_path else None
    rule_profile = load_profile(profile)

    items = [BatchItem(path, text, error) for path, text, error in read_inputs(paths)]
    require_notes(items, paths)
    worst = 0
    render = _render_json if as_json else _render_human
    for result in check_batch(items, format=format_, plan=plan, profile=rule_profile, formats=formats,
                              render=render):
        if result.error is not None:
            click.echo(f"note-assistant: error: {result.error}", err=True)
            worst = 2
            continue
        if result.has_errors:
            worst = max(worst, 1)
        click.echo(result.rendered)
    return worst


def _render_json(result) -> str:  # noqa: ANN001 - a checks.batch.BatchResult
    """The ``--json`` line for one file (made in the worker that checked it)."""
    record = {"path": result.path, "format": result.format,
              "findings": [finding_json(result.text, f) for f in result.findings]}
    record.update(result.extras or {})
    return json.dumps(record, ensure_ascii=False)


def _render_human(result) -> str:  # noqa: ANN001 - a checks.batch.BatchResult
    """The report lines for one file (styled; click drops the colour when not a terminal)."""
    path, text, findings = result.path, result.text, result.findings
    lines = []
    counts = {"error": 0, "warning": 0, "info": 0}
    for finding in findings:
        counts[finding.severity] += 1
        line, column = line_col(text, finding.start)
        colour = {"error": "red", "warning": "yellow", "info": "cyan"}[finding.severity]
        label = click.style(f"{finding.severity:<7}", fg=colour)
        lines.append(f"{path}:{line}:{column}: {label} {finding.rule_id:<28} {finding.message}")
        if finding.text.strip():
            snippet = " ".join(finding.text.split())
            lines.append(f"    text: {snippet[:100]}{'…' if len(snippet) > 100 else ''}")
        if finding.suggestion:
            lines.append(f"    fix:  {finding.suggestion}")
    summary = ", ".join(f"{n} {k}{'s' if n != 1 else ''}" for k, n in counts.items())
    lines.append(f"{path}: {result.format} note, {summary}")
    return "\n".join(lines)


__all__ = ["check", "finding_json", "line_col"]
