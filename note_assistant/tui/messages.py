"""Messages the app's workers post back to the UI thread (the only way they talk to it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual.message import Message

from ..models import Finding


@dataclass
class ChecksFailed(Message):
    """A check run raised: the findings shown stay as they were and the status line says so
    (instead of "checking..." for ever). The note's text is not affected."""

    generation: int
    reason: str


@dataclass
class ChecksCompleted(Message):
    """A check run finished: findings index the editor text as it was at ``generation``."""

    generation: int
    findings: list[Finding]
    extras: dict[str, Any] = field(default_factory=dict)
    elapsed: float = 0.0
    """Seconds the checks took (shown in the status line and used by the benchmark)."""


@dataclass
class PipelineReady(Message):
    """The checking pipeline is loaded and warm."""

    elapsed: float = 0.0


@dataclass
class NoteChecked(Message):
    """A stored note was checked (review and history screens)."""

    note_id: str
    findings: list[Finding]
    extras: dict[str, Any] = field(default_factory=dict)
