"""note-assistant: write mental-health progress notes that are correct, complete and private."""

from abbreviations._spacy_import import defer_spacy_cli

__version__ = "0.1.0"

defer_spacy_cli()  # spaCy, when it loads, skips its command line (a quarter of a second)


def check_note(*args, **kwargs):  # noqa: ANN002, ANN003, ANN201 - re-exported lazily
    """See :func:`note_assistant.checks.engine.check_note`."""
    from .checks.engine import check_note as _check_note

    return _check_note(*args, **kwargs)


__all__ = ["__version__", "check_note"]
