"""What every screen of the app shares: the session, error reporting for workers, and the
command-palette entries made from its key bindings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, cast

from textual import on
from textual.screen import Screen
from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from ..app import NoteAssistantApp
    from ..session import Session

Command = tuple[str, str, Callable[[], object]]


class AppScreen(Screen[None]):
    """A screen of note-assistant."""

    @property
    def nav(self) -> "NoteAssistantApp":
        return cast("NoteAssistantApp", self.app)

    _session: "Session | None" = None

    @property
    def session(self) -> "Session":
        """The session this screen was opened in (kept, so saving on unmount still works
        after the app has signed out)."""
        if self._session is None:
            session = self.nav.session
            assert session is not None, "screen used before sign-in"
            self._session = session
        return self._session

    def commands(self) -> Iterator[Command]:
        """Palette entries: one per described binding, plus ``extra_commands``."""
        seen: set[str] = set()
        for binding in self._bindings.key_to_bindings.values():
            for b in binding:
                if b.description and b.action not in seen and self.check_action(b.action, ()) is not False:
                    seen.add(b.action)
                    key = self.app.get_key_display(b)
                    yield (b.description, f"{key}: {b.tooltip or b.description}",
                           run_later(self, b.action))
        yield from self.extra_commands()

    def extra_commands(self) -> Iterator[Command]:
        return iter(())

    def report(self, message: str, *, severity: str = "information", title: str = "") -> None:
        self.notify(message, severity=severity, title=title, markup=False)  # type: ignore[arg-type]

    def attempt(self, what: str, action: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
        """Run a write the services or the store may refuse (permissions, a locked session, a
        read-only database); a refusal is shown, never a crash. True when it worked."""
        from ...services.errors import ServiceError
        from ...storage.db import StorageError

        try:
            action(*args, **kwargs)
        except (ServiceError, StorageError, LookupError, ValueError) as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            self.report(f"{what}: {first}", severity="error")
            return False
        return True

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            first = (str(error).splitlines() or [""])[0][:200]
            self.report(f"{event.worker.group or 'background'} task failed: "
                        f"{type(error).__name__}: {first}", severity="error")


def run_later(screen: Screen, action: str) -> Callable[[], object]:
    async def run() -> None:
        await screen.run_action(action)

    return run
