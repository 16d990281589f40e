"""Findings that come from the clinic configuration itself: banned abbreviations and required
header fields. Format requirements need no code here: they are merged into the formats, so the
format rules report them (``FMT-MISSING-SECTION``, ``FMT-ELEMENT-MISSING``)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from note_formats import ParsedNote

from ..models import Finding
from .model import BannedAbbreviation, ClinicConfig

BANNED_RULE = "CLINIC-BANNED-ABBREVIATION"
HEADER_RULE = "CLINIC-HEADER-MISSING"

_HEADER_LABELS = {
    "client": "Client", "date": "Date", "start": "Start", "end": "End", "duration": "Duration",
    "cpt": "CPT", "clinician": "Clinician", "credentials": "Credentials", "modality": "Modality",
    "diagnosis": "Diagnosis", "platform": "Platform", "client_location": "Client location",
    "signature": "Signature",
}


@functools.lru_cache(maxsize=256)
def _pattern(form: str, case_sensitive: bool) -> re.Pattern[str]:
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.compile(rf"(?<![\w/.-]){re.escape(form)}(?![\w/-]|\.\w)", flags)


def banned_findings(parsed: ParsedNote, banned: list[BannedAbbreviation], clinic: str) -> Iterator[Finding]:
    text = parsed.text
    body_start = parsed.front_matter_end
    for rule in banned:
        for match in _pattern(rule.form, rule.case_sensitive).finditer(text, body_start):
            section = parsed.section_at(match.start())
            message = f"The clinic does not use the abbreviation \u201c{match.group(0)}\u201d."
            if rule.reason:
                message += f" {rule.reason}"
            yield Finding(
                rule_id=BANNED_RULE, category="do-not-use", severity=rule.severity,
                start=match.start(), end=match.end(), section=section.key if section else None,
                text=match.group(0), message=message,
                suggestion=f"Write \u201c{rule.instead}\u201d." if rule.instead else "Write it out in full.",
                cue=rule.form, source=f"clinic configuration{f' ({clinic})' if clinic else ''}",
                data={"form": rule.form},
            )


def _present(parsed: ParsedNote, field: str) -> bool:
    header = parsed.header
    if field == "duration":
        return header.minutes is not None
    if field == "diagnosis":
        return bool(header.diagnosis)
    return getattr(header, field) is not None


def header_findings(parsed: ParsedNote, fields: list[str], clinic: str) -> Iterator[Finding]:
    for field in fields:
        if _present(parsed, field):
            continue
        label = _HEADER_LABELS[field]
        yield Finding(
            rule_id=HEADER_RULE, category="compliance", severity="warning", start=0, end=0,
            section=None, text="",
            message=f"The clinic requires \u201c{label}\u201d in every note's header.",
            suggestion=f"Add a line \u201c{label}: \u2026\u201d above the first section.",
            source=f"clinic configuration{f' ({clinic})' if clinic else ''}", data={"field": field},
        )


def clinic_findings(parsed: ParsedNote, config: ClinicConfig) -> list[Finding]:
    found = list(banned_findings(parsed, list(config.abbreviations.banned), config.name))
    found += header_findings(parsed, list(config.required_header), config.name)
    return found
