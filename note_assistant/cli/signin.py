"""Signing in from the command line: ``--as USER``, then the password from
``NOTE_ASSISTANT_PASSWORD`` (scripts) or a hidden prompt, and a one-time code if the account
has TOTP. Demo accounts have no password: the command says so on stderr and goes on."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import click

from .base import UserError, one_line

as_option = click.option(
    "--as", "username", required=True, metavar="USER",
    help="Your user name; the password comes from NOTE_ASSISTANT_PASSWORD or a prompt.",
)


@contextlib.contextmanager
def service_errors() -> Iterator[None]:
    """Refusals from the services (permissions, sign-in, lifecycle) become one-line errors."""
    from ..services.errors import ServiceError
    from ..storage import StorageError
    from ..storage.crypto import CryptoError

    try:
        yield
    except (ServiceError, StorageError, CryptoError) as exc:
        raise UserError(one_line(exc)) from None


def sign_in(store, username: str):  # noqa: ANN001, ANN201 - Store -> auth.Session
    from ..config import load_settings
    from ..services import auth

    with service_errors():
        if not auth.has_password(store, username):
            session = auth.authenticate(store, username, None, source="cli")
            click.echo(
                f"note-assistant: note: account {username!r} has no password (demo database); "
                "anyone at this computer can act as it",
                err=True,
            )
            return session
        secret = load_settings().password
        password = (secret.get_secret_value() if secret is not None
                    else click.prompt(f"Password for {username}", hide_input=True, err=True))
        code = None
        if auth.needs_totp(store, username):
            code = click.prompt("One-time code", err=True)
        return auth.authenticate(store, username, password, code, source="cli")


def new_password(prompt: str = "New password") -> str:
    return click.prompt(prompt, hide_input=True, confirmation_prompt=True, err=True)
