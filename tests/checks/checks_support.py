"""Helpers for the rule-family tests: build a CheckContext, run one family, check spans."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from types import ModuleType

from note_assistant.checks.context import CheckContext
from note_assistant.checks.profiles import RuleProfile, load_profile
from note_assistant.models import Finding, Note, TreatmentPlan
from note_formats import FREE_TEXT, builtin_formats, parse_note

TODAY = dt.date(2026, 11, 21)

HEADER = """Date: 2026-11-20
Start: 10:00
End: 10:50
CPT: 90834
Modality: individual, in person
Diagnosis: F41.0 Panic disorder
"""

SIGNATURE = "Electronically signed by Jane Doe, LCSW, 2026-11-20\n"


def soap(subjective: str, objective: str, assessment: str, plan: str, *, header: str = HEADER,
         signature: str = SIGNATURE) -> str:
    return (f"{header}\nSubjective:\n{subjective}\n\nObjective:\n{objective}\n\n"
            f"Assessment:\n{assessment}\n\nPlan:\n{plan}\n{signature}")


def birp(behavior: str, intervention: str, response: str, plan: str, *, header: str = HEADER,
         signature: str = SIGNATURE) -> str:
    return (f"{header}\nBehavior:\n{behavior}\n\nIntervention:\n{intervention}\n\n"
            f"Response:\n{response}\n\nPlan:\n{plan}\n{signature}")


#: A complete, well-documented SOAP note: no documentation or risk rule should fire on it.
GOOD_SOAP = soap(
    "Client reported two panic attacks this week and missed one day of work because of them. "
    "She went to dinner with a friend on Saturday.",
    "Alert, oriented, affect anxious and congruent. GAD-7 = 12 (last session 14).",
    "Panic frequency down from 4 to 2 per week. Used cognitive restructuring on the fear of "
    "fainting; client engaged and generated a balanced thought. Denies SI/HI; C-SSRS screen "
    "negative; risk low, no safety plan needed.",
    "Continue weekly CBT. Homework: panic log daily. Next session 11/27.",
)


def context(text: str, *, plan: TreatmentPlan | None = None, history: Sequence[Note] = (),
            profile: str | RuleProfile = "default", today: dt.date = TODAY,
            client_id: str | None = None, author_id: str | None = None,
            format: str | None = None) -> CheckContext:
    formats = builtin_formats()
    parsed = parse_note(text, format=format, formats=formats)
    return CheckContext(
        parsed=parsed,
        fmt=formats.get(parsed.format) if parsed.format != FREE_TEXT else None,
        doc=None,
        profile=profile if isinstance(profile, RuleProfile) else load_profile(profile),
        plan=plan, history=list(history), today=today, client_id=client_id, author_id=author_id,
    )


def run(family: ModuleType, text: str, **kwargs) -> list[Finding]:
    """Run one family, apply the profile as the engine does, and check every span."""
    ctx = context(text, **kwargs)
    findings = ctx.profile.apply(list(family.run(ctx)))
    for f in findings:
        assert f.text == text[f.start:f.end], f"{f.rule_id}: text does not match its span"
        assert 0 <= f.start <= f.end <= len(text)
        assert f.source, f"{f.rule_id} has no source"
    return findings


def ids(findings: Sequence[Finding]) -> list[str]:
    return [f.rule_id for f in findings]


def only(findings: Sequence[Finding], rule_id: str) -> Finding:
    matching = [f for f in findings if f.rule_id == rule_id]
    assert len(matching) == 1, f"expected one {rule_id}, got {ids(findings)}"
    return matching[0]
