"""``note-assistant audit-log``: who did what, when, to which client's record."""

from __future__ import annotations

import datetime as dt
import json

import click

from . import cli
from .base import State, fail, pass_state
from .signin import as_option, service_errors, sign_in

FIELDS = ["seq", "at", "actor", "action", "target_type", "target_id", "client_id", "category", "source"]


def _moment(value: str | None, name: str) -> dt.datetime | None:
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        fail(f"--{name}: not a date or time ({value!r}); use e.g. 2026-11-01 or 2026-11-01T09:30")
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


@cli.command("audit-log")
@click.option("--since", help="From this UTC date/time (inclusive), e.g. 2026-11-01.")
@click.option("--until", help="Before this UTC date/time (exclusive).")
@click.option("--sort", "sort", type=click.Choice(FIELDS + ["prev_hash"]), default="seq",
              show_default=True, help="Sort by this field.")
@click.option("--desc", is_flag=True, help="Newest (or largest) first.")
@click.option("--action", help='Only this action, e.g. "read", "login-failed", "export".')
@click.option("--user", "actor", help="Only events by this user name.")
@click.option("--client", "client_id", help="Only events about this client id.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per event.")
@click.option("--head", is_flag=True, help="Print only the chain head N:HASH (keep it elsewhere).")
@as_option
@pass_state
def audit_log(state: State, since: str | None, until: str | None, sort: str, desc: bool,
              action: str | None, actor: str | None, client_id: str | None, as_json: bool,
              head: bool, username: str) -> None:
    """List audit events (admins and supervisors). Viewing the log is itself audited.

    Times are UTC. Every row is hash-chained; 'db verify' checks the chain.
    """
    from ..models import Role

    start, end = _moment(since, "since"), _moment(until, "until")
    store = state.store()
    try:
        with service_errors():
            session = sign_in(store, username)
            if session.user.role not in (Role.admin, Role.supervisor):
                fail("only an admin or a supervisor can read the audit log")
            if head:
                count, digest = store.audit_head()
                click.echo(f"{count}:{digest}")
                return
            rows = list(store.audit_events(since=start, until=end, sort=sort, descending=desc,
                                           action=action, actor=actor, client_id=client_id))
            store.record(session.event("audit-read", category="audit", detail={
                "since": since, "until": until, "rows": len(rows)}))
    finally:
        store.close()
    for row in rows:
        if as_json:
            click.echo(json.dumps(row, sort_keys=True, ensure_ascii=False))
        else:
            what = f"{row['target_type'] or ''} {row['target_id'] or ''}".strip()
            click.echo(f"{row['seq']:>6} {row['at'][:19]}Z {row['actor'] or '-':<14} {row['action']:<18} "
                       f"{what:<28} client={row['client_id'] or '-'} {row['category'] or ''} [{row['source']}]")
    if not as_json:
        click.echo(f"{len(rows)} event(s)", err=True)
