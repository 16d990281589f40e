"""Treatment plan: view, edit (problems, goals, objectives, interventions, review date), SMART."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Tree

from note_assistant.tui.dialogs.confirm import ConfirmDialog
from note_assistant.tui.dialogs.fields import FieldsDialog
from note_assistant.tui.screens.home import HomeScreen
from note_assistant.tui.screens.plan import PlanScreen, plan_findings

from .conftest import TODAY, open_store, sign_in

pytestmark = pytest.mark.anyio


async def _plan(pilot, app, user: str = "dana", client_id: str = "cl-avery") -> PlanScreen:
    await sign_in(pilot, user)
    app.push_screen(PlanScreen(client_id))
    await pilot.pause()
    return app.screen


async def _go_to(pilot, screen: PlanScreen, prefix: str) -> None:
    tree = screen.query_one("#plan-tree", Tree)
    tree.cursor_line = 0
    for _ in range(40):
        node = tree.cursor_node
        if node is not None and str(node.label).startswith(prefix):
            return
        await pilot.press("down")
    raise AssertionError(f"no node {prefix!r}")


async def _fill(pilot, values: dict[str, str]) -> None:
    dialog = pilot.app.screen
    assert isinstance(dialog, FieldsDialog)
    for key, value in values.items():
        dialog.query_one(f"#field-{key}").value = value
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_edit_add_remove_and_save(make_app, demo_db):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _plan(pilot, app)
        labels = str(screen.query_one("#plan-tree", Tree).root.children)
        assert "SMART checks" in str(screen.query_one("#plan-checks").content)
        await _go_to(pilot, screen, "Objective o2")
        await pilot.press("e")
        await pilot.pause()
        await _fill(pilot, {"target_date": "someday"})  # refused
        assert screen.plan.objectives()[1].target_date != "someday"
        await pilot.press("e")
        await pilot.pause()
        await _fill(pilot, {"description": "Attend 3 social activities per week", "target_date": "2027-02-01"})
        await _go_to(pilot, screen, "Objective o2")
        await pilot.press("a")
        await pilot.pause()
        await _fill(pilot, {"name": "social skills practice", "frequency": "weekly"})
        await _go_to(pilot, screen, "Intervention i2")
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert screen.dirty
        await pilot.press("s")
        await pilot.pause()
        assert not screen.dirty
        assert labels
    store = open_store(demo_db)
    plan = store.active_plan("cl-avery", on=TODAY)
    o1, o2 = plan.objectives()
    assert (o2.description, o2.target_date) == ("Attend 3 social activities per week", dt.date(2027, 2, 1))
    assert [i.name for i in o2.interventions] == ["activity scheduling", "social skills practice"]
    assert [i.id for i in o1.interventions] == ["i1"]
    store.close()


async def test_leaving_with_unsaved_changes_asks(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _plan(pilot, app)
        await pilot.press("e")  # the root: review date
        await pilot.pause()
        await _fill(pilot, {"review_due": "2027-01-15"})
        assert "review due 2027-01-15" in str(screen.query_one("#plan-tree", Tree).root.label)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_trainee_can_view_but_not_edit(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _plan(pilot, app, user="sam", client_id="cl-riley")
        await pilot.press("e")
        await pilot.pause()
        assert app.screen is screen
        assert any("Only clinicians and supervisors" in n.message for n in app._notifications)


def test_smart_findings_flag_unmeasurable_objectives(demo_store):
    plan = demo_store.active_plan("cl-riley", on=TODAY)
    plan.problems[0].goals[0].objectives[1].target_date = None
    found = plan_findings(plan, TODAY)
    assert found, "an objective without a target date must be flagged"
