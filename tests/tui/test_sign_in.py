"""Sign-in: accounts come from the store; the demo database says it has no passwords."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList, Static

from note_assistant.tui.screens.home import HomeScreen
from note_assistant.tui.screens.sign_in import DEMO_NOTICE, SignInScreen

from .conftest import sign_in

pytestmark = pytest.mark.anyio


async def test_demo_database_lists_accounts_and_says_no_passwords(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SignInScreen)
        assert str(screen.query_one("#sign-in-notice", Static).content) == DEMO_NOTICE
        accounts = screen.query_one("#accounts", OptionList)
        assert [accounts.get_option_at_index(i).id for i in range(accounts.option_count)] == [
            "admin", "dana", "morgan", "sam"]
        await pilot.press(*"nobody", "enter")
        await pilot.pause()
        assert "invalid user name or password" in str(screen.query_one("#sign-in-error", Static).content).lower()
        assert app.session is None


async def test_sign_in_by_name_and_by_picking(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "dana")
        assert isinstance(app.screen, HomeScreen)
        assert app.session.user.username == "dana"
        app.sign_out()
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen) and app.session is None
        await pilot.press("tab", "down", "down", "down", "enter")  # admin, dana, morgan
        await pilot.pause()
        assert app.session is not None and app.session.user.username == "morgan"


async def test_password_database_uses_the_auth_service(make_app, demo_db):
    """A database with password hashes is never opened by name alone; sign-ins are audited."""
    from note_assistant.services.auth import hash_password

    from .conftest import open_store

    store = open_store(demo_db)
    with store.write():
        store.db.execute("UPDATE users SET password_hash = ? WHERE username = 'dana'",
                         [hash_password("correct horse battery", "dana")])
    store.close()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.screen.query("#sign-in-notice")
        await pilot.press(*"dana", "enter", *"wrong", "enter")
        await pilot.pause()
        assert app.session is None
        assert "invalid user name or password" in str(
            app.screen.query_one("#sign-in-error", Static).content).lower()
        await pilot.press(*"correct", "space", *"horse", "space", *"battery", "enter")
        await pilot.pause()
        assert app.session is not None and app.session.user.username == "dana"
        assert not app.session.passwordless
    store = open_store(demo_db)
    events = [(e["action"], e["source"]) for e in store.audit_events() if e["action"].startswith("login")]
    assert ("login-failed", "tui") in events and ("login", "tui") in events
    store.close()
