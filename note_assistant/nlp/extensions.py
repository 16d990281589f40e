"""Every Doc/Span/Token extension the app uses, registered once (guarded by has_extension)."""

from __future__ import annotations


def register() -> None:
    from spacy.tokens import Doc

    if not Doc.has_extension("section_spans"):
        Doc.set_extension("section_spans", default=None)
    if not Doc.has_extension("process_content"):
        Doc.set_extension("process_content", default=None)
