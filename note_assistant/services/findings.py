"""Checking a session note as stored, dismissing findings with a reason, and signing only when
no error-severity finding is left open.

A note's header fields (date, times, CPT, modality, diagnosis, clinician) live in columns, not in
its text. The checks read them from a header written above the text (``header_preamble``);
every offset handed back is translated to index the note's own text, and a finding about the
header itself is reported at 0..0 with ``section="header"``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from ..checks.engine import CheckResult, check_note
from ..models import Client, Finding, Note, NoteStatus, Role, TreatmentPlan, User, new_id
from ..storage.store import NotFound, Store
from .notes import InvalidTransition, NoteService, PermissionDenied, ServiceError

HEADER_SECTION = "header"
_EDITABLE = {NoteStatus.draft, NoteStatus.revision_requested}
_OFFSET_KEY = re.compile(r"(?:^|_)(?:start|end)$")
HISTORY_LIMIT = 40


class UnresolvedFindings(ServiceError):
    """Signing refused: error findings are neither fixed nor dismissed with a reason."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        rules = ", ".join(sorted({f.rule_id for f in findings}))
        super().__init__(
            f"{len(findings)} error finding(s) must be fixed or dismissed with a reason "
            f"before signing ({rules})"
        )


class Dismissal(BaseModel):
    """A finding the clinician chose not to fix, and why. Supervisors see these."""

    model_config = ConfigDict(extra="forbid")

    id: str
    note_id: str
    rule_id: str
    start: int | None = None
    end: int | None = None
    text: str = ""
    """The finding's key text (its span, or ``§section`` for a finding without a span)."""
    reason: str
    user_id: str
    created_at: dt.datetime


def finding_key(finding: Finding) -> tuple[str, str]:
    """What identifies a finding across edits: its rule and the text it points at."""
    text = finding.text.strip()
    return finding.rule_id, text if text else f"§{finding.section or ''}"


def header_preamble(note: Note, client: Client | None, author: User | None,
                    today: dt.date | None = None) -> str:
    """``Key: value`` lines the note parser reads as the header (see note_formats.metadata)."""
    lines = []
    if client is not None:
        lines.append(f"Client: {client.name}")
    lines.append(f"Date: {note.date_of_service.isoformat()}")
    if note.start_time:
        lines.append(f"Start: {note.start_time.strftime('%H:%M')}")
    if note.end_time:
        lines.append(f"End: {note.end_time.strftime('%H:%M')}")
    if note.cpt:
        lines.append(f"CPT: {note.cpt}")
    if note.modality:
        lines.append(f"Modality: {note.modality}")
    if note.diagnosis:
        lines.append(f"Diagnosis: {', '.join(note.diagnosis)}")
    if author is not None:
        lines.append(f"Clinician: {author.display_name}")
        if author.credentials:
            lines.append(f"Credentials: {author.credentials}")
    if today is not None:
        lines.append(f"Written: {today.isoformat()}")
    return "\n".join(lines) + "\n\n"


def _shift(finding: Finding, offset: int) -> Finding:
    if finding.start < offset:
        return finding.model_copy(update={
            "start": 0, "end": 0, "section": HEADER_SECTION,
            "data": {**finding.data, "header": True},
        })
    data = {
        k: (v - offset if isinstance(v, int) and not isinstance(v, bool) and _OFFSET_KEY.search(k)
            and v >= offset else v)
        for k, v in finding.data.items()
    }
    return finding.model_copy(update={
        "start": finding.start - offset, "end": max(finding.end - offset, finding.start - offset),
        "data": data,
    })


def _shift_extras(extras: dict, offset: int) -> dict:
    alignment = extras.get("plan_alignment")
    if isinstance(alignment, dict):
        for objective in alignment.get("objectives", []) or []:
            evidence = objective.get("evidence") if isinstance(objective, dict) else None
            if isinstance(evidence, dict):
                for key in ("start", "end"):
                    if isinstance(evidence.get(key), int):
                        evidence[key] = max(0, evidence[key] - offset)
    return extras


def check_session_note(
    note: Note, *, client: Client | None, author: User | None, plan: TreatmentPlan | None,
    history: Sequence[Note] = (), today: dt.date | None = None, profile: object = None,
) -> CheckResult:
    """``check_note`` over the header + text; findings index ``note.text``."""
    preamble = header_preamble(note, client, author, today)
    result = check_note(
        preamble + note.text, format=note.format, plan=plan, history=history,
        profile=profile, today=today, client_id=note.client_id, author_id=note.author_id,
    )
    offset = len(preamble)
    result.findings = [_shift(f, offset) for f in result.findings]
    result.extras = _shift_extras(result.extras, offset)
    return result


def history_for(store: Store, note: Note, limit: int = HISTORY_LIMIT) -> list[Note]:
    """Earlier notes the cloning checks compare with: the client's, then the author's others."""
    same_client = [n for n in store.notes_for_client(note.client_id) if n.id != note.id]
    others = [n for n in store.notes_by_author(note.author_id)
              if n.id != note.id and n.client_id != note.client_id]
    return (same_client + others)[:limit]


class FindingService:
    """Dismissals and checked signing, for the signed-in user.

    ``actor`` is the signed-in session (``services.auth.Session``) or, in scripts and tests,
    a plain ``User``; signing goes through ``NoteService`` with the same actor.
    """

    def __init__(self, store: Store, actor: "User | Any") -> None:
        self.store = store
        self.acting = actor
        """What NoteService is given (the session when there is one)."""
        self.actor: User = actor if isinstance(actor, User) else actor.user

    def dismiss(self, note_id: str, finding: Finding, reason: str) -> Dismissal:
        note = self.store.note(note_id)
        if note.author_id != self.actor.id and self.actor.role != Role.supervisor:
            raise PermissionDenied("only the author or a supervisor can dismiss a finding")
        if note.status not in _EDITABLE:
            raise InvalidTransition("findings of a signed note cannot be dismissed")
        if not reason.strip():
            raise ServiceError("a dismissal needs a reason")
        rule_id, key = finding_key(finding)
        dismissal = Dismissal(
            id=new_id("dis"), note_id=note.id, rule_id=rule_id, start=finding.start,
            end=finding.end, text=key, reason=reason.strip(), user_id=self.actor.id,
            created_at=dt.datetime.now(dt.timezone.utc),
        )
        event = None
        if not isinstance(self.acting, User) and hasattr(self.acting, "event"):
            event = self.acting.event(
                "dismiss-finding", target_type="dismissal", target_id=dismissal.id,
                client_id=note.client_id, category="progress-note",
                detail={"note_id": note.id, "rule_id": rule_id},
            )
        self.store.insert_dismissal_row(dismissal.model_dump(mode="json"), audit=event)
        return dismissal

    def dismissals(self, note_id: str) -> list[Dismissal]:
        if self.actor.role == Role.admin:
            raise PermissionDenied("an admin account cannot read clinical records")
        return [Dismissal.model_validate(row) for row in self.store.dismissal_rows(note_id)]

    def open_findings(self, note_id: str, findings: Sequence[Finding]) -> list[Finding]:
        """The findings not dismissed for this note."""
        dismissed = {(d.rule_id, d.text) for d in self.dismissals(note_id)}
        return [f for f in findings if finding_key(f) not in dismissed]

    def check(self, note_id: str, *, today: dt.date | None = None) -> CheckResult:
        note = self.store.note(note_id)
        try:
            client = self.store.client(note.client_id)
        except NotFound:
            client = None
        author = self.store.user(note.author_id)
        plan = self.store.active_plan(note.client_id, on=note.date_of_service)
        return check_session_note(note, client=client, author=author, plan=plan,
                                  history=history_for(self.store, note), today=today)

    def blocking(self, note_id: str, *, today: dt.date | None = None) -> list[Finding]:
        """Error findings still open: these stop signing."""
        result = self.check(note_id, today=today)
        return [f for f in self.open_findings(note_id, result.findings) if f.severity == "error"]

    def sign(self, note_id: str, *, today: dt.date | None = None) -> Note:
        """Sign after re-checking the stored text; refuses while error findings are open."""
        blocking = self.blocking(note_id, today=today)
        if blocking:
            raise UnresolvedFindings(blocking)
        return NoteService(self.store, self.acting).sign(note_id)
