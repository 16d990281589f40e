"""FHIR R4 export: a ``collection`` Bundle with the client (Patient), the clinicians
(Practitioner) and, per note, a ``DocumentReference`` (the note attached as base64
``text/markdown``) and a ``Composition`` with one section per note section. Addenda are
DocumentReferences that ``appends`` the note's.

Validated with the ``fhir.resources`` models of FHIR R4B (4.3): the package ships R5, R4B and
STU3 models, not R4 4.0.1, and R4B made no change to Bundle, Patient, Practitioner,
DocumentReference or Composition, so what validates here is valid R4 for these resources.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import uuid
from typing import Any

from note_formats import FREE_TEXT, NoteFormat, builtin_formats, parse_note

from ...models import NoteStatus, User
from .record import ClientRecord, NoteEntry, person

FHIR_VERSION = "4.0.1"
LOINC = "http://loinc.org"
PROGRESS_NOTE = {"system": LOINC, "code": "11506-3", "display": "Progress note"}
ADDENDUM = {"system": LOINC, "code": "11506-3", "display": "Progress note"}
CLINICAL_NOTE = {
    "system": "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category",
    "code": "clinical-note", "display": "Clinical Note",
}
_NAMESPACE = uuid.UUID("6f1c6a52-5f0b-4c38-9d1e-1f7f0c1c2b8e")


def _urn(kind: str, key: str) -> str:
    """A stable ``urn:uuid`` for one of our ids, so re-exports keep the same references."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{kind}:{key}')}"


def _instant(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.isoformat()


def _b64(text: str) -> tuple[str, str]:
    data = text.encode("utf-8")
    return base64.b64encode(data).decode("ascii"), base64.b64encode(hashlib.sha1(data).digest()).decode("ascii")  # noqa: S324 - FHIR Attachment.hash is SHA-1 by definition


def _div(text: str) -> str:
    paragraphs = [p for p in text.strip().split("\n\n") if p.strip()] or [""]
    body = "".join(f"<p>{html.escape(p.strip()).replace(chr(10), '<br/>')}</p>" for p in paragraphs)
    return f'<div xmlns="http://www.w3.org/1999/xhtml">{body}</div>'


def note_sections(text: str, format_key: str, formats: dict[str, NoteFormat]) -> list[tuple[str, str]]:
    """(title, body) of each section as the note is written; free text is one "Note" section."""
    wanted = format_key if format_key in formats else None
    parsed = parse_note(text, format=wanted, formats=formats)
    if parsed.format == FREE_TEXT or not parsed.sections:
        return [("Note", text)]
    fmt = formats[parsed.format]
    return [(fmt.section(s.key).title, s.body(text)) for s in parsed.sections]


def _doc_status(entry: NoteEntry) -> str:
    if entry.addenda:
        return "amended"
    return "final" if entry.note.status in (NoteStatus.signed, NoteStatus.cosigned) else "preliminary"


def _practitioner(user: User) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Practitioner", "id": user.id,
        "name": [{"text": user.display_name}],
    }
    if user.credentials:
        resource["qualification"] = [{"code": {"text": user.credentials}}]
    return resource


def _note_resources(entry: NoteEntry, patient: str, formats: dict[str, NoteFormat], users: dict[str, str]) -> list[dict[str, Any]]:
    note = entry.note
    doc_urn, comp_urn = _urn("docref", note.id), _urn("composition", note.id)
    data, sha1 = _b64(entry.text)
    when = note.signed_at or note.updated_at
    author = {"reference": users[note.author_id], "display": person(entry.author)}
    title = f"{note.format.upper()} progress note, {note.date_of_service}"
    docref: dict[str, Any] = {
        "resourceType": "DocumentReference", "id": note.id,
        "identifier": [{"system": "urn:ietf:rfc:3986", "value": doc_urn}],
        "status": "current", "docStatus": _doc_status(entry),
        "type": {"coding": [PROGRESS_NOTE]}, "category": [{"coding": [CLINICAL_NOTE]}],
        "subject": {"reference": patient}, "date": _instant(when), "author": [author],
        "description": title,
        "content": [{"attachment": {
            "contentType": "text/markdown; charset=utf-8", "language": "en", "data": data,
            "hash": sha1, "title": title, "creation": _instant(note.created_at),
        }}],
    }
    if entry.signed and note.signer_id:
        docref["authenticator"] = {"reference": users[note.signer_id], "display": person(entry.signer)}
        docref["description"] += f"; signed, SHA-256 {note.content_hash}"
    period: dict[str, str] = {}
    if note.start_time:
        period["start"] = _instant(dt.datetime.combine(note.date_of_service, note.start_time))
    if note.end_time:
        period["end"] = _instant(dt.datetime.combine(note.date_of_service, note.end_time))
    if period:
        docref["context"] = {"period": period}
    sections = []
    for section_title, body in note_sections(entry.text, note.format, formats):
        section: dict[str, Any] = {"title": section_title}
        if body.strip():
            section["text"] = {"status": "generated", "div": _div(body)}
        else:
            section["emptyReason"] = {"coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/list-empty-reason",
                "code": "unavailable", "display": "Unavailable"}]}
        sections.append(section)
    composition: dict[str, Any] = {
        "resourceType": "Composition", "id": f"c-{note.id}",
        "identifier": {"system": "urn:ietf:rfc:3986", "value": comp_urn},
        "status": "amended" if entry.addenda else ("final" if entry.signed else "preliminary"),
        "type": {"coding": [PROGRESS_NOTE]}, "category": [{"coding": [CLINICAL_NOTE]}],
        "subject": {"reference": patient}, "date": _instant(when), "author": [author],
        "title": title, "section": sections,
        "relatesTo": [{"code": "transforms", "targetReference": {"reference": doc_urn}}],
    }
    if entry.signed and note.signer_id and note.signed_at:
        composition["attester"] = [{
            "mode": "legal", "time": _instant(note.signed_at),
            "party": {"reference": users[note.signer_id], "display": person(entry.signer)},
        }]
    out = [docref, composition]
    for addendum, add_author in entry.addenda:
        add_data, add_sha1 = _b64(addendum.text)
        out.append({
            "resourceType": "DocumentReference", "id": addendum.id, "status": "current",
            "docStatus": "final", "type": {"coding": [ADDENDUM]},
            "category": [{"coding": [CLINICAL_NOTE]}], "subject": {"reference": patient},
            "date": _instant(addendum.created_at),
            "author": [{"reference": users[addendum.author_id], "display": person(add_author)}],
            "description": f"Addendum: {addendum.reason}; amends SHA-256 {addendum.original_hash}",
            "relatesTo": [{"code": "appends", "target": {"reference": doc_urn}}],
            "content": [{"attachment": {
                "contentType": "text/markdown; charset=utf-8", "data": add_data, "hash": add_sha1,
                "title": f"Addendum to {title}", "creation": _instant(addendum.created_at),
            }}],
        })
    return out


def build_bundle(record: ClientRecord, formats: dict[str, NoteFormat] | None = None) -> dict[str, Any]:
    """The Bundle as plain JSON data (validate with :func:`validate_bundle`)."""
    if record.psychotherapy:
        raise ValueError("psychotherapy notes are not exported to FHIR; use Markdown or PDF with an authorization")
    formats = formats if formats is not None else builtin_formats()
    client = record.client
    patient_urn = _urn("patient", client.id)
    patient: dict[str, Any] = {"resourceType": "Patient", "id": client.id, "name": [{"text": client.name}]}
    if client.date_of_birth:
        patient["birthDate"] = client.date_of_birth.isoformat()
    entries: list[dict[str, Any]] = [{"fullUrl": patient_urn, "resource": patient}]
    people: dict[str, User | None] = {}
    for entry in record.entries:
        people.setdefault(entry.note.author_id, entry.author)
        if entry.note.signer_id:
            people.setdefault(entry.note.signer_id, entry.signer)
        for addendum, who in entry.addenda:
            people.setdefault(addendum.author_id, who)
    users: dict[str, str] = {}
    for user_id, user in people.items():
        users[user_id] = _urn("practitioner", user_id)
        user = user or User(id=user_id, username="unknown", display_name="Unknown", role="clinician")
        entries.append({"fullUrl": users[user_id], "resource": _practitioner(user)})
    for entry in record.entries:
        for resource in _note_resources(entry, patient_urn, formats, users):
            kind = "docref" if resource["resourceType"] == "DocumentReference" else "composition"
            key = resource["id"] if kind == "docref" else resource["id"][2:]
            entries.append({"fullUrl": _urn(kind, key), "resource": resource})
    return {
        "resourceType": "Bundle", "id": str(uuid.uuid4()),
        "meta": {"lastUpdated": _instant(record.generated_at)},
        "type": "collection", "timestamp": _instant(record.generated_at), "entry": entries,
    }


_CODES = {
    ("DocumentReference", "status"): {"current", "superseded", "entered-in-error"},
    ("DocumentReference", "docStatus"): {"preliminary", "final", "amended", "entered-in-error"},
    ("Composition", "status"): {"preliminary", "final", "amended", "entered-in-error"},
    ("Bundle", "type"): {"document", "message", "transaction", "transaction-response", "batch",
                         "batch-response", "history", "searchset", "collection"},
}


class FhirInvalid(ValueError):
    """The Bundle breaks a FHIR rule the ``fhir.resources`` models do not check."""


def _invariants(bundle) -> list[str]:  # noqa: ANN001
    """Required code values and cardinalities the models leave unchecked."""
    problems = []
    if bundle.type not in _CODES[("Bundle", "type")]:
        problems.append(f"Bundle.type {bundle.type!r} is not a FHIR bundle type")
    for index, entry in enumerate(bundle.entry or []):
        resource = entry.resource
        kind = resource.get_resource_type()
        for (owner, name), allowed in _CODES.items():
            value = getattr(resource, name, None) if owner == kind else None
            if value is not None and value not in allowed:
                problems.append(f"entry[{index}] {kind}.{name} {value!r} is not one of {sorted(allowed)}")
        if kind == "DocumentReference" and not resource.content:
            problems.append(f"entry[{index}] DocumentReference.content needs at least one attachment")
        if kind == "Composition":
            if not resource.author:
                problems.append(f"entry[{index}] Composition.author needs at least one author")
            for number, section in enumerate(resource.section or []):
                if not (section.text or section.entry or section.section or section.emptyReason):
                    problems.append(f"entry[{index}] Composition.section[{number}] has no text, entries, "
                                    "sections or empty reason (cmp-1)")
    return problems


def validate_bundle(data: dict[str, Any]):  # noqa: ANN201 - a fhir.resources Bundle
    """Validate with the ``fhir.resources`` R4B models (structure, required elements, types,
    primitive formats; raises ``pydantic.ValidationError``), then the code values and
    cardinalities they leave out (raises :class:`FhirInvalid`)."""
    from fhir.resources.R4B.bundle import Bundle

    bundle = Bundle.model_validate(data)
    problems = _invariants(bundle)
    if problems:
        raise FhirInvalid("; ".join(problems))
    return bundle


def render_fhir(record: ClientRecord, formats: dict[str, NoteFormat] | None = None) -> str:
    bundle = validate_bundle(build_bundle(record, formats))
    return bundle.model_dump_json(indent=2, exclude_none=True) + "\n"
