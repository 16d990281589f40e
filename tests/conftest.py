"""Shared fixtures. Tests never touch the real user data folder."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

# Compiled-regex cache (abbreviations.regex_cache) in a folder of this test process, never the
# user's: subprocesses the tests start inherit it.
os.environ.setdefault("NOTE_ASSISTANT_CACHE_DIR", tempfile.mkdtemp(prefix="na-test-cache-"))


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("NOTE_ASSISTANT_DB", raising=False)
    monkeypatch.delenv("NOTE_ASSISTANT_FORMATS_DIR", raising=False)


#: NOTE_ASSISTANT_TEST_ENCRYPTED=1 runs every test that uses ``store``/``demo_store`` on a
#: SQLCipher-encrypted database (``make stress`` and CI run the suite both ways).
ENCRYPTED = os.environ.get("NOTE_ASSISTANT_TEST_ENCRYPTED") == "1"


@pytest.fixture
def store(tmp_path: Path):
    from note_assistant.storage import Store

    if ENCRYPTED:
        from note_assistant.storage.crypto import TEST_ONLY_FAST_KDF

        s = Store(tmp_path / "test.db", passphrase="test-passphrase", kdf=TEST_ONLY_FAST_KDF)
        assert s.encrypted
    else:
        s = Store(tmp_path / "test.db")
    yield s
    s.close()


@pytest.fixture
def demo_store(store):
    from note_assistant.demo import create_demo

    create_demo(store, today=dt.date(2026, 11, 26))
    return store


def shared_file(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared not present ({path})")
    return path
