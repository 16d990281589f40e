"""``note-assistant amend``: client amendment requests (45 CFR 164.526) without the app.

Record a client's request on a signed note, accept it (an addendum carries the change) or deny
it with a basis, then record the client's statement of disagreement and the rebuttal. Every
step is audited; decided requests cannot change."""

from __future__ import annotations

import click

from . import cli
from .base import State, pass_state
from .signin import as_option, service_errors, sign_in

TEXT_HELP = "Read the text from this file ('-' for stdin) instead of the argument."


def _run(state: State, username: str, action):  # noqa: ANN001, ANN202 - (AmendmentService) -> T
    from ..services.amendments import AmendmentService

    store = state.store()
    try:
        with service_errors():
            session = sign_in(store, username)
            return action(AmendmentService(store, session))
    finally:
        store.close()


def _text(text: str | None, text_file, what: str) -> str:  # noqa: ANN001
    if text is not None and text_file is not None:
        raise ValueError(f"give {what} as an argument or with --file, not both")
    value = text_file.read() if text_file is not None else text
    if value is None or not value.strip():
        raise ValueError(f"{what} is required (an argument or --file FILE)")
    return value


def _file_option():  # noqa: ANN202
    return click.option("--file", "text_file", type=click.File("r", encoding="utf-8"),
                        default=None, help=TEXT_HELP)


@cli.group()
def amend() -> None:
    """Client amendment requests (45 CFR 164.526): request, accept, deny, disagree, rebut, show.

    Only signed notes take requests. A request is decided once, by the note's author or a
    supervisor; a denial needs its basis, and links the client's disagreement and the rebuttal.
    """


@amend.command("request")
@click.argument("note_id")
@click.argument("change", required=False)
@_file_option()
@click.option("--reason", default="", help="The client's reason for the request.")
@as_option
@pass_state
def request_(state: State, note_id: str, change: str | None, text_file, reason: str,  # noqa: ANN001
             username: str) -> None:
    """Record the client's request to amend signed note NOTE_ID (CHANGE: what they want changed)."""
    body = _text(change, text_file, "the requested change")
    req = _run(state, username, lambda svc: svc.record_request(note_id, body, reason))
    click.echo(f"Recorded amendment request {req.id} on note {req.note_id} (pending)")


@amend.command("accept")
@click.argument("request_id")
@click.argument("amendment", required=False)
@_file_option()
@as_option
@pass_state
def accept(state: State, request_id: str, amendment: str | None, text_file, username: str) -> None:  # noqa: ANN001
    """Accept REQUEST_ID: AMENDMENT is added to the signed note as an addendum."""
    body = _text(amendment, text_file, "the amendment text")
    req = _run(state, username, lambda svc: svc.accept(request_id, body))
    click.echo(f"Accepted {req.id}: addendum {req.addendum_id} on note {req.note_id}")


@amend.command("deny")
@click.argument("request_id")
@click.option("--basis", required=True,
              help="Why (164.526(a)(2)): e.g. 'accurate and complete', 'not created by us'.")
@as_option
@pass_state
def deny(state: State, request_id: str, basis: str, username: str) -> None:
    """Deny REQUEST_ID with its basis; the note stays as signed."""
    req = _run(state, username, lambda svc: svc.deny(request_id, basis))
    click.echo(f"Denied {req.id}: {req.decision_reason}")


@amend.command("disagree")
@click.argument("request_id")
@click.argument("statement", required=False)
@_file_option()
@as_option
@pass_state
def disagree(state: State, request_id: str, statement: str | None, text_file, username: str) -> None:  # noqa: ANN001
    """Record the client's statement of disagreement with the denial of REQUEST_ID."""
    body = _text(statement, text_file, "the statement of disagreement")
    req = _run(state, username, lambda svc: svc.record_disagreement(request_id, body))
    click.echo(f"Recorded the client's disagreement on {req.id}")


@amend.command("rebut")
@click.argument("request_id")
@click.argument("rebuttal", required=False)
@_file_option()
@as_option
@pass_state
def rebut(state: State, request_id: str, rebuttal: str | None, text_file, username: str) -> None:  # noqa: ANN001
    """Record the rebuttal to the client's disagreement on REQUEST_ID."""
    body = _text(rebuttal, text_file, "the rebuttal")
    req = _run(state, username, lambda svc: svc.record_rebuttal(request_id, body))
    click.echo(f"Recorded the rebuttal on {req.id}")


@amend.command("show")
@click.argument("request_id")
@as_option
@pass_state
def show(state: State, request_id: str, username: str) -> None:
    """Show REQUEST_ID with its chain: request, decision, disagreement, rebuttal."""
    chain = _run(state, username, lambda svc: svc.linked(request_id))
    req = chain.request
    click.echo(f"Amendment request {req.id} on note {req.note_id}: {req.status}")
    for step in chain.steps:
        click.echo(f"\n[{step.kind}] {step.at:%Y-%m-%d %H:%M} UTC, {step.by}")
        click.echo(step.text.rstrip())
