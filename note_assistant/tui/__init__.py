"""The Textual app. Only this package imports Textual."""

from __future__ import annotations

from pathlib import Path


def run_app(db_path: Path) -> None:
    from .app import NoteAssistantApp

    NoteAssistantApp(db_path).run()
