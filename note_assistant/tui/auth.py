"""Signing in through the password service (``services.auth``): throttled, audited, optional
one-time code. Demo databases have accounts without passwords: the sign-in screen says so and
lets the user pick an account (the service still records the sign-in).

Without the service (an older build) only password-less accounts can sign in, by name; a
database with password hashes is never opened by name alone.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from ..models import User
from ..storage.store import NotFound, Store


class AuthFailed(Exception):
    """Sign-in refused; the message is shown on screen."""


class CodeNeeded(AuthFailed):
    """The password was right; the account also needs its one-time code."""


@dataclass
class SignedIn:
    user: User
    auth: Any = None
    """The service's session (audit source "tui", idle lock), when the service exists."""
    passwordless: bool = False


def auth_service() -> ModuleType | None:
    try:
        module = importlib.import_module("note_assistant.services.auth")
    except ImportError:
        return None
    return module if hasattr(module, "authenticate") else None


def passwords_in_use(store: Store) -> bool:
    return any(store.password_hash(u.id) for u in store.users())


def _one_line(exc: BaseException, default: str) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else default


def authenticate(store: Store, username: str, password: str | None, code: str | None = None,
                 *, idle_seconds: float = 0) -> SignedIn:
    username = username.strip().lower()
    if not username:
        raise AuthFailed("Enter a username.")
    service = auth_service()
    if service is not None:
        limit = dt.timedelta(seconds=idle_seconds) if idle_seconds else dt.timedelta(days=3650)
        try:
            session = service.authenticate(store, username, password or None, code or None,
                                           source="tui", idle_limit=limit)
        except getattr(service, "TotpRequired", ()) as exc:
            raise CodeNeeded(_one_line(exc, "Enter your one-time code.")) from None
        except Exception as exc:  # noqa: BLE001 - the service's refusal, shown as one line
            raise AuthFailed(_one_line(exc, "Sign-in refused.")) from None
        if isinstance(session, User):
            return SignedIn(session)
        if not session:
            raise AuthFailed("Wrong username or password.")
        return SignedIn(session.user, session, bool(getattr(session, "passwordless", False)))
    try:
        user = store.user_by_name(username)
    except NotFound:
        raise AuthFailed("Invalid user name or password.") from None
    if store.password_hash(user.id):
        raise AuthFailed("This account has a password, but password sign-in is not available.")
    if not user.active:
        raise AuthFailed("Invalid user name or password.")
    return SignedIn(user, None, True)


def unlock(signed_in: SignedIn, store: Store, entered: str, code: str | None = None) -> None:
    """Re-authenticate the same user after the idle lock (raises AuthFailed)."""
    if signed_in.auth is not None and hasattr(signed_in.auth, "unlock"):
        service = auth_service()
        password = None if signed_in.passwordless else entered
        if signed_in.passwordless and entered.strip().lower() != signed_in.user.username:
            raise AuthFailed(f"Type {signed_in.user.username} to continue.")
        try:
            signed_in.auth.unlock(password, code or None)
        except getattr(service, "TotpRequired", ()) as exc:
            raise CodeNeeded(_one_line(exc, "Enter your one-time code.")) from None
        except Exception as exc:  # noqa: BLE001
            raise AuthFailed(_one_line(exc, "Sign-in refused.")) from None
        return
    if entered.strip().lower() != signed_in.user.username:
        raise AuthFailed(f"Only {signed_in.user.username} can unlock this session.")
