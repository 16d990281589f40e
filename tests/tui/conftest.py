"""Fixtures for the TUI tests: a demo database on a fixed date, a fixed clock, fast timings,
and helpers that drive the app through Pilot."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest

TODAY = dt.date(2026, 11, 26)
NOW = dt.datetime(2026, 11, 26, 11, 0)
SIGNED_AT = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.timezone.utc)


class FakeClock:
    """A clock tests can move forward (idle lock)."""

    def __init__(self, now: dt.datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture(scope="session", autouse=True)
def _warm_checks() -> None:
    """Load the checks (and the NLP pipeline) once per test process, before any app runs:
    Pilot waits for the process to go idle after each key, and a cold load keeps it busy."""
    from note_assistant.checks.engine import check_note

    check_note("Subjective: warm.\nObjective: calm.\nAssessment: ok.\nPlan: weekly.", format="soap")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def fixed_signing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Signing times come from utcnow(); pin them so snapshots are stable."""
    import note_assistant.services.notes as notes

    monkeypatch.setattr(notes, "utcnow", lambda: SIGNED_AT)


@pytest.fixture
def demo_db(tmp_path: Path, fixed_signing: None) -> Path:
    from note_assistant.demo import create_demo
    from note_assistant.storage import Store

    path = tmp_path / "demo.db"
    store = Store(path)
    create_demo(store, today=TODAY)
    store.close()
    return path


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def fast_settings(**overrides: object):
    from note_assistant.tui.settings import TuiSettings

    values = dict(cursor_blink=False, idle_timeout=0, check_delay=0.05, autosave_pause=0.3,
                  autosave_max_wait=0.5, autosave_tick=0.1)
    values.update(overrides)
    return TuiSettings(**values)  # type: ignore[arg-type]


@pytest.fixture
def make_app(demo_db: Path, clock: FakeClock):
    from note_assistant.tui import create_app

    def make(**overrides: object):
        return create_app(demo_db, clock=clock, settings=fast_settings(**overrides))

    return make


async def sign_in(pilot, username: str = "dana") -> None:
    await pilot.pause()
    await pilot.press(*username, "enter")
    await pilot.pause()


async def wait_for(pilot, predicate, timeout: float = 10.0) -> None:
    """Pause until ``predicate()`` is true (checks run in threads)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("timed out waiting for the app")
        await pilot.pause(0.02)


async def wait_checks(pilot, screen, after: int | None = None) -> None:
    """Wait until the editor has applied a check newer than ``after`` (default: current)."""
    target = (screen.checks_done if after is None else after) + 1
    await wait_for(pilot, lambda: screen.checks_done >= target)
    await pilot.pause()


async def new_note(pilot, fmt: str | None = None):
    """From home: n, (format), ctrl+s -> the editor screen, with its first check applied."""
    from note_assistant.tui.screens.editor import EditorScreen

    await pilot.press("n")
    await pilot.pause()
    if fmt is not None:
        from textual.widgets import Select

        pilot.app.screen.query_one("#format", Select).value = fmt
        await pilot.pause()
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, EditorScreen))
    screen = pilot.app.screen
    await wait_for(pilot, lambda: screen.checks_done >= 1)
    await pilot.pause()
    return screen


async def type_text(pilot, text: str) -> None:
    """Type like a person would (one key per character)."""
    keys = []
    for ch in text:
        keys.append({" ": "space", "\n": "enter"}.get(ch, ch))
    await pilot.press(*keys)


def open_store(path: Path):
    from note_assistant.storage import Store

    return Store(path)


async def paste(pilot, text: str) -> None:
    """Paste into the focused widget (a terminal's bracketed paste)."""
    from textual import events

    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


PROCESS_SENTENCE = ("I felt irritated and protective when she described her father; "
                    "I suspect her lateness is unconscious anger at me.")


GOOD_SOAP = (
    "Subjective:\nClient reported low mood on four days this week and went for two walks with a friend.\n"
    "Objective:\nAffect constricted, speech slow, good eye contact. PHQ-9 = 14 today.\n"
    "Assessment:\nModerate depressive symptoms, improving; partial progress toward objective o1 "
    "(PHQ-9 below 10). Denies SI/HI; C-SSRS screen negative, risk low. Missed one day of work "
    "this week due to low energy.\n"
    "Plan:\nContinue weekly CBT with cognitive restructuring; homework: schedule three pleasant "
    "activities. Next session in one week.\n"
)
"""A complete SOAP note for Avery that raises no findings."""
