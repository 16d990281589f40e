"""The Textual app. Only this package imports Textual."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..storage.store import Store
    from .app import NoteAssistantApp
    from .session import Clock
    from .settings import TuiSettings


def create_app(db_path: Path | str, *, clock: "Clock | None" = None,
               settings: "TuiSettings | None" = None, store: "Store | None" = None) -> "NoteAssistantApp":
    """The app factory used by the CLI and the tests (``store`` defaults to opening ``db_path``)."""
    from .app import NoteAssistantApp

    return NoteAssistantApp(db_path, clock=clock, settings=settings, store=store)


def open_store(db_path: Path) -> "Store":
    """Open the database before the screen is taken over: the passphrase comes from
    ``NOTE_ASSISTANT_PASSPHRASE`` (or the optional keyring cache), else a terminal prompt."""
    from ..config import load_settings
    from ..storage import Store
    from ..storage.crypto import is_encrypted_file, keyfile_path
    from ..storage.store import EncryptionRequired

    secret = load_settings().passphrase
    passphrase = secret.get_secret_value() if secret is not None else None
    try:
        store = Store.open(db_path, passphrase=passphrase)
    except EncryptionRequired:
        if not (is_encrypted_file(db_path) and keyfile_path(db_path).exists()) or not sys.stdin.isatty():
            raise
        store = Store.open(db_path, passphrase=getpass.getpass(f"Passphrase for {db_path.name}: "))
    if store.new_recovery_key:
        from ..cli.base import show_recovery_key

        show_recovery_key(store.new_recovery_key)
        input("Press Enter once the recovery key is written down. ")
    return store


def run_app(db_path: Path) -> None:
    from ..program import set_default_source

    set_default_source("tui")
    app = create_app(db_path, store=open_store(Path(db_path)))
    app.run()
    if app.watchdog is not None:
        app.watchdog.cancel()
    if app.signal_received:
        sys.exit(128 + app.signal_received)
