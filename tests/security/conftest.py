"""Fixtures for the security and reliability tests (docs/RELIABILITY.md maps them to requirements)."""

from __future__ import annotations

import datetime as dt

import pytest

PASSWORDS = {"dana": "dana-password-1", "morgan": "morgan-password-1", "sam": "sam-password-12",
             "admin": "admin-password-1"}


class FakeClock:
    """An injected clock: ``clock()`` returns ``now``; ``advance()`` moves it."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self.now = start or dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.timezone.utc)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap Argon2 parameters for speed; ``test_password_hashing_profile`` checks the real ones."""
    from argon2 import PasswordHasher

    from note_assistant.services import auth

    monkeypatch.setattr(auth, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    auth._dummy_hash.cache_clear()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def clinic(demo_store):
    """The demo clinic with real passwords on every account."""
    from note_assistant.services.auth import hash_password

    for name, password in PASSWORDS.items():
        user = demo_store.user_by_name(name)
        demo_store.update_security(user.id, {"password_hash": hash_password(password, name)})
    return demo_store


@pytest.fixture
def login(clinic, clock):
    """``login("dana")`` -> an ``auth.Session`` on the clinic with the injected clock."""
    from note_assistant.services.auth import authenticate

    def _login(name: str, **kwargs):
        return authenticate(clinic, name, PASSWORDS[name], clock=clock, **kwargs)

    return _login


@pytest.fixture
def passwords() -> dict[str, str]:
    return dict(PASSWORDS)
