"""Trainee feedback over time: per note, open findings by category, review rounds, and days
from session to co-signature, across a trainee's last N notes. Headless; the CLI
(``report trainee``) and the TUI screen render the same :class:`TraineeReport`.

Readable by the trainee and by their assigned supervisor; making it is audited.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import TYPE_CHECKING, get_args

from pydantic import BaseModel, ConfigDict, Field

from ..models import Category, NoteStatus, Role, User
from ..services.errors import PermissionDenied
from ..services.findings import FindingService
from ..storage.audit import AuditEvent
from ..storage.store import NotFound, Store

if TYPE_CHECKING:
    from ..services.auth import Session

CATEGORIES: tuple[str, ...] = get_args(Category)
DEFAULT_LAST = 10


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NoteFeedback(_Model):
    note_id: str
    client_id: str
    date_of_service: dt.date
    status: NoteStatus
    findings: dict[str, int] = Field(default_factory=dict)
    """Open (not dismissed) findings of the note's current text, by category."""
    dismissed: int = 0
    rounds: int = 0
    """Times the note was submitted for review."""
    returned: int = 0
    """Times the supervisor returned it for revision."""
    days_to_cosign: int | None = None
    """Days from the session to the co-signature (None until co-signed)."""

    @property
    def total(self) -> int:
        return sum(self.findings.values())


class TraineeReport(_Model):
    trainee: str
    display_name: str
    supervisor: str | None
    last: int
    generated_at: dt.datetime
    notes: list[NoteFeedback]
    """Oldest first, so charts read left to right."""

    def category_totals(self) -> dict[str, int]:
        return {c: sum(n.findings.get(c, 0) for n in self.notes) for c in CATEGORIES
                if any(n.findings.get(c) for n in self.notes)}

    def summary(self) -> dict[str, object]:
        cosigned = [n.days_to_cosign for n in self.notes if n.days_to_cosign is not None]
        return {
            "notes": len(self.notes),
            "findings_per_note": round(sum(n.total for n in self.notes) / len(self.notes), 2)
            if self.notes else 0.0,
            "returned_rounds": sum(n.returned for n in self.notes),
            "cosigned": len(cosigned),
            "mean_days_to_cosign": round(sum(cosigned) / len(cosigned), 1) if cosigned else None,
        }


def trainee_report(store: Store, actor: User | Session, trainee: str, *,
                   last: int = DEFAULT_LAST, today: dt.date | None = None) -> TraineeReport:
    session = None if isinstance(actor, User) else actor
    user = actor if isinstance(actor, User) else actor.user
    if session is not None:
        session.require_active()
        session.touch()
    if last < 1:
        raise ValueError("--last must be at least 1")
    try:
        subject = store.user_by_name(trainee)
    except NotFound:
        subject = store.user(trainee)
    if subject.role != Role.trainee:
        raise PermissionDenied(f"{subject.username} is not a trainee")
    if user.id != subject.id and not (user.role == Role.supervisor
                                      and subject.supervisor_id == user.id):
        raise PermissionDenied("a trainee report is for the trainee and their assigned supervisor")
    notes = store.notes_by_author(subject.id)[:last]
    findings = FindingService(store, user)
    rows = []
    rounds_by_note: dict[str, list[dict]] = {}
    for row in store.rounds_for_author(subject.id):
        rounds_by_note.setdefault(str(row["note_id"]), []).append(row)
    for note in reversed(notes):
        result = findings.check(note.id, today=today)
        open_ = findings.open_findings(note.id, result.findings)
        by_category: dict[str, int] = {}
        for f in open_:
            by_category[f.category] = by_category.get(f.category, 0) + 1
        rounds = rounds_by_note.get(note.id, [])
        days = (note.cosigned_at.date() - note.date_of_service).days if note.cosigned_at else None
        rows.append(NoteFeedback(
            note_id=note.id, client_id=note.client_id, date_of_service=note.date_of_service,
            status=note.status, findings=dict(sorted(by_category.items())),
            dismissed=len(result.findings) - len(open_), rounds=len(rounds),
            returned=sum(1 for r in rounds if r["decision"] == "returned"), days_to_cosign=days,
        ))
    supervisor = store.user(subject.supervisor_id).username if subject.supervisor_id else None
    event_kwargs = dict(target_type="user", target_id=subject.id, category="progress-note",
                        detail={"report": "trainee", "notes": len(rows), "last": last})
    event = (session.event("report", **event_kwargs) if session is not None else
             AuditEvent(action="report", actor_id=user.id, actor=user.username, **event_kwargs))
    if not store.readonly:
        store.record(event)
    return TraineeReport(
        trainee=subject.username, display_name=subject.display_name, supervisor=supervisor,
        last=last, generated_at=dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
        notes=rows,
    )


# rendering ------------------------------------------------------------------------------
CSV_FIELDS = ["note_id", "client_id", "date_of_service", "status", *CATEGORIES, "total",
              "dismissed", "rounds", "returned", "days_to_cosign"]


def to_json(report: TraineeReport) -> str:
    data = report.model_dump(mode="json")
    data["summary"] = report.summary()
    for note, out in zip(report.notes, data["notes"], strict=True):
        out["total"] = note.total
    return json.dumps(data, indent=2, sort_keys=True)


def to_csv(report: TraineeReport) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for n in report.notes:
        writer.writerow({
            "note_id": n.note_id, "client_id": n.client_id,
            "date_of_service": n.date_of_service.isoformat(), "status": n.status.value,
            **{c: n.findings.get(c, 0) for c in CATEGORIES}, "total": n.total,
            "dismissed": n.dismissed, "rounds": n.rounds, "returned": n.returned,
            "days_to_cosign": "" if n.days_to_cosign is None else n.days_to_cosign,
        })
    return buffer.getvalue()


_SHORT = {"process-content": "proc", "abbreviation": "abbr", "do-not-use": "dnu",
          "plan-alignment": "plan", "format": "fmt", "risk": "risk", "compliance": "comp",
          "cloned-note": "clone", "stigmatizing-language": "stig"}


def to_table(report: TraineeReport) -> str:
    cats = [c for c in CATEGORIES if any(n.findings.get(c) for n in report.notes)]
    head = ["date", "note", "status", *[_SHORT[c] for c in cats], "total", "rounds",
            "returned", "days"]
    body = [[n.date_of_service.isoformat(), n.note_id, n.status.value,
             *[str(n.findings.get(c, 0)) for c in cats], str(n.total), str(n.rounds),
             str(n.returned), "-" if n.days_to_cosign is None else str(n.days_to_cosign)]
            for n in report.notes]
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()  # noqa: E731
    s = report.summary()
    out = [f"Trainee {report.display_name} ({report.trainee}), supervisor "
           f"{report.supervisor or '-'}: last {len(report.notes)} note(s)", line(head),
           *[line(r) for r in body],
           f"findings per note {s['findings_per_note']}, returned rounds {s['returned_rounds']}, "
           f"co-signed {s['cosigned']}, mean days to co-signature "
           f"{'-' if s['mean_days_to_cosign'] is None else s['mean_days_to_cosign']}"]
    if cats:
        out.append("categories: " + ", ".join(f"{_SHORT[c]}={c}" for c in cats))
    return "\n".join(out)
