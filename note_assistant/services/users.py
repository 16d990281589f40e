"""Account administration: add, list, reset passwords, deactivate, change roles, break-glass,
TOTP. Admin only (a user may change their own password and TOTP); every change is audited as a
privilege change in the same transaction.

The first account of an empty database is made with :func:`bootstrap_admin` (no session yet).
"""

from __future__ import annotations

from typing import Any

from ..models import Role, User, utcnow
from ..storage.audit import AuditEvent
from ..storage.store import Store
from . import totp
from .auth import Session, hash_password
from .errors import PermissionDenied, ServiceError


def bootstrap_admin(store: Store, username: str, display_name: str, password: str) -> User:
    """Create the first account (an admin) of a database that has none."""
    if store.users():
        raise PermissionDenied("the database already has accounts: an admin adds new ones")
    user = User(username=username, display_name=display_name, role=Role.admin)
    hashed = hash_password(password, username)
    store.add_user(user, hashed, audit=AuditEvent.system(
        "user-add", target_type="user", target_id=user.id, category="privilege",
        detail={"username": username, "role": "admin", "bootstrap": True},
    ), security={"password_changed_at": utcnow().isoformat()})
    return user


class UserAdmin:
    """Account changes made by the session's user."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.store = session.store

    # listing -----------------------------------------------------------------------------
    def list(self) -> list[dict[str, Any]]:
        """Accounts with their security state (never the hashes or TOTP secrets)."""
        self._admin("list accounts")
        rows = []
        for user in self.store.users():
            sec = self.store.security(user.id)
            rows.append({
                **user.model_dump(mode="json"),
                "has_password": sec["password_hash"] is not None,
                "totp": bool(sec["totp_secret"]), "break_glass": bool(sec["break_glass"]),
                "failed_logins": sec["failed_logins"], "locked_until": sec["locked_until"],
            })
        return rows

    # changes -----------------------------------------------------------------------------
    def add(
        self, username: str, display_name: str, role: Role | str, password: str, *,
        credentials: str = "", supervisor: str | None = None, break_glass: bool = False,
    ) -> User:
        self._admin("add accounts")
        role = Role(role)
        supervisor_id = self.store.user_by_name(supervisor).id if supervisor else None
        user = User(username=username, display_name=display_name, role=role,
                    credentials=credentials, supervisor_id=supervisor_id)
        hashed = hash_password(password, username)
        if break_glass and role == Role.admin:
            raise ServiceError("admin accounts read no clinical records: break-glass is for clinicians")
        self.store.add_user(user, hashed, audit=self._event(
            "user-add", user, role=role.value, break_glass=break_glass,
        ), security={"break_glass": int(break_glass), "password_changed_at": utcnow().isoformat()})
        return user

    def set_password(self, username: str, new_password: str) -> None:
        """An admin resets anyone's password; a user sets their own (already signed in)."""
        user = self._target(username, allow_self=True, action="set passwords")
        self.store.update_security(user.id, {
            "password_hash": hash_password(new_password, user.username),
            "password_changed_at": utcnow().isoformat(), "failed_logins": 0, "locked_until": None,
        }, self._event("password-change", user, by_admin=user.id != self.session.user.id))

    def set_role(self, username: str, role: Role | str) -> None:
        role = Role(role)
        user = self._target(username, action="change roles")
        if user.role == Role.admin and role != Role.admin:
            self._keep_an_admin(user)
        self.store.update_security(user.id, {"role": role.value},
                                   self._event("role-change", user, before=user.role.value, after=role.value))

    def deactivate(self, username: str) -> None:
        user = self._target(username, action="deactivate accounts")
        if user.id == self.session.user.id:
            raise ServiceError("you cannot deactivate your own account")
        if user.role == Role.admin:
            self._keep_an_admin(user)
        self.store.update_security(user.id, {"active": 0}, self._event("deactivate", user))

    def reactivate(self, username: str) -> None:
        user = self._target(username, action="reactivate accounts")
        self.store.update_security(user.id, {"active": 1, "failed_logins": 0, "locked_until": None},
                                   self._event("reactivate", user))

    def set_break_glass(self, username: str, allowed: bool) -> None:
        user = self._target(username, action="assign break-glass access")
        if allowed and user.role == Role.admin:
            raise ServiceError("admin accounts read no clinical records: break-glass is for clinicians")
        self.store.update_security(user.id, {"break_glass": int(allowed)},
                                   self._event("break-glass-assign", user, allowed=allowed))

    def unlock(self, username: str) -> None:
        """Clear a login lockout."""
        user = self._target(username, action="clear lockouts")
        self.store.update_security(user.id, {"failed_logins": 0, "locked_until": None},
                                   self._event("lockout-clear", user))

    def enable_totp(self, username: str) -> str:
        """Turn on one-time codes; returns the secret to enter in an authenticator app."""
        user = self._target(username, allow_self=True, action="set up one-time codes")
        secret = totp.new_secret()
        self.store.update_security(user.id, {"totp_secret": secret, "totp_last_step": None},
                                   self._event("totp-enable", user))
        return secret

    def disable_totp(self, username: str) -> None:
        user = self._target(username, allow_self=True, action="turn off one-time codes")
        self.store.update_security(user.id, {"totp_secret": None, "totp_last_step": None},
                                   self._event("totp-disable", user))

    # helpers -----------------------------------------------------------------------------
    def _admin(self, action: str) -> None:
        self.session.require_active()
        if self.session.user.role != Role.admin:
            raise PermissionDenied(f"only an admin can {action}")

    def _target(self, username: str, *, action: str, allow_self: bool = False) -> User:
        self.session.require_active()
        user = self.store.user_by_name(username)
        if not (allow_self and user.id == self.session.user.id):
            self._admin(action)
        return user

    def _keep_an_admin(self, user: User) -> None:
        admins = [u for u in self.store.users() if u.role == Role.admin and u.active]
        if [u.id for u in admins] == [user.id]:
            raise ServiceError("this is the last active admin account: add another admin first")

    def _event(self, action: str, user: User, **detail: object) -> AuditEvent:
        return self.session.event(action, target_type="user", target_id=user.id,
                                  category="privilege", detail={"username": user.username, **detail})
