"""The click group, global options and the one-line error contract.

User mistakes exit 2 with exactly one line on stderr and no traceback. Findings of error
severity exit 1 (``check``). Everything else exits 0.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

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
        except Exception as exc:  # storage and service refusals are user errors too
            if not _is_refusal(exc):
                raise
            click.echo(f"note-assistant: error: {one_line(exc)}", err=True)
            sys.exit(2)
        sys.exit(result if isinstance(result, int) else 0)


_FAST_EXIT = [False]


def allow_fast_exit() -> None:
    """Called by commands that never open the database (``check``, ``expand``, ``audit`` of
    files): when one finishes, :func:`hard_exit` may end the process."""
    _FAST_EXIT[0] = True


def fast_exit_allowed() -> bool:
    return _FAST_EXIT[0]


def hard_exit(code: object) -> "NoReturn":
    """End the process without the interpreter's teardown, as mypy does.

    The teardown frees the NLP pipeline and rule data object by object: ~0.3 s, a fifth of a
    cold ``check``. Exit handlers still run (the regex cache is saved by one) and output is
    flushed first; a flush that fails (a closed pipe) exits 120, as Python itself does.
    """
    import atexit
    import os

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()  # noqa: SLF001 - what interpreter shutdown would run first
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            status = 120
    os._exit(status)


def _is_refusal(exc: BaseException) -> bool:
    """A StorageError (damaged, locked or read-only database) or a ServiceError (permission,
    sign-in, lifecycle): imported only when one is raised, so start-up stays fast."""
    from ..services.errors import ServiceError
    from ..storage.db import StorageError

    return isinstance(exc, (StorageError, ServiceError))


def one_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    if isinstance(exc, OSError) and exc.filename and exc.strerror:
        text = f"{exc.filename}: {exc.strerror}"
    return text.splitlines()[0]


class State:
    """What the global options decided, passed to every command."""

    def __init__(self, db: Path | None) -> None:
        from ..program import set_default_source

        self._db = db
        set_default_source("cli")

    @property
    def db_path(self) -> Path:
        from ..config import load_settings

        return load_settings(db=self._db).db

    def store(self, *, readonly: bool = False, create: bool = False):  # noqa: ANN201
        """Open the database: the passphrase from ``NOTE_ASSISTANT_PASSPHRASE`` or a prompt;
        a damaged file opens read-only with recovery steps on stderr.

        Only ``create`` (the first account, the demo) makes a new database: for any other
        command a missing file is a mistyped ``--db`` or ``NOTE_ASSISTANT_DB``, and a new empty
        database there would hide it behind a password prompt for an account that is not in it.
        """
        from ..storage import Store, StorageError
        from ..storage.crypto import CryptoError, is_encrypted_file, keyfile_path

        path = self.db_path
        if not create and not path.exists():
            raise UserError(
                f"no database at {path}: check --db or NOTE_ASSISTANT_DB (a new clinic starts "
                "with 'note-assistant users add NAME --role admin --name \"Full Name\"'; "
                "'note-assistant demo' makes a demo one)"
            )
        passphrase = self.passphrase()
        if passphrase is None and is_encrypted_file(path) and keyfile_path(path).exists():
            passphrase = click.prompt(f"Passphrase for {path.name}", hide_input=True, err=True)
        try:
            if readonly:
                store = Store(path, passphrase=passphrase, readonly=True)
            else:
                store = Store.open(path, passphrase=passphrase)
        except (StorageError, CryptoError) as exc:
            raise UserError(one_line(exc)) from None
        if store.problem:
            click.echo(f"note-assistant: warning: {store.problem}", err=True)
        if store.new_recovery_key:
            show_recovery_key(store.new_recovery_key)
        return store

    def passphrase(self) -> str | None:
        from ..config import load_settings

        secret = load_settings().passphrase
        return secret.get_secret_value() if secret is not None else None


def show_recovery_key(code: str, *, err: bool = True) -> None:
    """Print a new recovery key once, with what to do with it (stderr: not in piped output)."""
    click.echo(
        "\nRECOVERY KEY (shown once; write it down and keep it in a safe place):\n\n"
        f"    {code}\n\n"
        "It opens the database if the passphrase is forgotten or the .keys file is lost\n"
        "('note-assistant db recover'). Anyone holding it can read the database.\n",
        err=err,
    )


pass_state = click.make_pass_decorator(State)
