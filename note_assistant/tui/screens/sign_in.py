"""Sign in: accounts from the store; a demo database (no passwords) says so and lists them."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from ..auth import AuthFailed, CodeNeeded, authenticate, passwords_in_use
from ..session import Session
from .base import AppScreen

DEMO_NOTICE = "Demo database: accounts have no passwords. Pick an account or type its name."


class SignInScreen(AppScreen):
    """Username (and password when the database has passwords)."""


    def __init__(self) -> None:
        super().__init__()
        self._username = Input(placeholder="Username", id="username")
        self._password = Input(placeholder="Password", password=True, id="password")
        self._code = Input(placeholder="6-digit one-time code", id="code")
        self._accounts = OptionList(id="accounts")
        self._error = Static("", id="sign-in-error", markup=False)

    def compose(self) -> ComposeResult:
        store = self.nav.store
        self.with_passwords = passwords_in_use(store)
        users = [u for u in store.users() if u.active]
        yield Header()
        with Vertical(id="sign-in"):
            yield Static("Sign in to note-assistant", id="sign-in-title")
            if not users:
                yield Static("This database has no accounts yet. Create the demo clinic with "
                             "'note-assistant demo' or add users first.", markup=False)
            elif not self.with_passwords:
                yield Static(DEMO_NOTICE, id="sign-in-notice", markup=False)
            yield self._username
            if self.with_passwords:
                yield self._password
                yield self._code
            else:
                for user in users:
                    creds = f", {user.credentials}" if user.credentials else ""
                    self._accounts.add_option(Option(
                        f"{user.username:<8} {user.display_name} ({user.role.value}{creds})",
                        id=user.username))
                yield self._accounts
            yield self._error
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._code.display = False
        self._username.focus()

    @on(Input.Submitted, "#username")
    def _username_done(self, event: Input.Submitted) -> None:
        if self.with_passwords:
            self._password.focus()
        else:
            self._try(event.value, None)

    @on(Input.Submitted, "#password")
    def _password_done(self) -> None:
        self._try(self._username.value, self._password.value)

    @on(Input.Submitted, "#code")
    def _code_done(self) -> None:
        self._try(self._username.value, self._password.value, self._code.value)

    @on(OptionList.OptionSelected, "#accounts")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self._try(str(event.option.id), None)

    def _try(self, username: str, password: str | None, code: str | None = None) -> None:
        try:
            signed_in = authenticate(self.nav.store, username, password, code,
                                     idle_seconds=self.nav.settings.idle_timeout)
        except CodeNeeded as exc:
            self._error.update(str(exc))
            self._code.display = True
            self._code.value = ""
            self._code.focus()
            return
        except AuthFailed as exc:
            self._error.update(str(exc))
            self._password.value = ""
            self._code.value = ""
            return
        self._error.update("")
        for field in (self._password, self._username, self._code):
            field.value = ""
        self._code.display = False
        self.nav.sign_in(Session.from_sign_in(self.nav.store, signed_in, self.nav.clock))
