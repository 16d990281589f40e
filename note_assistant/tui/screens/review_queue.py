"""The supervisor's review queue: supervisees' notes pending review, oldest first, with open
findings and dismissals; m comments on a quoted span, c co-signs, x returns (with a summary).
The rubric ratings are on the command line for now ('note-assistant review')."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from ...services.errors import ServiceError
from ...services.review import QueueItem, ReviewService
from ..dialogs.comment import CommentDialog
from ..dialogs.confirm import ConfirmDialog
from ..dialogs.reason import ReasonDialog
from .base import AppScreen


class ReviewQueueScreen(AppScreen):
    """Pending notes of the signed-in supervisor's trainees."""

    BINDINGS = [
        Binding("m", "comment", "Comment", tooltip="Comment on a quoted span of the note"),
        Binding("c", "cosign", "Co-sign"),
        Binding("x", "return_note", "Return"),
        Binding("r", "refresh", "Refresh"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[QueueItem] = []
        """The queue as last loaded, oldest submission first."""
        self._table = DataTable(id="queue", cursor_type="row", zebra_stripes=True)
        self._detail = Static("Loading the review queue...", id="queue-detail", markup=False)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Review queue: oldest first", id="queue-title")
        yield self._table
        yield self._detail
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._table.add_columns("submitted", "trainee", "client", "session", "round", "open",
                                "dismissed")
        self.action_refresh()

    @property
    def service(self) -> ReviewService:
        return ReviewService(self.session.store, self.session.auth or self.session.user)

    def action_refresh(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="review-queue")
    def _load(self) -> None:
        items = self.service.queue(today=self.session.today)
        self.app.call_from_thread(self._show, items)

    def _show(self, items: list[QueueItem]) -> None:
        previous = self._selected()
        self.items = items
        self._table.clear()
        for item in items:
            self._table.add_row(f"{item.round.submitted_at:%Y-%m-%d %H:%M}", item.author.username,
                                item.client_name, str(item.note.date_of_service),
                                str(item.round.round), str(len(item.open_findings)),
                                str(len(item.dismissals)), key=item.note.id)
        if previous is not None:
            for row, item in enumerate(items):
                if item.note.id == previous.note.id:
                    self._table.move_cursor(row=row)
        self._detail.update(f"{len(items)} note(s) pending review." if items
                            else "Nothing is waiting for review.")
        self._table.focus()

    def _selected(self) -> QueueItem | None:
        row = self._table.cursor_row
        return self.items[row] if 0 <= row < len(self.items) else None

    @on(DataTable.RowHighlighted, "#queue")
    def _highlighted(self) -> None:
        item = self._selected()
        if item is None:
            return
        lines = [item.note.text, "", f"Open findings ({len(item.open_findings)}):"]
        lines += [f"  {f.severity}: {f.rule_id} {f.message}" for f in item.open_findings]
        lines += [f"Dismissed: {d.rule_id}: {d.reason}" for d in item.dismissals]
        lines += [f"Comment (round {item.round.round}): {c.quote!r}: {c.comment}"
                  for c in item.round.comments]
        self._detail.update("\n".join(lines))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_cosign(self) -> None:
        item = self._selected()
        if item is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._decide(lambda: self.service.cosign(item.note.id), "Co-signed.")

        self.app.push_screen(ConfirmDialog(
            "Co-sign this note?", f"{item.author.display_name}'s note of "
            f"{item.note.date_of_service} is locked once co-signed.", yes="Co-sign",
            no="Not yet"), confirmed)

    def action_return_note(self) -> None:
        item = self._selected()
        if item is None:
            return

        def given(summary: str | None) -> None:
            if summary:
                self._decide(lambda: self.service.return_for_revision(item.note.id,
                                                                      summary=summary),
                             "Returned for revision.")

        self.app.push_screen(ReasonDialog("Return for revision?",
                                          "What should the trainee change?"), given)

    def action_comment(self) -> None:
        item = self._selected()
        if item is None:
            return

        def given(value: tuple[str, str] | None) -> None:
            if value:
                quote, comment = value
                self._decide(lambda: self.service.comment_on(item.note.id, quote, comment),
                             "Comment added.")

        self.app.push_screen(CommentDialog(
            f"Comment on {item.author.display_name}'s note of {item.note.date_of_service}"), given)

    def _decide(self, action, done: str) -> None:  # noqa: ANN001
        try:
            action()
        except ServiceError as exc:
            self.report(str(exc), severity="error")
            return
        self.report(done)
        self.action_refresh()
