"""The writing guide: the current section's prompt, example and word count, and all counts."""

from __future__ import annotations

import re

from textual.content import Content
from textual.widgets import Static

from note_formats import NoteFormat, ParsedNote

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'/-]*")


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


class GuidePanel(Static):
    _shown: Content | None = None

    """Shows what to write in the section under the cursor (from the format's data)."""

    def __init__(self, fmt: NoteFormat | None, **kwargs: object) -> None:
        super().__init__("", markup=False, **kwargs)
        self.fmt = fmt
        """The note's format (None for free text)."""

    def show(self, parsed: ParsedNote | None, section_key: str | None) -> None:
        fmt = self.fmt
        if fmt is None or parsed is None:
            self._show(Content("Free text: no format sections to guide."))
            return
        counts = {s.key: word_count(parsed.body(s.key)) for s in fmt.sections}
        spec = next((s for s in fmt.sections if s.key == section_key), None) or fmt.sections[0]
        words = counts[spec.key]
        enough = words >= spec.min_words
        mark = ("ok", "$text-success") if enough else (f"min {spec.min_words}", "$text-warning")
        summary = " ".join(
            f"{s.title[:1]}{counts[s.key]}" + ("" if counts[s.key] >= s.min_words else "!")
            for s in fmt.sections
        )
        self._show(Content.assemble(
            (f"{spec.title}", "bold"), f" {words} words (", mark, ")\n",
            spec.prompt, "\n", ("e.g. ", "dim italic"), (spec.example, "italic"), "\n",
            (f"{fmt.name}: {summary}", "dim"),
        ))

    def _show(self, content: Content) -> None:
        """Update only when the text changes (an update costs a layout pass)."""
        if self._shown is None or content.plain != self._shown.plain or content.spans != self._shown.spans:
            self._shown = content
            self.update(content)
