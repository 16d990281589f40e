"""The note text area: findings highlighted in place, kept in place while typing, size-capped.

Highlights reuse TextArea's own highlight map (the one syntax highlighting fills), so they are
drawn with the text, the cursor and the selection. Every keystroke logs its edit; check results
from an older text are moved through that log before they are drawn.
"""

from __future__ import annotations

import dataclasses

from rich.style import Style
from textual import events
from textual.document._document import EditResult
from textual.document._edit import Edit as TextEdit
from textual.geometry import Size
from textual.widgets import TextArea

from ..fixes import LineIndex
from ..marks import Edit, Mark, replay, shift

_STYLES = {
    True: {  # dark themes
        "finding.error": Style(bgcolor="#6b1f1f", underline=True),
        "finding.warning": Style(bgcolor="#5c4a00", underline=True),
        "finding.info": Style(underline=True),
    },
    False: {  # light themes
        "finding.error": Style(bgcolor="#ffc9c9", underline=True),
        "finding.warning": Style(bgcolor="#fff0a8", underline=True),
        "finding.info": Style(underline=True),
    },
}
_LOG_LIMIT = 4000


class NoteEditor(TextArea):
    """A TextArea that shows findings and refuses text past ``max_chars``."""

    DEFAULT_CSS = """
    NoteEditor { height: 1fr; }
    """

    _marks: list[Mark] = []

    def __init__(self, text: str = "", *, max_chars: int = 200_000, blink: bool = True,
                 **kwargs: object) -> None:
        self._marks = []
        self._log: list[Edit] = []
        self.generation = 0
        """Counts edits; a check result names the generation it was computed for."""
        self.max_chars = max_chars
        """Longest note allowed; pastes past it are refused with a warning."""
        super().__init__(text, soft_wrap=True, tab_behavior="focus", **kwargs)
        self.cursor_blink = blink

    # findings --------------------------------------------------------------------------------
    @property
    def marks(self) -> list[Mark]:
        return self._marks

    def set_findings(self, marks: list[Mark], generation: int) -> None:
        """Show ``marks`` computed for ``generation``, moved through the edits made since."""
        self._marks = replay(marks, self._log, generation)
        self._build_highlight_map()
        self.refresh()

    def mark_at(self, index: int) -> Mark | None:
        spans = [m for m in self._marks if m.has_span and m.start <= index <= m.end]
        return min(spans, key=lambda m: m.end - m.start) if spans else None

    # offsets -----------------------------------------------------------------------------------
    def line_index(self) -> LineIndex:
        return LineIndex(self.document.lines)

    def cursor_index(self) -> int:
        row, column = self.cursor_location
        return self.line_index().index(row, column)

    def select_span(self, start: int, end: int) -> None:
        index = self.line_index()
        self.selection = (index.location(start), index.location(end))  # type: ignore[assignment]
        self.scroll_cursor_visible(center=True)

    def replace_span(self, start: int, end: int, text: str) -> EditResult:
        """Replace ``start..end`` as one undoable step."""
        index = self.line_index()
        self.history.checkpoint()
        result = self.replace(text, index.location(start), index.location(end))
        self.history.checkpoint()
        return result

    # TextArea hooks ----------------------------------------------------------------------------
    def load_text(self, text: str) -> None:
        self._marks = []
        self._log.clear()
        self.generation += 1
        super().load_text(text.replace("\r\n", "\n").replace("\r", "\n"))

    def edit(self, edit: TextEdit) -> EditResult:
        document = self.document
        top, bottom = sorted((edit.from_location, edit.to_location))
        start = document.get_index_from_location(top)
        old_end = document.get_index_from_location(bottom)
        result = super().edit(edit)
        new_end = document.get_index_from_location(result.end_location)
        self.generation += 1
        self._log.append((self.generation, start, old_end, new_end))
        if len(self._log) > _LOG_LIMIT:
            del self._log[: _LOG_LIMIT // 2]
        if self._marks:
            self._marks = shift(self._marks, start, old_end, new_end)
            self._build_highlight_map()
        return result

    def _refresh_size(self) -> None:
        """Grow or shrink the scroll area without a whole-screen layout pass when the
        scrollbar's presence does not change (TextArea's own version costs a layout each time
        a line wraps, the main source of slow keystrokes)."""
        if self.soft_wrap and self.is_mounted:
            old, new = self.virtual_size, Size(0, self.wrapped_document.height)
            view = self.scrollable_content_region.height
            if old != new and old.height > 0 and (old.height > view) == (new.height > view):
                self.set_reactive(TextArea.virtual_size, new)
                if self._vertical_scrollbar is not None:
                    self._vertical_scrollbar.window_virtual_size = new.height
                self._refresh_scrollbars()
                self.refresh()
                return
        super()._refresh_size()

    def _undo_batch(self, edits) -> None:  # noqa: ANN001 - TextArea's signature
        super()._undo_batch(edits)
        self._forget_marks()

    def _redo_batch(self, edits) -> None:  # noqa: ANN001
        super()._redo_batch(edits)
        self._forget_marks()

    def _forget_marks(self) -> None:
        """Undo and redo bypass ``edit``: drop every mark (the next check redraws them)."""
        self.generation += 1
        self._log.append((self.generation, 0, 1 << 60, 1 << 60))
        self._marks = [m for m in self._marks if m.in_header]
        self._build_highlight_map()

    def _build_highlight_map(self) -> None:
        self._line_cache.clear()
        highlights = self._highlights
        highlights.clear()
        marks = [m for m in self._marks if m.has_span]
        if not marks:
            return
        lines = self.document.lines
        index = LineIndex(lines)
        total = index.starts[-1] - 1
        for mark in marks:
            if mark.end > total:
                continue
            name = f"finding.{mark.finding.severity}"
            first, first_col = index.location(mark.start)
            last, last_col = index.location(mark.end)
            for row in range(first, last + 1):
                line = lines[row]
                begin = first_col if row == first else 0
                stop = last_col if row == last else len(line)
                if stop > begin:
                    highlights[row].append((
                        len(line[:begin].encode("utf-8")), len(line[:stop].encode("utf-8")), name,
                    ))

    def _set_theme(self, theme: str) -> None:
        super()._set_theme(theme)
        try:
            dark = self.app.current_theme.dark
        except Exception:  # noqa: BLE001 - not attached to an app yet
            dark = True
        styles = {**self._theme.syntax_styles, **_STYLES[bool(dark)]}
        self._theme = dataclasses.replace(self._theme, syntax_styles=styles)
        self._line_cache.clear()

    async def _on_paste(self, event: events.Paste) -> None:
        if self.read_only:
            return
        start, end = sorted(self.selection)
        index = self.line_index()
        replaced = index.index(*end) - index.index(*start)
        size = index.starts[-1] - 1
        if size - replaced + len(event.text) > self.max_chars:
            event.prevent_default()
            event.stop()
            self.notify(
                f"Paste refused: {len(event.text):,} characters would take the note past "
                f"{self.max_chars:,}. Paste a shorter passage.",
                title="Too large", severity="warning", timeout=8,
            )
            return
        # TextArea's own _on_paste runs next (Textual dispatches along the MRO).
