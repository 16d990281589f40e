"""Timings and limits of the app, in one place so tests and benchmarks can tighten them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TuiSettings:
    """How the editor paces its background work and guards the clinician's text."""

    check_delay: float = 0.25
    """Seconds after the last keystroke before the checks run (debounce); with the check and
    the redraw, findings show about 300 ms after typing pauses."""
    autosave_pause: float = 1.0
    """Seconds of quiet after which a changed draft is autosaved."""
    autosave_max_wait: float = 1.5
    """While typing never pauses, autosave at least this often (so ``kill -9`` loses < 2 s)."""
    autosave_tick: float = 0.25
    """How often the autosave timer looks at the editors."""
    idle_timeout: float = 10 * 60
    """Seconds without a key press or click before the app locks (0 disables)."""
    idle_tick: float = 5.0
    """How often the idle lock compares the clock with the last activity."""
    max_note_chars: int = 200_000
    """A note may not grow past this many characters (a paste that would is refused)."""
    cursor_blink: bool = True
    """Blinking cursors (tests and snapshots turn it off)."""
