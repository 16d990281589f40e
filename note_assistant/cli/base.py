"""The click group, global options and the one-line error contract.

User mistakes exit 2 with exactly one line on stderr and no traceback. Findings of error
severity exit 1 (``check``). Everything else exits 0.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

USER_ERRORS: tuple[type[BaseException], ...] = (ValueError, LookupError, OSError, PermissionError)


class UserError(click.ClickException):
    exit_code = 2


def fail(message: str) -> "None":
    raise UserError(message)


class Group(click.Group):
    """A group that turns every usage error and known user error into one stderr line."""

    def main(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            click.echo("note-assistant: aborted", err=True)
            sys.exit(130)
        except click.UsageError as exc:
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
            click.echo(f"note-assistant: error: {exc.format_message()}{hint}", err=True)
            sys.exit(2)
        except click.ClickException as exc:
            click.echo(f"note-assistant: error: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except USER_ERRORS as exc:
            click.echo(f"note-assistant: error: {one_line(exc)}", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("note-assistant: interrupted", err=True)
            sys.exit(130)
        sys.exit(result if isinstance(result, int) else 0)


def one_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    if isinstance(exc, OSError) and exc.filename and exc.strerror:
        text = f"{exc.filename}: {exc.strerror}"
    return text.splitlines()[0]


class State:
    """What the global options decided, passed to every command."""

    def __init__(self, db: Path | None) -> None:
        self._db = db

    @property
    def db_path(self) -> Path:
        from ..config import load_settings

        return load_settings(db=self._db).db

    def store(self):  # noqa: ANN201
        from ..storage import Store

        return Store(self.db_path)


pass_state = click.make_pass_decorator(State)
