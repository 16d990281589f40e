"""Every custom attribute this package adds to spaCy objects, registered in one place.

``Doc._.abbreviations``  list of :class:`~abbreviations.results.Abbreviation` (``None`` until
                         the ``abbreviations_expander`` component has run);
``Doc._.do_not_use``     list of :class:`~abbreviations.results.DoNotUseHit` (``None`` until
                         ``abbreviations_do_not_use`` has run);
``Doc._.section_spans``  list of ``(start_char, end_char, section_key)`` set by whoever knows
                         the note's sections (the note parser); read by the expander.
"""

from __future__ import annotations

DOC_EXTENSIONS = ("abbreviations", "do_not_use", "section_spans")


def register_extensions() -> None:
    """Register the Doc extensions once; safe to call any number of times."""
    from spacy.tokens import Doc

    for name in DOC_EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
