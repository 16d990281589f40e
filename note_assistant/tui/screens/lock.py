"""The idle lock: a full screen over everything (no note text shows) until the same user signs
in again (RELIABILITY.md 12). The drafts were saved before it appeared; the unlock goes through
the password service (throttled and audited) when there is one."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from ..auth import AuthFailed, CodeNeeded, SignedIn, unlock


class LockScreen(Screen[bool]):
    """Dismissed with True once the signed-in user has authenticated again."""


    def __init__(self, signed_in: SignedIn) -> None:
        super().__init__()
        self.signed_in = signed_in
        """Only this user can unlock."""
        self._password = Input(placeholder="Password, then enter", password=True, id="unlock-password")
        self._code = Input(placeholder="6-digit one-time code", id="unlock-code")
        self._error = Static("", id="lock-error", markup=False)

    def compose(self) -> ComposeResult:
        user = self.signed_in.user
        with Vertical(id="lock"):
            yield Static("Locked", id="lock-title")
            yield Static(f"Your work was saved. Sign in again as {user.display_name} "
                         f"({user.username}) to continue.", markup=False)
            if self.signed_in.passwordless:
                self._password.password = False
                self._password.placeholder = f"Type {user.username} and press enter"
            yield self._password
            yield self._code
            yield self._error
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._code.display = False
        self._password.focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        try:
            unlock(self.signed_in, self.app.store, self._password.value,  # type: ignore[attr-defined]
                   self._code.value if self._code.display else None)
        except CodeNeeded as exc:
            self._error.update(str(exc))
            self._code.display = True
            self._code.focus()
            return
        except AuthFailed as exc:
            self._error.update(str(exc))
            self._password.value = ""
            self._code.value = ""
            return
        self.dismiss(True)
