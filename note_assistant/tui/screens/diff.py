"""Two notes side by side (difflib): passages the later note repeats are highlighted, so a
clinician can see what a cloning finding saw and rewrite it."""

from __future__ import annotations

import difflib
import re
import textwrap
from itertools import zip_longest

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Static

from ...models import Note
from .base import AppScreen

_PIECE = re.compile(r"[^\n]*?(?:[.!?](?=\s)|\n|$)")
STYLES = {"same": "$text-warning on $warning-muted", "old": "$text-error", "new": "$text-success", "pad": ""}


def pieces(text: str) -> list[str]:
    """Lines split further into sentences, so one changed word does not hide a copied line."""
    out = [m.group(0).strip() for m in _PIECE.finditer(text)]
    return [p for p in out if p]


def pairs(old: str, new: str) -> list[tuple[str, str, str]]:
    """(tag, left, right) rows: 'same' for repeated passages, else 'change'."""
    a, b = pieces(old), pieces(new)
    rows: list[tuple[str, str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            rows += [("same", x, y) for x, y in zip(a[i1:i2], b[j1:j2], strict=True)]
        else:
            rows += [("change", x or "", y or "") for x, y in zip_longest(a[i1:i2], b[j1:j2])]
    return rows


def similarity(old: str, new: str) -> float:
    return difflib.SequenceMatcher(None, old.split(), new.split(), autojunk=False).ratio()


def render(rows: list[tuple[str, str, str]], width: int) -> Content:
    col = max(8, (width - 3) // 2)
    parts: list[tuple[str, str] | str] = []
    for tag, left, right in rows:
        lw = textwrap.wrap(left, col) or [""]
        rw = textwrap.wrap(right, col) or [""]
        for l_line, r_line in zip_longest(lw, rw, fillvalue=""):
            lstyle = STYLES["same"] if tag == "same" else (STYLES["old"] if left else "")
            rstyle = STYLES["same"] if tag == "same" else (STYLES["new"] if right else "")
            parts += [(l_line.ljust(col), lstyle), " | ", (r_line.ljust(col), rstyle), "\n"]
    return Content.assemble(*parts)


class DiffScreen(AppScreen):
    """``earlier`` on the left, ``later`` on the right."""

    BINDINGS = [Binding("escape", "back", "Back")]

    def __init__(self, earlier: Note, later: Note) -> None:
        super().__init__()
        self.earlier = earlier
        """The older note."""
        self.later = later
        """The note being reviewed."""
        self.rows = pairs(earlier.text, later.text)
        """Aligned passages."""
        self._body = Static("", id="diff-body")

    def compose(self) -> ComposeResult:
        same = similarity(self.earlier.text, self.later.text)
        yield Header()
        yield Static(f"{self.earlier.date_of_service} (left) vs {self.later.date_of_service} (right): "
                     f"{same:.0%} of the words in the same order. Highlighted: repeated passages.",
                     id="diff-title", markup=False)
        with VerticalScroll(id="diff-scroll"):
            yield self._body
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._body.update(render(self.rows, self.size.width - 2))

    def on_resize(self) -> None:
        self._body.update(render(self.rows, self.size.width - 2))

    def action_back(self) -> None:
        self.app.pop_screen()
