"""PDF rendering with fpdf2 (pure Python, no system libraries).

A Unicode TrueType font is used when the system has one (DejaVu Sans, Liberation Sans, Noto
Sans); otherwise the PDF core font Helvetica, which covers Latin-1 only: other characters are
then replaced by "?" in the PDF (the Markdown and FHIR exports always keep the exact text).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .document import Block

_FONT_DIRS = [
    Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"), Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/truetype/noto"), Path("/Library/Fonts"),
    Path("C:/Windows/Fonts"),
]
_FONT_PAIRS = [
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
]
_ASCII = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
    "\u2026": "...", "\u2022": "*", "\u00a0": " ", "\u2212": "-",
})


def unicode_font() -> tuple[Path, Path] | None:
    """(regular, bold) TrueType files of a Unicode sans font on this system, if any."""
    for folder in _FONT_DIRS:
        for regular, bold in _FONT_PAIRS:
            if (folder / regular).is_file() and (folder / bold).is_file():
                return folder / regular, folder / bold
    return None


def render_pdf(items: list[Block], *, title: str, generated_at: dt.datetime, footer: str = "") -> bytes:
    from fpdf import FPDF

    class _Pdf(FPDF):
        def footer(self) -> None:  # noqa: D401 - fpdf2 hook
            self.set_y(-12)
            self.set_font(family, "", 8)
            self.cell(0, 6, clean(f"{footer}   Page {self.page_no()}/{{nb}}".strip()), align="C")

    pdf = _Pdf(format="Letter")
    pdf.set_creation_date(generated_at)
    pdf.set_title(title)
    pdf.set_creator("note-assistant")
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_margins(18, 18, 18)
    fonts = unicode_font()
    if fonts:
        family = "NoteSans"
        pdf.add_font(family, "", str(fonts[0]))
        pdf.add_font(family, "B", str(fonts[1]))

        def clean(text: str) -> str:
            return text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    else:
        family = "Helvetica"

        def clean(text: str) -> str:
            text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ").translate(_ASCII)
            return text.encode("latin-1", "replace").decode("latin-1")

    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    styles = {
        "title": ("B", 15, 8, 3), "heading": ("B", 12, 6, 2), "subheading": ("B", 10.5, 5.5, 1),
        "meta": ("", 9, 4.5, 1), "notice": ("", 9, 4.5, 2), "text": ("", 10.5, 5.2, 2),
        "signature": ("", 8.5, 4.3, 3),
    }
    for block in items:
        style, size, height, after = styles[block.kind]
        if block.kind in ("title", "heading") and pdf.get_y() > pdf.h - 50:
            pdf.add_page()
        if block.kind == "heading":
            pdf.ln(2)
            pdf.set_draw_color(180, 180, 180)
            pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
            pdf.ln(2)
        pdf.set_font(family, style, size)
        if block.kind in ("signature", "meta", "notice"):
            pdf.set_text_color(70, 70, 70)
        else:
            pdf.set_text_color(0, 0, 0)
        text = block.text.replace("; SHA-256", "\nSHA-256") if block.kind == "signature" else block.text
        pdf.multi_cell(width, height, clean(text) or " ", align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(after)
    return bytes(pdf.output())
