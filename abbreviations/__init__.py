"""Clinical abbreviations for mental-health progress notes.

A curated mental-health inventory over a general clinical one, a sense chooser that reads the
context, and checks for the Joint Commission Do-Not-Use list and ISMP's error-prone
abbreviations. Usable on its own or inside any spaCy pipeline.

    >>> from abbreviations import expand
    >>> expand("Pt denies SI/HI.").expanded_text
    'Patient denies suicidal ideation/homicidal ideation.'

Importing this package is cheap: spaCy and pydantic load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._spacy_import import defer_spacy_cli
from .errors import InventoryError

defer_spacy_cli()  # spaCy, when it loads, skips its command line (a quarter of a second)

if TYPE_CHECKING:  # pragma: no cover
    from .api import expand
    from .inventory import Inventory, load_inventory
    from .pipeline import build_pipeline
    from .results import Abbreviation, Alternative, DoNotUseHit, ExpandedSpan, ExpansionResult
    from .schema import DoNotUseRule, InventoryEntry, Sense
    from .tokenizer import make_clinical_tokenizer, use_clinical_tokenizer

__all__ = [
    "Abbreviation", "Alternative", "DoNotUseHit", "DoNotUseRule", "ExpandedSpan",
    "ExpansionResult", "Inventory", "InventoryEntry", "InventoryError", "Sense",
    "build_pipeline", "expand", "load_inventory", "make_clinical_tokenizer",
    "use_clinical_tokenizer",
]

_LAZY = {
    "expand": "api", "load_inventory": "inventory", "Inventory": "inventory",
    "build_pipeline": "pipeline", "Abbreviation": "results", "Alternative": "results",
    "DoNotUseHit": "results", "ExpandedSpan": "results", "ExpansionResult": "results",
    "DoNotUseRule": "schema", "InventoryEntry": "schema", "Sense": "schema",
    "make_clinical_tokenizer": "tokenizer", "use_clinical_tokenizer": "tokenizer",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'abbreviations' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
