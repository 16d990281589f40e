"""Signing in: password hashing, login throttling, optional TOTP, sessions and the idle lock.

``authenticate(store, username, password, totp=None)`` is the only way to get a
:class:`Session`; services take the session and act as its user (never a user parameter).
Passwords are hashed with Argon2id (RFC 9106 low-memory profile). After
:data:`FREE_FAILURES` failed sign-ins an account is locked for 30 s, doubling with each further
failure up to an hour; the counter lives in the database, so restarting does not reset it.
Every sign-in, failure, lock and unlock is audited.

Demo databases have accounts with no password: they sign in with an empty password and the
session says so (``session.passwordless``); accounts made with ``users add`` always have one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ..models import User
from ..storage.audit import AuditEvent
from ..storage.store import NotFound, Store
from . import totp as totp_codes
from .errors import PermissionDenied, ServiceError

Clock = Callable[[], dt.datetime]

HASHER = PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY)
FREE_FAILURES = 5
FIRST_LOCKOUT = dt.timedelta(seconds=30)
MAX_LOCKOUT = dt.timedelta(hours=1)
MIN_PASSWORD = 12
DEFAULT_IDLE = dt.timedelta(minutes=10)


@functools.cache
def _dummy_hash() -> str:
    return HASHER.hash("not-a-real-password-timing-only")


def utc_clock() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class AuthError(ServiceError):
    """Sign-in refused. The message never says whether the user name exists."""


class LockedOut(AuthError):
    """Too many failed sign-ins: the account is locked for a while."""


class TotpRequired(AuthError):
    """The password was right; the account also needs a one-time code."""


class SessionLocked(PermissionDenied):
    """The session is idle-locked: sign in again (``session.unlock``)."""


def hash_password(password: str, username: str = "") -> str:
    """Check the password policy and hash it (Argon2id)."""
    if len(password) < MIN_PASSWORD:
        raise ServiceError(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > 1024:
        raise ServiceError("a password can have at most 1024 characters")
    if username and password.lower() == username.lower():
        raise ServiceError("the password cannot be the user name")
    return HASHER.hash(password)


@dataclass
class Session:
    """A signed-in user. ``touch()`` on input; ``is_locked()`` after the idle limit."""

    user: User
    store: Store
    source: str = "api"
    """Which program acts: "cli", "tui", "api"; recorded in every audit row."""
    passwordless: bool = False
    """Signed in to an account with no password (demo databases only): say so on screen."""
    idle_limit: dt.timedelta = DEFAULT_IDLE
    clock: Clock = utc_clock
    started_at: dt.datetime = field(init=False)
    last_active: dt.datetime = field(init=False)
    locked: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        self.started_at = self.last_active = self.clock()

    def event(self, action: str, **kwargs: object) -> AuditEvent:
        """An audit event acted by this session's user."""
        return AuditEvent(action=action, actor_id=self.user.id, actor=self.user.username,
                          source=self.source, **kwargs)  # type: ignore[arg-type]

    def is_locked(self, now: dt.datetime | None = None) -> bool:
        return self.locked or (now or self.clock()) - self.last_active >= self.idle_limit

    def touch(self, now: dt.datetime | None = None) -> bool:
        """Record activity; False (and nothing changes) when the session is already locked."""
        now = now or self.clock()
        if self.is_locked(now):
            return False
        self.last_active = now
        return True

    def lock(self, reason: str = "idle") -> None:
        """Lock now (the app hides note text after saving the draft). Audited once."""
        if not self.locked:
            self.locked = True
            if not self.store.readonly:
                self.store.record(self.event("lock", category="session", detail={"reason": reason}))

    def require_active(self) -> None:
        if self.is_locked():
            if not self.locked:
                self.lock("idle")
            raise SessionLocked("the session is locked: sign in again to continue")

    def unlock(self, password: str | None, totp: str | None = None) -> None:
        """Re-authenticate the same user (throttled and audited like a sign-in)."""
        _check(self.store, self.user.username, password, totp, self.clock(), self.source, "unlock")
        self.locked = False
        self.last_active = self.clock()


def authenticate(
    store: Store, username: str, password: str | None, totp: str | None = None, *,
    source: str = "api", clock: Clock = utc_clock, idle_limit: dt.timedelta = DEFAULT_IDLE,
) -> Session:
    """Sign in, or raise :class:`AuthError` (:class:`LockedOut`, :class:`TotpRequired`)."""
    user, passwordless = _check(store, username, password, totp, clock(), source, "login")
    return Session(user=user, store=store, source=source, passwordless=passwordless,
                   idle_limit=idle_limit, clock=clock)


def needs_totp(store: Store, username: str) -> bool:
    try:
        return bool(store.security(store.user_by_name(username).id)["totp_secret"])
    except NotFound:
        return False


def has_password(store: Store, username: str) -> bool:
    """False for demo accounts (no password); True for unknown names (reveal nothing)."""
    try:
        return store.security(store.user_by_name(username).id)["password_hash"] is not None
    except NotFound:
        return True


def _check(
    store: Store, username: str, password: str | None, code: str | None, now: dt.datetime,
    source: str, action: str,
) -> tuple[User, bool]:
    def failed(user: User | None, reason: str, **changes: object) -> AuditEvent:
        return AuditEvent(
            action=f"{action}-failed", actor_id=user.id if user else None,
            actor=user.username if user else None, target_type="user",
            target_id=user.id if user else None, category="account", source=source,
            detail={"username": username[:64], "reason": reason, **changes},
        )

    try:
        user = store.user_by_name(username)
    except NotFound:
        _verify(_dummy_hash(), password or "")  # same time as a real check
        if not store.readonly:
            store.record(failed(None, "unknown user"))
        raise AuthError("invalid user name or password") from None
    # A read-only (damaged) database still lets people sign in to rescue data; nothing is
    # written then (no throttling counter, no audit row): the app says it is read-only.
    persist = not store.readonly
    with store.write() if persist else contextlib.nullcontext():
        sec = store.security(user.id)
        locked_until = _parse(sec["locked_until"])
        outcome: str | None = None
        if not sec["active"]:
            outcome = "inactive"
        elif locked_until is not None and now < locked_until:
            outcome = "locked"
        elif sec["password_hash"] is None:
            outcome = None if not password else "wrong password"
        elif not _verify(sec["password_hash"], password or ""):
            outcome = "wrong password"
        step = None
        if outcome is None and sec["totp_secret"]:
            if not code:
                raise TotpRequired("enter the 6-digit code from your authenticator app")
            step = totp_codes.verify(sec["totp_secret"], code, now, after_step=sec["totp_last_step"])
            if step is None:
                outcome = "wrong one-time code"
        if outcome == "locked":
            if persist:
                store.record(failed(user, "locked"))
        elif outcome is not None and not persist:
            pass
        elif outcome is not None:
            failures = (sec["failed_logins"] or 0) + 1
            changes: dict[str, object] = {"failed_logins": failures}
            if failures >= FREE_FAILURES:
                delay = min(FIRST_LOCKOUT * 2 ** (failures - FREE_FAILURES), MAX_LOCKOUT)
                changes["locked_until"] = (now + delay).isoformat()
            store.update_security(user.id, changes, failed(user, outcome, failures=failures))
        elif not persist:
            return user, sec["password_hash"] is None
        else:
            changes = {"failed_logins": 0, "locked_until": None}
            if step is not None:
                changes["totp_last_step"] = step
            if sec["password_hash"] and HASHER.check_needs_rehash(sec["password_hash"]):
                changes["password_hash"] = HASHER.hash(password or "")
            store.update_security(user.id, changes, AuditEvent(
                action=action, actor_id=user.id, actor=user.username, target_type="user",
                target_id=user.id, category="account", source=source,
                detail={"passwordless": sec["password_hash"] is None, "totp": step is not None},
            ))
            return user, sec["password_hash"] is None
    if outcome == "locked":
        wait = math.ceil((locked_until - now).total_seconds())  # type: ignore[operator]
        raise LockedOut(f"too many failed sign-ins: try again in {wait} s")
    raise AuthError("invalid user name or password" if outcome != "wrong one-time code"
                    else "invalid one-time code")


def _verify(hashed: str, password: str) -> bool:
    try:
        return HASHER.verify(hashed, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _parse(value: object) -> dt.datetime | None:
    return dt.datetime.fromisoformat(str(value)) if value else None
