"""A ready-made pipeline: ``spacy.blank("en")`` + clinical tokenizer + sentences + components."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language


@lru_cache(maxsize=8)
def _build(extra_paths: tuple[str, ...]) -> "Language":
    import os

    from . import components  # noqa: F401  (registers the factories)
    from .tokenizer import blank_clinical

    nlp = blank_clinical("en")
    nlp.add_pipe("abbreviations_senter")
    nlp.add_pipe("abbreviations_expander", config={"extra_paths": os.pathsep.join(extra_paths)})
    nlp.add_pipe("abbreviations_do_not_use")
    nlp.initialize()
    return nlp


def build_pipeline(extra_paths: tuple[str, ...] = ()) -> "Language":
    """The package's pipeline, built once per process (per set of clinic inventory files).

    Usable on its own: ``build_pipeline()(text)._.abbreviations``. Components:
    ``abbreviations_senter``, ``abbreviations_expander``, ``abbreviations_do_not_use``.
    """
    return _build(tuple(str(p) for p in extra_paths))
