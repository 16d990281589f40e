"""Supervision: trainees submit notes, their supervisor comments, returns or co-signs (A14).

The review state machine lives here, not in the UI::

    draft --submit--> pending_review --return--> revision_requested --submit--> pending_review
                      pending_review --cosign--> cosigned (hashed, immutable)

Only the author (a trainee with an assigned supervisor) submits; only that supervisor comments,
returns or co-signs; the author can never co-sign; nobody edits a note pending review (the
service refuses and a trigger backs it up). A move by the wrong person raises
:class:`PermissionDenied`; a move from the wrong state raises :class:`InvalidTransition`
(permissions are checked first). Every round is kept (``review_rounds``) with its comments,
rubric ratings and decision; every action and read is audited in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..models import Finding, Note, NoteStatus, Role, User, new_id, note_hash
from ..storage.audit import AuditEvent
from ..storage.store import Store, _to_row
from .base import ActingService
from .errors import InvalidTransition, PermissionDenied, ServiceError
from .findings import Dismissal, FindingService
from .rubric import Rubric, load_rubric

if TYPE_CHECKING:
    from .auth import Session

PROGRESS = "progress-note"
SUBMITTABLE = {NoteStatus.draft, NoteStatus.revision_requested}
MAX_COMMENT = 4000


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReviewComment(_Model):
    """A supervisor's comment anchored to a span of the note text as it was submitted."""

    id: str
    round_id: str
    note_id: str
    author_id: str
    start: int
    end: int
    quote: str
    """The text the comment points at (offsets go stale once the trainee revises)."""
    comment: str
    created_at: dt.datetime

    def locate(self, text: str) -> tuple[int, int] | None:
        """Where the quoted text is in ``text`` now: the occurrence nearest the original span."""
        if text[self.start:self.end] == self.quote:
            return self.start, self.end
        hits, at = [], text.find(self.quote)
        while at >= 0 and self.quote:
            hits.append(at)
            at = text.find(self.quote, at + 1)
        if not hits:
            return None
        best = min(hits, key=lambda h: abs(h - self.start))
        return best, best + len(self.quote)


class ReviewRound(_Model):
    """One submission and what the supervisor decided about it."""

    id: str
    note_id: str
    round: int
    submitted_at: dt.datetime
    submitted_by: str
    reviewer_id: str
    decision: Literal["returned", "cosigned"] | None = None
    decided_at: dt.datetime | None = None
    rubric_id: str | None = None
    ratings: dict[str, int] = Field(default_factory=dict)
    summary: str = ""
    comments: list[ReviewComment] = Field(default_factory=list)


class QueueItem(_Model):
    """A note waiting for the supervisor, with what they need to triage it."""

    note: Note
    author: User
    client_name: str
    round: ReviewRound
    open_findings: list[Finding]
    dismissals: list[Dismissal]


class ReviewView(_Model):
    note: Note
    author: User
    client_name: str
    open_findings: list[Finding]
    dismissals: list[Dismissal]
    rounds: list[ReviewRound]


def _round(row: dict[str, object], comments: list[ReviewComment]) -> ReviewRound:
    data = {k: v for k, v in row.items() if v is not None}
    data["ratings"] = json.loads(str(row["ratings"])) if row.get("ratings") else {}
    data["comments"] = [c for c in comments if c.round_id == row["id"]]
    return ReviewRound.model_validate(data)


class ReviewService(ActingService):
    """Submission, review and co-signature for the signed-in user (never a user parameter)."""

    def __init__(self, store: Store, actor: User | Session, *, rubric: Rubric | None = None) -> None:
        super().__init__(store, actor)
        self._rubric = rubric

    @property
    def rubric(self) -> Rubric:
        if self._rubric is None:
            self._rubric = load_rubric()
        return self._rubric

    # trainee -----------------------------------------------------------------------------
    def submit(self, note_id: str, *, today: dt.date | None = None) -> Note:
        """Send the author's note to their supervisor (instead of signing it).

        Like signing, refuses while error findings are neither fixed nor dismissed with a
        reason; the reasons travel with the note to the supervisor.
        """
        self._live()
        note = self.store.note(note_id)
        if note.author_id != self.actor.id:
            raise PermissionDenied("only the author can submit this note for review")
        if self.actor.role != Role.trainee:
            raise PermissionDenied(f"a {self.actor.role.value} signs their own notes: only "
                                   "trainee notes are submitted for co-signature")
        if not self.actor.supervisor_id:
            raise PermissionDenied(f"{self.actor.username} has no assigned supervisor "
                                   "(an admin assigns one)")
        if note.status not in SUBMITTABLE:
            raise InvalidTransition(f"note {note.id} is {note.status.value}: it cannot be "
                                    "submitted for review")
        blocking = FindingService(self.store, self.actor).blocking(note.id, today=today)
        if blocking:
            from .findings import UnresolvedFindings

            raise UnresolvedFindings(blocking)
        now = self._now()
        number = len(self.store.review_rounds(note.id)) + 1
        row = {"id": new_id("rr"), "note_id": note.id, "round": number,
               "submitted_at": now.isoformat(), "submitted_by": self.actor.id,
               "reviewer_id": self.actor.supervisor_id}
        submitted = note.model_copy(update={"status": NoteStatus.pending_review, "updated_at": now})
        self.store.open_round(_to_row(submitted), row, self._event(
            "submit", note, round=number, reviewer_id=self.actor.supervisor_id))
        return submitted

    # supervisor --------------------------------------------------------------------------
    def comment(self, note_id: str, start: int, end: int, comment: str,
                quote: str | None = None) -> ReviewComment:
        """Anchor a comment to ``text[start:end]`` of the pending note (``quote``, if given,
        must be exactly that text: a guard against stale offsets)."""
        self._live()
        note = self._pending_for_reviewer(note_id, "comment on")
        comment = comment.strip()
        if not comment:
            raise ServiceError("a review comment needs text")
        if len(comment) > MAX_COMMENT:
            raise ServiceError(f"a review comment has at most {MAX_COMMENT} characters")
        if not 0 <= start < end <= len(note.text):
            raise ServiceError(f"span {start}..{end} is outside the note (0..{len(note.text)})")
        span = note.text[start:end]
        if quote is not None and quote != span:
            raise ServiceError(f"the note text at {start}..{end} is not the quoted text")
        current = self._current_round(note)
        saved = ReviewComment(
            id=new_id("rc"), round_id=current.id, note_id=note.id, author_id=self.actor.id,
            start=start, end=end, quote=span, comment=comment, created_at=self._now(),
        )
        self.store.add_review_comment(saved.model_dump(mode="json"), self._event(
            "review-comment", note, round=current.round, comment=saved.id))
        return saved

    def comment_on(self, note_id: str, quote: str, comment: str, occurrence: int = 1) -> ReviewComment:
        """Comment on the ``occurrence``-th appearance of ``quote`` in the note text."""
        text = self.store.note(note_id).text
        at = -1
        for _ in range(max(occurrence, 1)):
            at = text.find(quote, at + 1) if quote else -1
            if at < 0:
                raise ServiceError("the quoted text is not in the note"
                                   + (f" {occurrence} times" if occurrence > 1 else ""))
        return self.comment(note_id, at, at + len(quote), comment, quote=quote)

    def return_for_revision(self, note_id: str, *, ratings: dict[str, int] | None = None,
                            summary: str = "") -> Note:
        """Send the note back to the trainee; needs at least one comment or a summary."""
        self._live()
        note = self._pending_for_reviewer(note_id, "return")
        current = self._current_round(note)
        if not current.comments and not summary.strip():
            raise ServiceError("returning a note needs at least one comment or a summary")
        returned = note.model_copy(update={"status": NoteStatus.revision_requested,
                                           "updated_at": self._now()})
        self._decide(note, returned, current, "returned", ratings, summary)
        return returned

    def cosign(self, note_id: str, *, ratings: dict[str, int] | None = None,
               summary: str = "") -> Note:
        """Co-sign: the note becomes ``cosigned``, hashed (cosigner included) and immutable.

        The trainee's signature is their final submission (``signer_id``/``signed_at``); the
        supervisor's is ``cosigner_id``/``cosigned_at``.
        """
        self._live()
        note = self._pending_for_reviewer(note_id, "co-sign")
        if note.author_id == self.actor.id:  # also implied by the supervisee rule; kept explicit
            raise PermissionDenied("the author cannot co-sign their own note")
        current = self._current_round(note)
        now = self._now()
        cosigned = note.model_copy(update={
            "status": NoteStatus.cosigned, "signer_id": note.author_id,
            "signed_at": current.submitted_at, "cosigner_id": self.actor.id,
            "cosigned_at": now, "updated_at": now,
        })
        cosigned = cosigned.model_copy(update={"content_hash": note_hash(cosigned)})
        self._decide(note, cosigned, current, "cosigned", ratings, summary,
                     content_hash=cosigned.content_hash)
        return cosigned

    def queue(self, *, today: dt.date | None = None) -> list[QueueItem]:
        """Notes of the actor's supervisees pending review, oldest submission first."""
        self._live()
        if self.actor.role != Role.supervisor:
            raise PermissionDenied(f"a {self.actor.role.value} has no review queue")
        items = []
        findings = FindingService(self.store, self.actor)
        for row in self.store.pending_rounds(self.actor.id):
            note = self.store.note(str(row["note_id"]))
            author = self.store.user(note.author_id)
            if note.status != NoteStatus.pending_review or author.supervisor_id != self.actor.id:
                continue
            result = findings.check(note.id, today=today)
            comments = [ReviewComment.model_validate(c) for c in self.store.review_comments(note.id)]
            items.append(QueueItem(
                note=note, author=author, client_name=self.store.client(note.client_id).name,
                round=_round(row, comments),
                open_findings=findings.open_findings(note.id, result.findings),
                dismissals=findings.dismissals(note.id),
            ))
            self._audit_read(self._event("read", note, basis="supervision", view="queue"))
        return items  # oldest submission first; same-second ties in submission order

    # both --------------------------------------------------------------------------------
    def rounds(self, note_id: str) -> list[ReviewRound]:
        """Every round of the note with its comments (author or reviewer; audited)."""
        self._live()
        note = self.store.note(note_id)
        basis = self._may_read(note)
        self._audit_read(self._event("read", note, basis=basis, view="review-rounds"))
        return self._rounds(note)

    def view(self, note_id: str, *, today: dt.date | None = None) -> ReviewView:
        """The note with its open findings, dismissals and every round (audited read)."""
        self._live()
        note = self.store.note(note_id)
        basis = self._may_read(note)
        findings = FindingService(self.store, self.actor)
        result = findings.check(note.id, today=today)
        self._audit_read(self._event("read", note, basis=basis, view="review"))
        return ReviewView(
            note=note, author=self.store.user(note.author_id),
            client_name=self.store.client(note.client_id).name,
            open_findings=findings.open_findings(note.id, result.findings),
            dismissals=findings.dismissals(note.id), rounds=self._rounds(note),
        )

    # rules -------------------------------------------------------------------------------
    def _pending_for_reviewer(self, note_id: str, action: str) -> Note:
        note = self.store.note(note_id)
        self._require_reviewer(note, action)
        if note.status != NoteStatus.pending_review:
            raise InvalidTransition(f"note {note.id} is {note.status.value}: only a note "
                                    f"pending review can be {_past(action)}")
        return note

    def _require_reviewer(self, note: Note, action: str) -> None:
        if note.author_id == self.actor.id:
            raise PermissionDenied(f"the author cannot {action} their own note")
        if self.actor.role != Role.supervisor or not self.actor.active:
            raise PermissionDenied(f"a {self.actor.role.value} cannot {action} notes")
        author = self.store.user(note.author_id)
        if author.supervisor_id != self.actor.id:
            raise PermissionDenied(f"only {author.username}'s assigned supervisor can "
                                   f"{action} this note")

    def _may_read(self, note: Note) -> str:
        if note.author_id == self.actor.id:
            return "author"
        try:
            self._require_reviewer(note, "review")
        except PermissionDenied:
            self._audit_read(self._audit_event(
                "read-denied", target_type="note", target_id=note.id, client_id=note.client_id,
                category=PROGRESS, detail={"view": "review"}))
            raise
        return "supervision"

    def _current_round(self, note: Note) -> ReviewRound:
        rounds = self._rounds(note)
        if not rounds or rounds[-1].decision is not None:
            raise InvalidTransition(f"note {note.id} has no open review round")
        return rounds[-1]

    def _rounds(self, note: Note) -> list[ReviewRound]:
        comments = [ReviewComment.model_validate(c) for c in self.store.review_comments(note.id)]
        return [_round(row, comments) for row in self.store.review_rounds(note.id)]

    def _decide(self, note: Note, updated: Note, current: ReviewRound, decision: str,
                ratings: dict[str, int] | None, summary: str, **detail: object) -> None:
        checked = self.rubric.validate_ratings(ratings or {})
        now = updated.updated_at
        self.store.decide_round(_to_row(updated), current.id, {
            "decision": decision, "decided_at": now.isoformat(), "reviewer_id": self.actor.id,
            "rubric_id": f"{self.rubric.id}@{self.rubric.version}",
            "ratings": json.dumps(checked, sort_keys=True), "summary": summary.strip(),
        }, self._event("cosign" if decision == "cosigned" else "return", note,
                       round=current.round, ratings=checked, comments=len(current.comments),
                       **detail))

    # helpers -----------------------------------------------------------------------------
    def _event(self, action: str, note: Note, **detail: object) -> AuditEvent:
        return self._audit_event(action, target_type="note", target_id=note.id,
                                 client_id=note.client_id, category=PROGRESS, detail=detail)


def _past(action: str) -> str:
    return {"comment on": "commented on", "return": "returned", "co-sign": "co-signed"}.get(
        action, action)
