"""``note-assistant audit``: check a folder of notes, or the notes in the database, and report
per note, per rule, per category and per clinician (table, JSON, CSV, self-contained HTML).

Exit status follows ``check``: 0 when no finding has error severity, 1 when one does, 2 for
usage errors or when a file could not be read (the rest are still audited).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import click

from . import cli
from .base import State, allow_fast_exit, fail, pass_state
from .inputs import read_inputs

DEFAULT_DB = "@default"


def _progress(total: int) -> tuple[Callable[[int], None] | None, Callable[[], None]]:
    """A progress bar on stderr when stderr is a terminal and the batch is worth one."""
    if total < 50 or not sys.stderr.isatty():
        return None, lambda: None
    bar = click.progressbar(length=total, label="Auditing", file=sys.stderr, show_pos=True)
    bar.__enter__()
    return bar.update, lambda: bar.__exit__(None, None, None)


def _clinic(config: Path | None, profile: str | None, formats_dir: Path | None):  # noqa: ANN202
    from ..clinic import load_clinic

    return load_clinic(config, profile=profile, formats_dir=formats_dir)


@cli.command()
@click.argument("paths", nargs=-1, type=str)
@click.option("--db", "db_option", is_flag=False, flag_value=DEFAULT_DB, default=None, metavar="[FILE]",
              help="Audit the database instead of files: this FILE, or with no value the global --db.")
@click.option("--as", "username", default=None, metavar="USER",
              help="Your user name (needed with --db; you see the notes you may read).")
@click.option("--config", "config", type=click.Path(dir_okay=False, path_type=Path),
              help="Clinic configuration (default: $NOTE_ASSISTANT_CLINIC_CONFIG).")
@click.option("--profile", default=None, help="Rule profile: overrides the clinic's.")
@click.option("--formats-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of clinic format files: overrides the clinic's.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole report as one JSON document.")
@click.option("--csv", "as_csv", is_flag=True, help="Print one CSV row per finding.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a self-contained HTML report to this file.")
@click.option("--force", is_flag=True, help="Overwrite the --html file if it exists.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
              help="Worker processes (default: one per CPU; small batches run in-process).")
@click.option("--per-note/--no-per-note", default=None,
              help="Per-note table in the terminal report (default: up to 50 notes).")
@click.option("--no-history", is_flag=True, help="Do not compare notes with earlier notes.")
@pass_state
def audit(state: State, paths: tuple[str, ...], db_option: str | None, username: str | None,
          config: Path | None, profile: str | None, formats_dir: Path | None, as_json: bool,
          as_csv: bool, html_path: Path | None, force: bool, jobs: int | None,
          per_note: bool | None, no_history: bool) -> int:
    """Audit PATHs (files, folders of *.md/*.txt) or, with --db, the notes in the database."""
    from ..reports import audit_folder, audit_store
    from ..reports.html import to_html
    from ..reports.render import to_csv, to_table

    if as_json and as_csv:
        fail("choose one of --json and --csv")
    if bool(paths) == bool(db_option):
        fail("give PATHs to audit files, or --db to audit the database (not both)")
    if html_path is not None:
        # only with --html: importing the services package brings in the storage layer
        from ..services.exporters.files import check_free

        check_free(html_path, force)
    clinic = _clinic(config, profile, formats_dir)

    if db_option:
        report = _audit_database(state, db_option, username, clinic, jobs, not no_history, audit_store)
    else:
        allow_fast_exit()  # files only: the database is never opened
        unreadable: list[dict[str, str]] = []
        sources: list[tuple[str, str]] = []
        for path, text, error in read_inputs(paths):
            if error is not None:
                click.echo(f"note-assistant: error: {error}", err=True)
                unreadable.append({"path": path, "error": error})
            else:
                sources.append((path, text))
        update, close = _progress(len(sources))
        try:
            report = audit_folder(sources, clinic, paths=list(paths), unreadable=unreadable,
                                  jobs=jobs, history=not no_history, progress=update)
        finally:
            close()

    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False))
    elif as_csv:
        click.echo(to_csv(report), nl=False)
    else:
        click.echo(to_table(report, per_note=per_note), nl=False)
    if html_path is not None:
        from ..services.exporters.files import write_atomic

        write_atomic(html_path, to_html(report).encode("utf-8"), force=force)
        click.echo(f"Wrote {html_path}", err=True)
    if report.unreadable:
        return 2
    return 1 if report.by_severity()["error"] else 0


def _audit_database(state: State, db_option: str, username: str | None, clinic, jobs, history, audit_store):  # noqa: ANN001, ANN202, PLR0913
    from .signin import service_errors, sign_in

    if not username:
        fail("--db needs --as USER: the audit shows the notes you may read")
    if db_option != DEFAULT_DB:
        state = State(Path(db_option))
    store = state.store()
    closers: list[Callable[[], None]] = []

    def factory(total: int):  # noqa: ANN202
        update, close = _progress(total)
        closers.append(close)
        return update

    try:
        with service_errors():
            session = sign_in(store, username)
            return audit_store(store, session, clinic, jobs=jobs, history=history, progress_factory=factory)
    finally:
        for close in closers:
            close()
        store.close()
