"""Domain models. Pydantic at the boundaries (files, database rows, CLI JSON); plain and small."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Role(StrEnum):
    clinician = "clinician"
    trainee = "trainee"
    supervisor = "supervisor"
    admin = "admin"


class NoteStatus(StrEnum):
    draft = "draft"
    pending_review = "pending_review"
    revision_requested = "revision_requested"
    signed = "signed"
    cosigned = "cosigned"


class User(_Model):
    id: str = Field(default_factory=lambda: new_id("u"))
    username: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9_.-]+$")
    display_name: str
    role: Role
    credentials: str = ""
    """E.g. "LCSW", "PhD"; printed after the signature."""
    supervisor_id: str | None = None
    active: bool = True


class Client(_Model):
    id: str = Field(default_factory=lambda: new_id("cl"))
    name: str = Field(min_length=1)
    date_of_birth: dt.date | None = None
    clinician_id: str | None = None
    diagnoses: list[str] = Field(default_factory=list)
    part2: bool = False
    """42 CFR Part 2 (substance-use program) records need extra protection."""


class Intervention(_Model):
    id: str
    name: str
    modality: str = ""
    frequency: str = ""
    provider: str = ""


class Objective(_Model):
    id: str
    description: str
    criterion: str = ""
    """The measurable criterion, e.g. "PHQ-9 below 10"."""
    target_date: dt.date | None = None
    interventions: list[Intervention] = Field(default_factory=list)


class Goal(_Model):
    id: str
    description: str
    objectives: list[Objective] = Field(default_factory=list)


class Problem(_Model):
    id: str
    description: str
    goals: list[Goal] = Field(default_factory=list)


class Diagnosis(_Model):
    code: str
    description: str = ""


class TreatmentPlan(_Model):
    id: str = Field(default_factory=lambda: new_id("plan"))
    client_id: str
    start_date: dt.date
    review_due: dt.date
    end_date: dt.date | None = None
    diagnoses: list[Diagnosis] = Field(default_factory=list)
    problems: list[Problem] = Field(default_factory=list)

    def objectives(self) -> list[Objective]:
        return [o for p in self.problems for g in p.goals for o in g.objectives]

    def interventions(self) -> list[Intervention]:
        return [i for o in self.objectives() for i in o.interventions]


class Note(_Model):
    id: str = Field(default_factory=lambda: new_id("n"))
    client_id: str
    author_id: str
    format: str
    text: str
    """The whole note as written (headings included); sections are parsed from it."""
    date_of_service: dt.date
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    cpt: str | None = None
    modality: str | None = None
    diagnosis: list[str] = Field(default_factory=list)
    status: NoteStatus = NoteStatus.draft
    signer_id: str | None = None
    signed_at: dt.datetime | None = None
    content_hash: str | None = None
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)
    cosigner_id: str | None = None
    """The supervisor who co-signed a trainee's note (status ``cosigned``)."""
    cosigned_at: dt.datetime | None = None


class Addendum(_Model):
    id: str = Field(default_factory=lambda: new_id("add"))
    note_id: str
    author_id: str
    reason: str = Field(min_length=1)
    text: str = Field(min_length=1)
    created_at: dt.datetime = Field(default_factory=utcnow)
    original_hash: str
    """The signed note's hash when the addendum was written: proof the original is unchanged."""


class PsychotherapyNote(_Model):
    """Process notes (45 CFR 164.501). Linked to a session, never part of a Note."""

    id: str = Field(default_factory=lambda: new_id("pn"))
    client_id: str
    author_id: str
    session_note_id: str | None = None
    text: str
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)


Severity = Literal["error", "warning", "info"]
Category = Literal[
    "process-content", "abbreviation", "do-not-use", "plan-alignment", "format", "risk",
    "compliance", "cloned-note", "stigmatizing-language",
]


class Finding(_Model):
    """One explainable finding: a stable rule id, the exact span, a plain message, a fix."""

    rule_id: str
    category: Category
    severity: Severity
    start: int
    end: int
    section: str | None = None
    text: str = ""
    message: str
    suggestion: str | None = None
    cue: str | None = None
    """What fired (a cue word, a pattern), for the explanation."""
    source: str | None = None
    """Where the rule comes from (e.g. "45 CFR 164.501", "TJC Do Not Use", "A10")."""
    data: dict[str, object] = Field(default_factory=dict)

    @field_validator("end")
    @classmethod
    def _ordered(cls, end: int, info) -> int:  # noqa: ANN001 - pydantic's info object
        start = info.data.get("start", 0)
        if end < start:
            raise ValueError("end before start")
        return end


def content_hash(fields: dict[str, object]) -> str:
    """SHA-256 over canonical JSON (sorted keys, normalised newlines): unambiguous by design.

    ``{"a": ["ab", "c"]}`` and ``{"a": ["a", "bc"]}`` hash differently because JSON quotes and
    delimits every string.
    """

    def norm(value: object) -> object:
        if isinstance(value, str):
            return value.replace("\r\n", "\n").replace("\r", "\n")
        if isinstance(value, list | tuple):
            return [norm(v) for v in value]
        if isinstance(value, dict):
            return {str(k): norm(v) for k, v in value.items()}
        if isinstance(value, dt.date | dt.time | dt.datetime):
            return value.isoformat()
        return value

    canonical = json.dumps(norm(fields), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def note_hash(note: Note) -> str:
    """The signing hash of a note: its clinical content and who signed it when.

    A co-signed note's hash also covers the co-signer and the time of co-signature. The two
    keys are added only when there is a co-signer, so hashes of notes signed before co-signing
    existed (and of every note signed without one) are unchanged and still verify.
    """
    fields: dict[str, object] = {
        "id": note.id, "client_id": note.client_id, "author_id": note.author_id,
        "format": note.format, "text": note.text,
        "date_of_service": note.date_of_service, "start_time": note.start_time,
        "end_time": note.end_time, "cpt": note.cpt, "modality": note.modality,
        "diagnosis": note.diagnosis, "signer_id": note.signer_id, "signed_at": note.signed_at,
    }
    if note.cosigner_id is not None:
        fields["cosigner_id"] = note.cosigner_id
        fields["cosigned_at"] = note.cosigned_at
    return content_hash(fields)
