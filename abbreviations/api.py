"""The package's functions for callers that just have text."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .errors import MAX_NOTE_CHARS, NoteTooLong
from .results import ExpansionResult

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

    from .schema import InventoryEntry


def expand(
    text: str,
    *,
    nlp: "Language | None" = None,
    sections: Any = None,
    extra_entries: "Iterable[InventoryEntry | dict] | None" = None,
    extra_paths: Iterable[str] = (),
) -> ExpansionResult:
    """Find the abbreviations of ``text``, choose their senses and write them out.

    ``nlp``: a pipeline to use (default: :func:`build_pipeline`); its other components run too.
    ``sections``: ``[(start_char, end_char, key), ...]``, objects with ``start``/``end``/``key``,
    or a callable ``offset -> key``. ``extra_entries`` / ``extra_paths``: house shorthand that
    wins over the built-in inventory for this call.
    """
    from .components import DoNotUseComponent, ExpanderComponent
    from .do_not_use import get_checker
    from .expander import Expander, doc_sections, expand_text, section_lookup
    from .extensions import register_extensions
    from .inventory import load_inventory
    from .pipeline import build_pipeline

    register_extensions()
    nlp = nlp if nlp is not None else build_pipeline()
    NoteTooLong.check(text, "expand", min(MAX_NOTE_CHARS, nlp.max_length))
    doc = nlp.make_doc(text)
    if sections is not None and not callable(sections):
        doc._.section_spans = [
            (s[0], s[1], s[2]) if isinstance(s, tuple | list) else (s.start, s.end, s.key)
            for s in sections
        ]
    expander: Expander | None = None
    for _name, component in nlp.pipeline:
        if isinstance(component, ExpanderComponent):
            expander = component.expander  # run below, with the caller's sections
            continue
        doc = component(doc)
    extra = list(extra_entries or ())
    paths = list(extra_paths)
    if extra or paths or expander is None:
        inventory = load_inventory(paths, extra_entries=extra)
        expander = Expander(inventory) if expander is None else Expander(
            inventory, window=expander.window, ambiguity_margin=expander.ambiguity_margin,
            use_definitions=expander.use_definitions)
    section_of = section_lookup(sections) if callable(sections) else doc_sections(doc)
    abbreviations = expander.find(doc, section_of)
    doc._.abbreviations = abbreviations
    hits = doc._.do_not_use
    if hits is None or not any(isinstance(c, DoNotUseComponent) for _, c in nlp.pipeline):
        hits = get_checker().find_in_doc(doc)
    expanded, spans = expand_text(text, abbreviations)
    return ExpansionResult(text, abbreviations, expanded, spans, list(hits))
