"""The ``note-assistant`` command line. Commands import their heavy dependencies lazily so that
``note-assistant check one.md`` starts fast."""

from __future__ import annotations

import gc

# Start-up creates over a hundred thousand long-lived objects (spaCy, the rule data). At the
# default threshold (700) the cyclic collector ran ~290 times during a cold `check`, twice over
# all of them: ~0.15 s, a tenth of the run. A young collection every 50,000 allocations keeps
# memory bounded and cuts that to a few collections. Set before the imports below (part of it).
gc.set_threshold(50_000, 10, 10)

from pathlib import Path  # noqa: E402

import click  # noqa: E402

from .base import Group, State, fast_exit_allowed, hard_exit  # noqa: E402

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=Group, invoke_without_command=True, context_settings=CONTEXT)
@click.option(
    "--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Database file (default: $NOTE_ASSISTANT_DB, else the XDG data folder).",
)
@click.version_option(package_name="note-assistant", prog_name="note-assistant")
@click.pass_context
def cli(ctx: click.Context, db: Path | None) -> None:
    """Write mental-health progress notes that are correct, complete and private.

    With no command, opens the app on the database.
    """
    ctx.obj = State(db)
    if ctx.invoked_subcommand is None:
        from ..tui import run_app

        run_app(ctx.obj.db_path)


def _register() -> None:
    from . import audit_log, check, db, demo, expand, export, plan, users  # noqa: F401 - commands register themselves
    from . import audit, config_cmd, convert, import_cmd  # noqa: F401 - clinics (issue #7)
    from . import report, review  # noqa: F401 - supervision (issue #6)
    from . import amend  # noqa: F401 - client amendment requests (45 CFR 164.526)


_register()


def main() -> None:
    try:
        cli()
    except SystemExit as exc:
        if fast_exit_allowed():
            hard_exit(exc.code)
        raise
