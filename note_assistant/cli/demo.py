"""``note-assistant demo``: create the demo clinic in the database."""

from __future__ import annotations

import click

from . import cli
from .base import State, fail, pass_state


@cli.command()
@click.option("--if-missing", is_flag=True, help="Do nothing when the database already has data.")
@pass_state
def demo(state: State, if_missing: bool) -> None:
    """Create a demo clinic: synthetic clients, plans, past notes and four accounts."""
    from ..demo import DEMO_USERS, create_demo, has_demo_data

    store = state.store(create=True)
    try:
        if has_demo_data(store):
            if if_missing:
                click.echo(f"Demo database ready: {state.db_path}")
                return
            fail(f"{state.db_path} already has data; use a new --db path (or --if-missing)")
        made = create_demo(store, supervision=True)
    finally:
        store.close()
    click.echo(f"Created demo clinic in {state.db_path}: {made['clients']} clients, "
               f"{made['notes']} notes, {made['users']} accounts (no passwords: demo only).")
    for user in DEMO_USERS:
        click.echo(f"  {user.username:<8} {user.role.value:<11} {user.display_name}")
