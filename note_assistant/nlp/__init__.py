"""The spaCy pipeline: ``spacy.blank("en")`` + a clinical tokenizer + rule components."""

from .pipeline import get_nlp, make_doc

__all__ = ["get_nlp", "make_doc"]
