"""``check_note``: parse, run the pipeline once, run every rule family, apply the profile.

The TUI (in a worker) and the CLI call exactly this function.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from abbreviations.errors import MAX_NOTE_CHARS, NoteTooLong  # noqa: F401 - re-exported
from note_formats import FREE_TEXT, NoteFormat, ParsedNote, builtin_formats, parse_note

from ..models import Finding, Note, TreatmentPlan
from .context import CheckContext
from .profiles import RuleProfile, load_profile

#: Rule families, in report order. Each module has ``run(ctx) -> Iterable[Finding]`` and
#: ``NEEDS_DOC`` (True when it reads the spaCy Doc).
FAMILIES: list[str] = [
    "note_assistant.checks.structure",
    "note_assistant.checks.process_content",
    "note_assistant.checks.abbreviations",
    "note_assistant.checks.documentation",
    "note_assistant.checks.risk",
    "note_assistant.checks.plan_alignment",
    "note_assistant.checks.cloning",
    "note_assistant.checks.stigmatizing",
]

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class CheckResult:
    parsed: ParsedNote
    findings: list[Finding]
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def format(self) -> str:
        return self.parsed.format

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)


def _families() -> list[Any]:
    return [importlib.import_module(name) for name in FAMILIES]


def check_note(
    text: str,
    *,
    format: str | None = None,
    plan: TreatmentPlan | None = None,
    history: Sequence[Note] = (),
    profile: RuleProfile | None = None,
    formats: dict[str, NoteFormat] | None = None,
    today: dt.date | None = None,
    client_id: str | None = None,
    author_id: str | None = None,
) -> CheckResult:
    """Check one note. Offsets in every finding index ``text`` exactly as given.

    Raises :class:`NoteTooLong` (a ``ValueError``) for a text over :data:`MAX_NOTE_CHARS`.
    """
    NoteTooLong.check(text, "check")
    formats = formats if formats is not None else builtin_formats()
    parsed = parse_note(text, format=format, formats=formats)
    families = _families()
    doc = None
    if any(getattr(module, "NEEDS_DOC", False) for module in families):
        from ..nlp import make_doc

        doc = make_doc(text, [(s.body_start, s.end, s.key) for s in parsed.sections])
    ctx = CheckContext(
        parsed=parsed,
        fmt=formats.get(parsed.format) if parsed.format != FREE_TEXT else None,
        doc=doc,
        profile=profile or load_profile("default"),
        plan=plan,
        history=list(history),
        today=today or dt.date.today(),
        client_id=client_id,
        author_id=author_id,
    )
    findings: list[Finding] = []
    for module in families:
        findings.extend(module.run(ctx))
    findings = ctx.profile.apply(findings)
    findings.sort(key=lambda f: (f.start, _SEVERITY_ORDER[f.severity], f.rule_id))
    return CheckResult(parsed=parsed, findings=findings, extras=ctx.extras)


def check_many(texts: Iterable[str], **kwargs: Any) -> list[CheckResult]:
    return [check_note(text, **kwargs) for text in texts]
