"""The client's plan objectives beside the editor, marked when the note addresses them."""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widgets import Static

from ...models import TreatmentPlan


def addressed_ids(extras: dict[str, Any]) -> set[str]:
    """Objective ids the plan-alignment check found addressed (empty when it is absent)."""
    alignment = extras.get("plan_alignment") or {}
    return {str(o.get("id")) for o in alignment.get("objectives", []) or []
            if isinstance(o, dict) and o.get("addressed")}


class ObjectivesPanel(Static):
    """Plan goals and objectives; a check mark when the note addresses an objective."""

    def __init__(self, plan: TreatmentPlan | None, *, goal_hint: bool = False, **kwargs: object) -> None:
        super().__init__("", markup=False, **kwargs)
        self.plan = plan
        """The client's active plan."""
        self.goal_hint = goal_hint
        """Say that ctrl+g inserts a goal (GIRP)."""

    def on_mount(self) -> None:
        self.show({})

    def show(self, extras: dict[str, Any]) -> None:
        plan = self.plan
        if plan is None:
            self.update("No treatment plan on file for this client.")
            return
        done = addressed_ids(extras)
        parts: list[tuple[str, str] | str] = [("Plan objectives", "bold")]
        if plan.review_due:
            parts.append((f"  review due {plan.review_due}", "dim"))
        for problem in plan.problems:
            for goal in problem.goals:
                parts += ["\n", (f"{goal.id} {goal.description}", "italic")]
                for objective in goal.objectives:
                    tick = ("\u2713 ", "$text-success") if objective.id in done else ("\u00b7 ", "dim")
                    parts += ["\n ", tick, f"{objective.id} {objective.description}"]
        if self.goal_hint:
            parts += ["\n", ("ctrl+g inserts a goal", "dim")]
        self.update(Content.assemble(*parts))
