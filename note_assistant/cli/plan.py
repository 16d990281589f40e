"""``note-assistant plan``: show and validate treatment-plan files."""

from __future__ import annotations

import json
from pathlib import Path

import click

from . import cli


@cli.group()
def plan() -> None:
    """Treatment plans: show or validate a plan file (TOML or JSON)."""


def _quality(loaded):  # noqa: ANN001, ANN202
    try:
        from ..checks.plan_quality import check_plan
    except ImportError:  # plan-quality checks arrive with the Quality engine II issue
        return None
    return check_plan(loaded)


@plan.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def show(path: Path) -> None:
    """Print the plan as a tree: problems, goals, objectives, interventions."""
    from ..plans import load_plan

    loaded = load_plan(path)
    click.echo(f"Plan {loaded.id} for {loaded.client_id}: {loaded.start_date} to review {loaded.review_due}")
    for dx in loaded.diagnoses:
        click.echo(f"  Dx {dx.code} {dx.description}")
    for problem in loaded.problems:
        click.echo(f"  Problem {problem.id}: {problem.description}")
        for goal in problem.goals:
            click.echo(f"    Goal {goal.id}: {goal.description}")
            for obj in goal.objectives:
                target = f" by {obj.target_date}" if obj.target_date else ""
                click.echo(f"      Objective {obj.id}: {obj.description}{target}")
                for iv in obj.interventions:
                    extra = ", ".join(x for x in (iv.modality, iv.frequency, iv.provider) if x)
                    click.echo(f"        Intervention {iv.id}: {iv.name}" + (f" ({extra})" if extra else ""))


@plan.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print findings as JSON.")
def validate(path: Path, as_json: bool) -> int:
    """Validate a plan file: its structure, then SMART checks on every objective."""
    from ..plans import load_plan

    loaded = load_plan(path)
    findings = _quality(loaded)
    if findings is None:
        click.echo(f"{path}: structure valid ({len(loaded.objectives())} objectives). "
                   "SMART checks are not available yet (Quality engine II).")
        return 0
    if as_json:
        click.echo(json.dumps({"path": str(path), "findings": [f.model_dump(mode="json") for f in findings]}))
    else:
        for f in findings:
            click.echo(f"{path}: {f.severity:<7} {f.rule_id:<24} {f.objective_id or '-'}: {f.message}")
            if f.suggestion:
                click.echo(f"    fix: {f.suggestion}")
        click.echo(f"{path}: {len(loaded.objectives())} objectives, {len(findings)} finding(s)")
    return 1 if any(f.severity == "error" for f in findings) else 0
