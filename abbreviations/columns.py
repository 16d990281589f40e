"""Token attributes as columns, read once per Doc and shared by the components.

``Doc.to_array`` costs tens of microseconds per call on a 500-token note, so the senter,
expander and Do-Not-Use checker share one read. The copy lives in ``doc.user_data`` and is
re-read whenever the token count changed (a retokenizer ran in between).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from spacy.attrs import IDX, IS_SPACE, LENGTH, LIKE_NUM, LOWER, ORTH, SPACY

if TYPE_CHECKING:  # pragma: no cover
    import numpy
    from spacy.tokens import Doc

_KEY = ("abbreviations", "columns")


class Columns(NamedTuple):
    array: "numpy.ndarray"
    """Columns in the order of the fields below."""
    orth: list[int]
    lower: list[int]
    like_num: list[int]
    length: list[int]
    idx: list[int]
    spacy: list[int]
    is_space: list[int]


def columns(doc: "Doc") -> Columns:
    """ORTH, LOWER, LIKE_NUM, LENGTH, IDX, SPACY and IS_SPACE of every token of ``doc``."""
    cached = doc.user_data.get(_KEY)
    if cached is not None and len(cached.orth) == len(doc):
        return cached
    array = doc.to_array([ORTH, LOWER, LIKE_NUM, LENGTH, IDX, SPACY, IS_SPACE])
    cached = Columns(array, *(array[:, k].tolist() for k in range(7)))
    doc.user_data[_KEY] = cached
    return cached
