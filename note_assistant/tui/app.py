"""The note-assistant app: sign-in, the open editors, saving on quit, lock and signals.

Screens do the work; the app keeps what outlives a screen: the store, the signed-in session,
the editors that hold unsaved text (direct references, never ``query_one`` at shutdown), the
idle lock and the SIGTERM/SIGHUP handlers (Textual issue #5140).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import os
import signal
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from ..storage.store import Store
from .dialogs.choice import ChoiceDialog
from .messages import PipelineReady
from .screens.base import AppScreen
from .screens.lock import LockScreen
from .screens.sign_in import SignInScreen
from .session import Clock, Session, system_clock
from .settings import TuiSettings

_WARM_TEXT = "Subjective: warm-up.\nObjective: calm.\nAssessment: stable.\nPlan: continue weekly."


class Saveable(Protocol):
    """An editor holding text that must never be lost."""

    def has_unsaved(self) -> bool: ...
    def save_now(self) -> None: ...
    def autosave_now(self) -> None: ...
    def discard_changes(self) -> None: ...


class NoteAssistantApp(App[None]):
    """Write, check, sign and review session notes."""

    CSS_PATH = "app.tcss"
    TITLE = "note-assistant"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]
    """ctrl+q quits from anywhere, asking first when text is unsaved."""

    def __init__(self, db_path: Path | str, *, clock: Clock | None = None,
                 settings: TuiSettings | None = None, store: Store | None = None) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        """The database file."""
        self.settings = settings or TuiSettings()
        """Timings and limits."""
        self.clock: Clock = clock or system_clock
        """Where 'now' comes from (tests inject a fixed clock)."""
        self.store = store if store is not None else Store(self.db_path)
        """The one store of this process (opened, and unlocked if encrypted, by ``run_app``)."""
        self.session: Session | None = None
        """The signed-in user and their services (None until sign-in)."""
        self.editors: list[Saveable] = []
        """Screens holding unsaved text, saved on quit, lock and signals."""
        self.pipeline_seconds: float | None = None
        """How long loading the checks took (None while loading)."""
        self.locked = False
        """True while the idle lock hides everything."""
        self.signal_received: int | None = None
        """SIGTERM or SIGHUP, when one ended the app."""
        self._last_activity = self.clock()
        self._signals: list[int] = []
        self.save_failures: list[str] = []
        """Type names of save steps that failed (never their messages: they may quote PHI)."""
        self.watchdog: threading.Timer | None = None
        """Ends the process if shutdown stalls after a signal (a closed terminal)."""

    # start and stop ------------------------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        return SignInScreen()

    def on_mount(self) -> None:
        self._install_signal_handlers()
        self._warm_pipeline()
        if self.settings.idle_timeout:
            self.set_interval(self.settings.idle_tick, self.check_idle_lock)

    def on_unmount(self) -> None:
        self.save_all()
        self._remove_signal_handlers()
        self.store.close()
        if self.is_headless and self.watchdog is not None:
            self.watchdog.cancel()  # tests drive handle_signal in-process

    @work(thread=True, exit_on_error=False, group="pipeline")
    def _warm_pipeline(self) -> None:
        """Load the checks (and the NLP pipeline, if a rule family needs it) off the UI thread."""
        start = time.perf_counter()
        from ..checks.engine import check_note

        check_note(_WARM_TEXT, format="soap")
        self.post_message(PipelineReady(time.perf_counter() - start))

    def on_pipeline_ready(self, message: PipelineReady) -> None:
        self.pipeline_seconds = message.elapsed
        # The pipeline's data are long-lived: keep them out of the collector's full passes,
        # which otherwise stall a keystroke for 100+ ms every few seconds of typing.
        gc.freeze()

    # session -------------------------------------------------------------------------------------
    def sign_in(self, session: Session) -> None:
        from .screens.home import HomeScreen

        self.session = session
        self._last_activity = self.clock()
        self.sub_title = session.label
        self.push_screen(HomeScreen())
        self.call_after_refresh(self.offer_restore)

    def sign_out(self) -> None:
        self.save_all()
        self.session = None
        self.sub_title = ""
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def offer_restore(self) -> None:
        """Offer back the newest autosaved draft that is newer than its saved note."""
        if self.session is None:
            return
        pending = self.session.drafts.pending()
        if not pending:
            return
        draft = pending[0]
        note = self.store.note(draft.note_id)
        client = self.store.client(note.client_id)
        saved = draft.saved_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        more = f" ({len(pending) - 1} more are offered when you open those notes)" if len(pending) > 1 else ""

        def answer(value: str | None) -> None:
            from .screens.editor import EditorScreen

            if value == "restore":
                self.push_screen(EditorScreen(note.id, restore=draft))
            elif value == "discard" and self.session is not None:
                self.session.drafts.discard(note.id)
                self.notify("Draft discarded.", markup=False)

        self.push_screen(ChoiceDialog(
            "Restore unsaved text?",
            f"Text for {client.name} (session {note.date_of_service}) autosaved at {saved} is "
            f"newer than the saved note{more}.",
            [("r", "Restore and open", "restore"), ("d", "Discard it", "discard"),
             ("l", "Later", "later")],
        ), answer)

    # never lose text ---------------------------------------------------------------------------------
    def register_editor(self, editor: Saveable) -> None:
        if editor not in self.editors:
            self.editors.append(editor)

    def unregister_editor(self, editor: Saveable) -> None:
        if editor in self.editors:
            self.editors.remove(editor)

    def save_all(self) -> None:
        """Autosave then save every open editor; a failure of one never stops the others.

        Failures are kept by type name only (an exception's text may quote the note)."""
        for editor in list(self.editors):
            for step in (editor.autosave_now, editor.save_now):
                try:
                    step()
                except Exception as exc:  # noqa: BLE001 - keep saving the rest; the draft survives
                    self.save_failures.append(type(exc).__name__)

    async def action_quit(self) -> None:
        dirty = [e for e in self.editors if e.has_unsaved()]
        if not dirty:
            self.save_all()
            self.exit()
            return

        def answer(value: str | None) -> None:
            if value == "save":
                self.save_all()
                self.exit()
            elif value == "discard":
                for editor in dirty:
                    editor.discard_changes()
                self.exit()

        self.push_screen(ChoiceDialog(
            "Quit with unsaved changes?",
            "The note has changes that are not saved yet.",
            [("s", "Save and quit", "save"), ("d", "Discard changes and quit", "discard"),
             ("c", "Cancel", "cancel")],
        ), answer)

    def _install_signal_handlers(self) -> None:
        if self.is_headless:
            return  # tests drive the handler directly; never touch the test runner's signals
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            try:
                loop.add_signal_handler(sig, self.handle_signal, sig)
                self._signals.append(sig)
            except (NotImplementedError, RuntimeError, ValueError, AttributeError):
                pass  # Windows, or not the main thread

    def _remove_signal_handlers(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        for sig in self._signals:
            loop.remove_signal_handler(sig)
        self._signals.clear()

    def handle_signal(self, sig: int) -> None:
        """SIGTERM or SIGHUP: save everything first, then exit (a dead terminal cannot ask)."""
        self.signal_received = sig
        self.save_all()
        self.editors.clear()
        self.watchdog = threading.Timer(5.0, os._exit, (128 + sig,))
        self.watchdog.daemon = True
        self.watchdog.start()  # a closed terminal may stall shutdown; the text is already saved
        self.exit(return_code=128 + sig)

    # idle lock ------------------------------------------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown) and not self.locked:
            self._last_activity = self.clock()
            if self.session is not None:
                self.session.touch()
        await super().on_event(event)

    def check_idle_lock(self) -> None:
        if self.session is None or self.locked or not self.settings.idle_timeout:
            return
        idle = (self.clock() - self._last_activity).total_seconds()
        if idle >= self.settings.idle_timeout or self.session.service_locked:
            self.lock()

    def lock(self) -> None:
        """Save, hide every note behind the lock screen, and require signing in again."""
        if self.session is None or self.locked:
            return
        self.save_all()
        self.locked = True

        def unlocked(_: object) -> None:
            self.locked = False
            self._last_activity = self.clock()

        self.session.lock()
        self.push_screen(LockScreen(self.session.signed_in), unlocked)

    def idle_for(self) -> dt.timedelta:
        return self.clock() - self._last_activity

    # command palette ------------------------------------------------------------------------------
    def action_command_palette(self) -> None:
        if not self.locked:  # the lock screen offers nothing but signing in again
            super().action_command_palette()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, AppScreen) and self.session is not None:
            for title, help_text, callback in screen.commands():
                yield SystemCommand(title, help_text, callback)
        if self.session is not None and not self.locked:
            yield SystemCommand("Lock now", "Save, hide notes and require signing in again", self.lock)
            yield SystemCommand("Sign out", "Save and return to the sign-in screen", self.sign_out)
