"""The treatment plan: problems, goals, objectives, interventions and the review date, editable,
with SMART checks on every objective (``checks.plan_quality.check_plan`` when installed)."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Static, Tree

from ...models import Goal, Intervention, Objective, Problem, Role, TreatmentPlan
from ..dialogs.confirm import ConfirmDialog
from ..dialogs.fields import FieldsDialog
from .base import AppScreen

Path_ = tuple[int, ...]
_ATTRS = ["problems", "goals", "objectives", "interventions"]
_CHILD = {"plan": "problem", "problem": "goal", "goal": "objective", "objective": "intervention"}
_FIELDS: dict[str, list[tuple[str, str]]] = {
    "plan": [("start_date", "Start date (YYYY-MM-DD)"), ("review_due", "Review due (YYYY-MM-DD)")],
    "problem": [("description", "Problem")],
    "goal": [("description", "Long-term goal")],
    "objective": [("description", "Objective (measurable)"), ("criterion", "Criterion, e.g. PHQ-9 < 10"),
                  ("target_date", "Target date (YYYY-MM-DD)")],
    "intervention": [("name", "Intervention (technique)"), ("modality", "Modality"),
                     ("frequency", "Frequency"), ("provider", "Who")],
}


def plan_findings(plan: TreatmentPlan, today: dt.date) -> list[Any]:
    """SMART findings from ``check_plan`` if that module exists, else a minimal fallback."""
    try:
        module = importlib.import_module("note_assistant.checks.plan_quality")
    except ImportError:
        return _fallback(plan, today)
    try:
        return list(module.check_plan(plan, today=today))
    except TypeError:
        return list(module.check_plan(plan))


class _Simple:
    def __init__(self, severity: str, rule_id: str, message: str, objective_id: str | None = None) -> None:
        self.severity, self.rule_id, self.message, self.objective_id = severity, rule_id, message, objective_id
        self.suggestion = None


def _fallback(plan: TreatmentPlan, today: dt.date) -> list[Any]:
    found: list[Any] = []
    if plan.review_due < today:
        found.append(_Simple("warning", "PLAN-REVIEW-OVERDUE", f"Plan review was due {plan.review_due}."))
    for o in plan.objectives():
        if not any(ch.isdigit() for ch in o.description + o.criterion):
            found.append(_Simple("warning", "PLAN-NOT-MEASURABLE", "Objective has no number to measure.", o.id))
        if o.target_date is None:
            found.append(_Simple("warning", "PLAN-NO-TARGET-DATE", "Objective has no target date.", o.id))
        if not o.interventions:
            found.append(_Simple("info", "PLAN-NO-INTERVENTION", "Objective has no intervention.", o.id))
    return found


class PlanScreen(AppScreen):
    """A tree of the plan; e edits, a adds, delete removes, s saves."""

    BINDINGS = [
        Binding("e", "edit", "Edit"),
        Binding("a", "add", "Add"),
        Binding("delete", "remove", "Remove"),
        Binding("s", "save", "Save plan"),
        Binding("n", "new_plan", "New plan", show=False),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, client_id: str) -> None:
        super().__init__()
        self.client_id = client_id
        """Whose plan."""
        self.plan: TreatmentPlan | None = None
        """The plan being edited (a copy until saved)."""
        self.dirty = False
        """Unsaved changes."""
        self._tree: Tree[tuple[str, Path_]] = Tree("Plan", id="plan-tree")
        self._checks = Static("", id="plan-checks")

    def compose(self) -> ComposeResult:
        store = self.session.store
        self.client = store.client(self.client_id)
        active = store.active_plan(self.client_id, on=self.session.today)
        self.plan = active.model_copy(deep=True) if active else None
        yield Header()
        yield Static(f"Treatment plan: {self.client.name}", id="plan-title", markup=False)
        with Horizontal(id="plan-body"):
            yield self._tree
            with VerticalScroll(id="plan-side"):
                yield self._checks
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.rebuild()
        self._tree.focus()

    @property
    def can_edit(self) -> bool:
        return self.session.user.role in (Role.clinician, Role.supervisor)

    # view ----------------------------------------------------------------------------------------
    def rebuild(self) -> None:
        tree, plan = self._tree, self.plan
        tree.clear()
        if plan is None:
            tree.root.set_label("No plan on file (n: new plan)")
            tree.root.data = ("none", ())
            self._checks.update("No treatment plan: notes cannot show progress toward objectives.")
            return
        tree.root.set_label(f"Plan {plan.start_date} - review due {plan.review_due}")
        tree.root.data = ("plan", ())
        for dx in plan.diagnoses:
            tree.root.add_leaf(f"Dx {dx.code} {dx.description}", data=("diagnosis", ()))
        for pi, problem in enumerate(plan.problems):
            pn = tree.root.add(f"Problem {problem.id}: {problem.description}", data=("problem", (pi,)), expand=True)
            for gi, goal in enumerate(problem.goals):
                gn = pn.add(f"Goal {goal.id}: {goal.description}", data=("goal", (pi, gi)), expand=True)
                for oi, o in enumerate(goal.objectives):
                    target = f" by {o.target_date}" if o.target_date else ""
                    on_ = gn.add(f"Objective {o.id}: {o.description}{target}",
                                 data=("objective", (pi, gi, oi)), expand=True)
                    for ii, iv in enumerate(o.interventions):
                        extra = ", ".join(x for x in (iv.modality, iv.frequency, iv.provider) if x)
                        on_.add_leaf(f"Intervention {iv.id}: {iv.name}" + (f" ({extra})" if extra else ""),
                                     data=("intervention", (pi, gi, oi, ii)))
        tree.root.expand()
        self._show_checks()

    def _show_checks(self) -> None:
        assert self.plan is not None
        found = plan_findings(self.plan, self.session.today)
        lines = ["SMART checks" + (" (unsaved changes)" if self.dirty else "")]
        if not found:
            lines.append("No problems found.")
        for f in found:
            where = f" [{getattr(f, 'objective_id', None)}]" if getattr(f, "objective_id", None) else ""
            lines.append(f"{str(getattr(f, 'severity', 'info'))[:1].upper()} {getattr(f, 'rule_id', '')}{where}: "
                         f"{getattr(f, 'message', f)}")
            if getattr(f, "suggestion", None):
                lines.append(f"   fix: {f.suggestion}")
        self._checks.update("\n".join(lines))

    def _node(self) -> tuple[str, Path_, Any]:
        node = self._tree.cursor_node
        kind, path = node.data if node is not None and node.data else ("plan", ())
        return kind, path, self._item(kind, path)

    def _item(self, kind: str, path: Path_) -> Any:
        plan = self.plan
        if plan is None or kind in ("none", "diagnosis"):
            return None
        item: Any = plan
        for depth, index in enumerate(path):
            item = getattr(item, _ATTRS[depth])[index]
        return item

    # editing -------------------------------------------------------------------------------------
    def _editable(self) -> bool:
        if not self.can_edit:
            self.report("Only clinicians and supervisors can change treatment plans.", severity="warning")
        return self.can_edit

    def action_edit(self) -> None:
        kind, _, item = self._node()
        if item is None or kind not in _FIELDS or not self._editable():
            return
        fields = [(k, label, str(getattr(item, k) or "")) for k, label in _FIELDS[kind]]

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            try:
                for key, value in values.items():
                    setattr(item, key, _convert(key, value))
            except ValueError as exc:
                self.report(str(exc), severity="error")
                return
            self.dirty = True
            self.rebuild()

        self.app.push_screen(FieldsDialog(f"Edit {kind}", fields), done)

    def action_add(self) -> None:
        kind, path, item = self._node()
        if item is None or kind not in _CHILD or not self._editable():
            return
        child_kind = _CHILD[kind]
        fields = [(k, label, "") for k, label in _FIELDS[child_kind]]

        def done(values: dict[str, str] | None) -> None:
            if not values or not any(values.values()):
                return
            try:
                child = _make(child_kind, _next_id(self.plan, child_kind), values)
            except ValueError as exc:
                self.report(str(exc), severity="error")
                return
            getattr(item, _ATTRS[len(path)]).append(child)
            self.dirty = True
            self.rebuild()

        self.app.push_screen(FieldsDialog(f"New {child_kind}", fields), done)

    def action_remove(self) -> None:
        kind, path, item = self._node()
        if item is None or kind in ("plan",) or not self._editable():
            return
        parent = self._item(["plan", "problem", "goal", "objective"][len(path) - 1], path[:-1])
        attr = _ATTRS[len(path) - 1]

        def confirmed(yes: bool | None) -> None:
            if yes:
                getattr(parent, attr).pop(path[-1])
                self.dirty = True
                self.rebuild()

        self.app.push_screen(ConfirmDialog(f"Remove this {kind}?", "Everything under it goes too "
                                           "(nothing is stored until you press s)."), confirmed)

    def action_new_plan(self) -> None:
        if self.plan is not None or not self._editable():
            return
        today = self.session.today
        self.plan = TreatmentPlan(client_id=self.client_id, start_date=today,
                                  review_due=today + dt.timedelta(days=90))
        self.dirty = True
        self.rebuild()

    def action_save(self) -> None:
        if self.plan is None or not self._editable():
            return
        try:
            TreatmentPlan.model_validate(self.plan.model_dump())
        except ValueError as exc:
            self.report(f"The plan is not valid: {exc}", severity="error")
            return
        auth = self.session.auth
        event = auth.event("save", target_type="plan", target_id=self.plan.id,
                           client_id=self.plan.client_id, category="treatment-plan") if auth else None
        if not self.attempt("Plan not saved", self.session.store.save_plan, self.plan, audit=event):
            return
        self.dirty = False
        self._show_checks()
        self.report("Plan saved.")

    def action_back(self) -> None:
        if not self.dirty:
            self.app.pop_screen()
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.app.pop_screen()

        self.app.push_screen(ConfirmDialog("Leave without saving the plan?",
                                           "Your changes to the plan will be lost.",
                                           yes="Leave", no="Stay"), confirmed)

    @on(Tree.NodeSelected)
    def _selected(self) -> None:
        self.action_edit()


def _convert(key: str, value: str) -> Any:
    if key in ("start_date", "review_due", "target_date"):
        if not value:
            if key == "target_date":
                return None
            raise ValueError(f"{key.replace('_', ' ')} is required")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{key.replace('_', ' ')}: use YYYY-MM-DD") from None
    return value


def _next_id(plan: TreatmentPlan | None, kind: str) -> str:
    assert plan is not None
    prefix = kind[0]
    used = {p.id for p in plan.problems} | {g.id for p in plan.problems for g in p.goals} | \
        {o.id for o in plan.objectives()} | {i.id for i in plan.interventions()}
    n = 1
    while f"{prefix}{n}" in used:
        n += 1
    return f"{prefix}{n}"


def _make(kind: str, new_id: str, values: dict[str, str]) -> Any:
    data = {k: _convert(k, v) for k, v in values.items()}
    if kind == "problem":
        return Problem(id=new_id, description=data["description"] or "(problem)")
    if kind == "goal":
        return Goal(id=new_id, description=data["description"] or "(goal)")
    if kind == "objective":
        return Objective(id=new_id, description=data["description"] or "(objective)",
                         criterion=data.get("criterion") or "", target_date=data.get("target_date"))
    return Intervention(id=new_id, name=data["name"] or "(intervention)", modality=data.get("modality") or "",
                        frequency=data.get("frequency") or "", provider=data.get("provider") or "")
