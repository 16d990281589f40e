"""``note-assistant submit`` and ``note-assistant review``: the co-signature loop (issue #6)
without the app. Trainees submit; their supervisor lists, reads, comments, returns or co-signs.
Training-supervision grants for psychotherapy notes live here too (``review grant``)."""

from __future__ import annotations

import json

import click

from . import cli
from .base import State, fail, pass_state
from .signin import as_option, service_errors, sign_in


def _rating(values: tuple[str, ...]) -> dict[str, int]:
    ratings: dict[str, int] = {}
    for value in values:
        key, sep, score = value.partition("=")
        if not sep or not score.strip().lstrip("-").isdigit():
            fail(f"--rate {value!r}: use CRITERION=SCORE, e.g. --rate objectivity=3")
        ratings[key.strip()] = int(score)
    return ratings


def _run(state: State, username: str, action):  # noqa: ANN001, ANN202 - (session, store) -> T
    store = state.store()
    try:
        with service_errors():
            session = sign_in(store, username)
            return action(session, store)
    finally:
        store.close()


def _dump(model) -> dict:  # noqa: ANN001
    return model.model_dump(mode="json")


@cli.command("submit")
@click.argument("note_id")
@click.option("--text", "text_file", type=click.File("r", encoding="utf-8"), default=None,
              help="Replace the note's text with this file ('-' for stdin) first: a revision.")
@as_option
@pass_state
def submit(state: State, note_id: str, text_file, username: str) -> None:  # noqa: ANN001
    """Submit NOTE_ID for review and co-signature (trainees, instead of signing).

    Error findings must be fixed or dismissed with a reason first; the reasons go to the
    supervisor with the note. With --text, the draft (or returned note) is revised first.
    """
    from ..services.notes import NoteService
    from ..services.review import ReviewService

    text = text_file.read() if text_file is not None else None

    def act(session, store):  # noqa: ANN001, ANN202
        if text is not None:
            NoteService(store, session).update_draft(note_id, text=text)
        return ReviewService(store, session).submit(note_id)

    note = _run(state, username, act)
    click.echo(f"Submitted {note.id} for review ({note.status.value})")


@cli.group()
def review() -> None:
    """Review trainees' notes: list, show, comment, return, cosign; training grants."""


@review.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per pending note.")
@as_option
@pass_state
def list_(state: State, as_json: bool, username: str) -> None:
    """Notes of your supervisees pending review, oldest submission first."""
    from ..services.review import ReviewService

    items = _run(state, username, lambda s, st: ReviewService(st, s).queue())
    for item in items:
        errors = sum(1 for f in item.open_findings if f.severity == "error")
        if as_json:
            click.echo(json.dumps({
                "note_id": item.note.id, "author": item.author.username,
                "client": item.client_name, "date_of_service": item.note.date_of_service.isoformat(),
                "round": item.round.round, "submitted_at": item.round.submitted_at.isoformat(),
                "open_findings": len(item.open_findings), "errors": errors,
                "dismissed": len(item.dismissals)}, sort_keys=True))
        else:
            click.echo(f"{item.note.id}  {item.round.submitted_at:%Y-%m-%d %H:%M}Z  "
                       f"{item.author.username:<10} {item.client_name:<16} "
                       f"session {item.note.date_of_service}  round {item.round.round}  "
                       f"{len(item.open_findings)} open finding(s) ({errors} error)  "
                       f"{len(item.dismissals)} dismissed")
    if not as_json:
        click.echo(f"{len(items)} note(s) pending review", err=True)


@review.command("show")
@click.argument("note_id")
@click.option("--json", "as_json", is_flag=True, help="The whole review as JSON.")
@as_option
@pass_state
def show(state: State, note_id: str, as_json: bool, username: str) -> None:
    """NOTE_ID with its open findings, dismissals (with reasons) and every review round.

    For the reviewing supervisor and for the author (who sees the comments to address).
    """
    from ..services.review import ReviewService

    view = _run(state, username, lambda s, st: ReviewService(st, s).view(note_id))
    if as_json:
        click.echo(json.dumps(_dump(view), indent=2, sort_keys=True))
        return
    note = view.note
    click.echo(f"Note {note.id}  {view.client_name}  session {note.date_of_service}  "
               f"by {view.author.display_name}  [{note.status.value}]")
    click.echo("-" * 72)
    click.echo(note.text)
    click.echo("-" * 72)
    click.echo(f"Open findings ({len(view.open_findings)}):")
    for f in view.open_findings:
        where = f"{f.start}..{f.end}" if f.end > f.start else (f.section or "-")
        click.echo(f"  {f.severity:<7} {f.rule_id:<28} {where:<10} {f.message}")
    click.echo(f"Dismissed by the trainee ({len(view.dismissals)}):")
    for d in view.dismissals:
        click.echo(f"  {d.rule_id:<28} {d.text!r}: {d.reason}")
    for r in view.rounds:
        decision = r.decision or "pending"
        click.echo(f"Round {r.round}: submitted {r.submitted_at:%Y-%m-%d %H:%M}Z, {decision}"
                   + (f" {r.decided_at:%Y-%m-%d %H:%M}Z" if r.decided_at else ""))
        if r.ratings:
            click.echo("  rubric: " + ", ".join(f"{k}={v}" for k, v in r.ratings.items()))
        if r.summary:
            click.echo(f"  summary: {r.summary}")
        for c in r.comments:
            click.echo(f"  [{c.start}..{c.end}] {c.quote!r}: {c.comment}")


@review.command("comment")
@click.argument("note_id")
@click.argument("comment")
@click.option("--quote", help="Anchor to this exact text of the note (first occurrence).")
@click.option("--occurrence", type=int, default=1, show_default=True,
              help="Which occurrence of --quote.")
@click.option("--span", metavar="START:END", help="Anchor to these character offsets instead.")
@as_option
@pass_state
def comment(state: State, note_id: str, comment: str, quote: str | None, occurrence: int,
            span: str | None, username: str) -> None:
    """Add COMMENT to pending NOTE_ID, anchored to a text span (--quote or --span)."""
    from ..services.review import ReviewService

    if (quote is None) == (span is None):
        fail("give exactly one of --quote TEXT or --span START:END")
    if span is not None:
        start, sep, end = span.partition(":")
        if not sep or not start.isdigit() or not end.isdigit():
            fail(f"--span {span!r}: use START:END, e.g. --span 12:40")

    def act(session, store):  # noqa: ANN001, ANN202
        service = ReviewService(store, session)
        if quote is not None:
            return service.comment_on(note_id, quote, comment, occurrence)
        return service.comment(note_id, int(start), int(end), comment)

    saved = _run(state, username, act)
    click.echo(f"Comment {saved.id} on {saved.start}..{saved.end} {saved.quote!r}")


_rate = click.option("--rate", "ratings", multiple=True, metavar="CRITERION=SCORE",
                     help="A rubric rating (repeatable); see 'review rubric'.")
_summary = click.option("--summary", default="", help="An overall comment for this round.")


@review.command("return")
@click.argument("note_id")
@_rate
@_summary
@as_option
@pass_state
def return_(state: State, note_id: str, ratings: tuple[str, ...], summary: str,
            username: str) -> None:
    """Return NOTE_ID to the trainee for revision (needs a comment or --summary)."""
    from ..services.review import ReviewService

    scores = _rating(ratings)
    note = _run(state, username, lambda s, st: ReviewService(st, s).return_for_revision(
        note_id, ratings=scores, summary=summary))
    click.echo(f"Returned {note.id} for revision ({note.status.value})")


@review.command("cosign")
@click.argument("note_id")
@_rate
@_summary
@as_option
@pass_state
def cosign(state: State, note_id: str, ratings: tuple[str, ...], summary: str,
           username: str) -> None:
    """Co-sign NOTE_ID: it is hashed and locked (later changes only as addenda)."""
    from ..services.review import ReviewService

    scores = _rating(ratings)
    note = _run(state, username, lambda s, st: ReviewService(st, s).cosign(
        note_id, ratings=scores, summary=summary))
    click.echo(f"Co-signed {note.id} at {note.cosigned_at:%Y-%m-%d %H:%M}Z "
               f"(hash {note.content_hash[:16]}...)")


@review.command("rubric")
def rubric() -> None:
    """The rubric criteria and scale (the clinic's file, else the default)."""
    from ..services.rubric import load_rubric

    with service_errors():
        r = load_rubric()
    click.echo(f"{r.name} ({r.id} v{r.version}); scale {r.scale.min}..{r.scale.max}")
    for c in r.criteria:
        click.echo(f"  {c.id:<20} {c.label}: {c.description}")


@review.command("grant")
@click.argument("client_id")
@click.option("--days", type=int, default=30, show_default=True, help="How long it lasts.")
@click.option("--note", "pnote_id", default=None, help="Only this psychotherapy note.")
@as_option
@pass_state
def grant(state: State, client_id: str, days: int, pnote_id: str | None, username: str) -> None:
    """Let your supervisor read your psychotherapy notes about CLIENT_ID (trainees;
    45 CFR 164.508(a)(2) training exception). Audited; revoke with 'review revoke'."""
    from ..services.grants import GrantService

    g = _run(state, username, lambda s, st: GrantService(st, s).grant(
        client_id, days=days, pnote_id=pnote_id))
    click.echo(f"Granted {g.id} to {g.supervisor_id} for {g.client_id}"
               f"{' note ' + g.pnote_id if g.pnote_id else ''} until {g.expires_at:%Y-%m-%d %H:%M}Z")


@review.command("revoke")
@click.argument("grant_id")
@as_option
@pass_state
def revoke(state: State, grant_id: str, username: str) -> None:
    """Revoke a training-supervision grant you gave."""
    from ..services.grants import GrantService

    g = _run(state, username, lambda s, st: GrantService(st, s).revoke(grant_id))
    click.echo(f"Revoked {g.id}")


@review.command("grants")
@as_option
@pass_state
def grants(state: State, username: str) -> None:
    """Training-supervision grants you gave or received."""
    from ..services.grants import GrantService

    rows = _run(state, username, lambda s, st: GrantService(st, s).grants())
    for g in rows:
        state_ = "revoked" if g.revoked_at else f"until {g.expires_at:%Y-%m-%d %H:%M}Z"
        click.echo(f"{g.id}  {g.trainee_id} -> {g.supervisor_id}  {g.client_id}  "
                   f"{g.pnote_id or 'all notes'}  {state_}")
    click.echo(f"{len(rows)} grant(s)", err=True)


@review.command("psychotherapy")
@click.argument("trainee")
@click.argument("client_id")
@as_option
@pass_state
def psychotherapy(state: State, trainee: str, client_id: str, username: str) -> None:
    """Read TRAINEE's psychotherapy notes about CLIENT_ID through their grant (audited)."""
    from ..services.grants import GrantService

    notes = _run(state, username, lambda s, st: GrantService(st, s).psychotherapy_notes(
        trainee, client_id))
    for p in notes:
        click.echo(f"--- {p.id} ({p.created_at:%Y-%m-%d})\n{p.text}")
    click.echo(f"{len(notes)} psychotherapy note(s)", err=True)
