"""Fixtures for the clinic features: a demo database, note files, a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from clinics_support import run


@pytest.fixture(autouse=True)
def _no_clinic_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTE_ASSISTANT_CLINIC_CONFIG", raising=False)


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    path = tmp_path / "clinic.db"
    result = run("--db", str(path), "demo")
    assert result.exit_code == 0, result.output
    return path
