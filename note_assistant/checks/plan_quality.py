"""Plan quality: are the objectives SMART and the interventions specific (DOMAIN.md section 3)?

``check_plan(plan, today)`` returns :class:`PlanFinding` objects: plan findings have no note
offsets. Messages, severities and sources come from the rule catalogue (``rules/plan.toml``);
wording cues from ``data/lexicons/plan_quality.toml``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

from ..models import Category, Objective, Severity, TreatmentPlan
from .catalogue import rule
from .plan_index import techniques
from .textspans import data_toml


class PlanFinding(BaseModel):
    """A finding about a treatment plan (not a note): which objective, what to change."""

    model_config = ConfigDict(extra="forbid")

    rule_id: str
    category: Category = "plan-alignment"
    severity: Severity
    objective_id: str | None = None
    intervention_id: str | None = None
    message: str
    suggestion: str | None = None
    source: str | None = None


class _Vague(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    pattern: str
    example: str


class _QualityFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    measurable: str
    vague: list[_Vague]


@dataclass(frozen=True)
class _Compiled:
    measurable: re.Pattern[str]
    vague: list[tuple[re.Pattern[str], str]]


@functools.cache
def _compiled() -> _Compiled:
    data = _QualityFile.model_validate(data_toml("lexicons", "plan_quality.toml"))
    word = r"(?<![A-Za-z0-9])(?:{})(?![A-Za-z0-9])"
    return _Compiled(
        measurable=re.compile(data.measurable, re.IGNORECASE),
        vague=[(re.compile(word.format(v.pattern), re.IGNORECASE), v.example) for v in data.vague],
    )


def _finding(rule_id: str, objective_id: str | None = None, intervention_id: str | None = None,
             **values: Any) -> PlanFinding:
    spec = rule(rule_id)
    return PlanFinding(
        rule_id=spec.id, category=spec.category, severity=spec.severity,
        objective_id=objective_id, intervention_id=intervention_id,
        message=spec.message.format(objective_id=objective_id, **values),
        suggestion=spec.suggestion.format(objective_id=objective_id, **values) if spec.suggestion else None,
        source=spec.source,
    )


def _objective(obj: Objective, today: dt.date) -> list[PlanFinding]:
    c = _compiled()
    text = f"{obj.description} {obj.criterion}"
    found: list[PlanFinding] = []
    if not c.measurable.search(text):
        found.append(_finding("PLAN-OBJ-NOT-MEASURABLE", obj.id))
    if obj.target_date is None:
        found.append(_finding("PLAN-OBJ-NO-TARGET-DATE", obj.id))
    elif obj.target_date < today:
        found.append(_finding("PLAN-OBJ-TARGET-PASSED", obj.id, target_date=obj.target_date.isoformat()))
    for pattern, example in c.vague:
        m = pattern.search(obj.description)
        if m:
            found.append(_finding("PLAN-OBJ-VAGUE", obj.id, phrase=m.group(0), example=example))
            break
    if not obj.interventions:
        found.append(_finding("PLAN-OBJ-NO-INTERVENTION", obj.id))
    t = techniques()
    for iv in obj.interventions:
        if not iv.frequency.strip():
            found.append(_finding("PLAN-INT-NO-FREQUENCY", obj.id, iv.id, name=iv.name))
        named = f"{iv.name} {iv.modality}"
        if not (t.pattern.search(named) or t.modality_pattern.search(named)):
            found.append(_finding("PLAN-INT-NOT-NAMED", obj.id, iv.id, name=iv.name))
    return found


def check_plan(plan: TreatmentPlan, today: dt.date | None = None, profile: Any = None) -> list[PlanFinding]:
    """SMART findings for ``plan``; ``profile`` (a RuleProfile) disables or re-grades them."""
    today = today or dt.date.today()
    objectives = plan.objectives()
    found = [] if objectives else [_finding("PLAN-NO-OBJECTIVES")]
    for obj in objectives:
        found.extend(_objective(obj, today))
    if profile is None:
        return found
    kept = []
    for f in found:
        setting = profile.setting(f)
        if setting is not None and not setting.enabled:
            continue
        if setting is not None and setting.severity:
            f = f.model_copy(update={"severity": setting.severity})
        kept.append(f)
    return kept
