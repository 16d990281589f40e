"""``note-assistant users``: accounts (admin only), and ``break-glass`` emergency access."""

from __future__ import annotations

import json

import click

from . import cli
from .base import State, fail, pass_state
from .signin import as_option, new_password, service_errors, sign_in

ROLES = ["clinician", "trainee", "supervisor", "admin"]


@cli.group()
def users() -> None:
    """Accounts: add, list, passwd, role, deactivate, break-glass, totp (admin only).

    The first account of an empty database is an admin made with 'users add NAME --role admin'
    (no --as). Every change is audited as a privilege change.
    """


@users.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--name", "display_name", required=True, help="Full name, printed on signatures.")
@click.option("--credentials", default="", help='E.g. "LCSW", "PhD".')
@click.option("--supervisor", default=None, metavar="USER", help="The trainee's supervisor.")
@click.option("--break-glass", is_flag=True, help="May open emergency access to any client.")
@click.option("--as", "username_as", default=None, metavar="USER",
              help="Your (admin) user name; not needed for the first account.")
@pass_state
def add(state: State, username: str, role: str, display_name: str, credentials: str,
        supervisor: str | None, break_glass: bool, username_as: str | None) -> None:
    """Add USERNAME; its password is asked twice (hidden)."""
    from ..models import Role
    from ..services.users import UserAdmin, bootstrap_admin

    first = username_as is None
    if first and role != "admin" and not state.db_path.exists():
        fail("the first account must be an admin (--role admin)")  # before creating anything
    store = state.store(create=first)  # the first account creates the database
    try:
        with service_errors():
            if first:
                if store.users():
                    fail("--as ADMIN is required: the database already has accounts")
                if role != "admin":
                    fail("the first account must be an admin (--role admin)")
                bootstrap_admin(store, username, display_name, new_password(f"Password for {username}"))
            else:
                admin = UserAdmin(sign_in(store, username_as))
                admin.add(username, display_name, Role(role), new_password(f"Password for {username}"),
                          credentials=credentials, supervisor=supervisor, break_glass=break_glass)
    finally:
        store.close()
    click.echo(f"Added {username} ({role})")


@users.command("list")
@as_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per account.")
@pass_state
def list_(state: State, username: str, as_json: bool) -> None:
    """List accounts with role, status, TOTP, break-glass and lockout state."""
    from ..services.users import UserAdmin

    store = state.store()
    try:
        with service_errors():
            rows = UserAdmin(sign_in(store, username)).list()
    finally:
        store.close()
    for row in rows:
        if as_json:
            click.echo(json.dumps(row, sort_keys=True))
            continue
        flags = [f for f, on in (("inactive", not row["active"]), ("no-password", not row["has_password"]),
                                 ("totp", row["totp"]), ("break-glass", row["break_glass"]),
                                 ("locked", bool(row["locked_until"]))) if on]
        click.echo(f"{row['username']:<12} {row['role']:<11} {row['display_name']:<24} {' '.join(flags)}")


def _admin_action(state: State, username: str, action) -> None:  # noqa: ANN001
    from ..services.users import UserAdmin

    store = state.store()
    try:
        with service_errors():
            action(UserAdmin(sign_in(store, username)))
    finally:
        store.close()


@users.command()
@click.argument("target")
@as_option
@pass_state
def passwd(state: State, target: str, username: str) -> None:
    """Set TARGET's password (your own, or anyone's as an admin)."""
    _admin_action(state, username, lambda a: a.set_password(target, new_password()))
    click.echo(f"Password changed for {target}")


@users.command()
@click.argument("target")
@click.argument("role", type=click.Choice(ROLES))
@as_option
@pass_state
def role(state: State, target: str, role: str, username: str) -> None:
    """Change TARGET's role."""
    from ..models import Role

    _admin_action(state, username, lambda a: a.set_role(target, Role(role)))
    click.echo(f"{target} is now {role}")


@users.command()
@click.argument("target")
@as_option
@pass_state
def deactivate(state: State, target: str, username: str) -> None:
    """Deactivate TARGET: they can no longer sign in (their notes stay)."""
    _admin_action(state, username, lambda a: a.deactivate(target))
    click.echo(f"{target} deactivated")


@users.command()
@click.argument("target")
@as_option
@pass_state
def reactivate(state: State, target: str, username: str) -> None:
    """Reactivate TARGET and clear any lockout."""
    _admin_action(state, username, lambda a: a.reactivate(target))
    click.echo(f"{target} reactivated")


@users.command()
@click.argument("target")
@as_option
@pass_state
def unlock(state: State, target: str, username: str) -> None:
    """Clear TARGET's sign-in lockout after too many failed attempts."""
    _admin_action(state, username, lambda a: a.unlock(target))
    click.echo(f"{target} unlocked")


@users.command("break-glass")
@click.argument("target")
@click.argument("setting", type=click.Choice(["on", "off"]))
@as_option
@pass_state
def break_glass_assign(state: State, target: str, setting: str, username: str) -> None:
    """Allow (on) or stop (off) TARGET using break-glass emergency access."""
    _admin_action(state, username, lambda a: a.set_break_glass(target, setting == "on"))
    click.echo(f"break-glass {setting} for {target}")


@users.command()
@click.argument("target")
@click.argument("setting", type=click.Choice(["on", "off"]))
@as_option
@pass_state
def totp(state: State, target: str, setting: str, username: str) -> None:
    """Turn one-time codes (TOTP) on or off for TARGET (yourself, or anyone as an admin)."""
    from ..services import totp as codes

    result: dict[str, str] = {}
    if setting == "on":
        _admin_action(state, username, lambda a: result.update(secret=a.enable_totp(target)))
        click.echo(f"One-time codes on for {target}. Add this to an authenticator app:")
        click.echo(f"  secret: {result['secret']}")
        click.echo(f"  URI:    {codes.provisioning_uri(result['secret'], target)}")
    else:
        _admin_action(state, username, lambda a: a.disable_totp(target))
        click.echo(f"One-time codes off for {target}")


@cli.command("break-glass")
@click.argument("client")
@click.option("--reason", required=True, help="Why you need this record now (audited).")
@click.option("--minutes", type=click.IntRange(1, 240), default=60, show_default=True)
@as_option
@pass_state
def break_glass(state: State, client: str, reason: str, minutes: int, username: str) -> None:
    """Emergency read access to another clinician's CLIENT, for a limited time (audited).

    Only accounts an admin assigned ('users break-glass USER on') can use it; psychotherapy
    notes are never opened this way.
    """
    from ..services.access import break_glass as grant_access

    store = state.store()
    try:
        with service_errors():
            session = sign_in(store, username)
            target = store.find_client(client)
            grant = grant_access(session, target.id, reason, minutes)
    finally:
        store.close()
    click.echo(f"Break-glass access to {target.name} until {grant['expires_at']} UTC (audited)")
