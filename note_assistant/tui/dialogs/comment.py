"""Asks for a review comment anchored to a span: the quoted note text, then the comment."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class CommentDialog(ModalScreen[tuple[str, str] | None]):
    """Enter in the quote field moves to the comment; enter there saves; Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        """Which note is commented on."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static("Copy the exact note text the comment is about (its first occurrence "
                         "is used), then write the comment.", classes="dialog-body", markup=False)
            yield Input(placeholder="Quoted text", id="quote")
            yield Input(placeholder="Comment", id="comment")
            yield Static("enter: next / save   escape: cancel", classes="dialog-hint")

    @on(Input.Submitted, "#quote")
    def _quote_given(self) -> None:
        self.query_one("#comment", Input).focus()

    @on(Input.Submitted, "#comment")
    def _submitted(self) -> None:
        quote = self.query_one("#quote", Input).value
        comment = self.query_one("#comment", Input).value.strip()
        if not quote.strip():
            self.notify("Quote the note text the comment is about.", severity="warning")
            self.query_one("#quote", Input).focus()
        elif not comment:
            self.notify("A comment is required.", severity="warning")
        else:
            self.dismiss((quote, comment))

    def action_cancel(self) -> None:
        self.dismiss(None)
