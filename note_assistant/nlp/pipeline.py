"""Build the pipeline once per process, lazily, and run it over a note with its sections known.

No trained model is downloaded or needed: the pipeline is ``spacy.blank("en")`` with the
clinical tokenizer and rule components, all data shipped in the packages.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

_NLP: "Language | None" = None
_LOCK = threading.Lock()

#: Components in pipeline order (factory name, config). Each is a spaCy factory.
COMPONENTS: list[tuple[str, dict]] = [
    ("note_assistant_sentences", {}),
    ("note_assistant_process_content", {}),
    ("abbreviations_expander", {}),
    ("abbreviations_do_not_use", {}),
]


def build_pipeline() -> "Language":
    import abbreviations.components  # noqa: F401 - registers the abbreviation factories
    from abbreviations.tokenizer import blank_clinical

    from . import components, extensions  # noqa: F401 - components registers the factories

    extensions.register()
    # The clinical tokenizer keeps "b.i.d.", "s/p", "A&Ox4", "PHQ-9" whole, and works around
    # spaCy's tokenizer-cache bug (explosion/spaCy#13950) that made a 400-word note cost ~6 ms.
    nlp = blank_clinical("en")
    for factory, config in COMPONENTS:
        nlp.add_pipe(factory, config=config)
    nlp.initialize()
    return nlp


def get_nlp() -> "Language":
    """The process-wide pipeline (built on first use; thread-safe)."""
    global _NLP
    if _NLP is None:
        with _LOCK:
            if _NLP is None:
                _NLP = build_pipeline()
    return _NLP


def make_doc(text: str, sections: list[tuple[int, int, str]] | None = None) -> "Doc":
    """Run the pipeline over ``text`` with the section spans set before the components run."""
    nlp = get_nlp()
    doc = nlp.make_doc(text)
    doc._.section_spans = sections or []
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc
