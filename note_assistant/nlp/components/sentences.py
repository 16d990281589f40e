"""``note_assistant_sentences``: fast rule-based sentence boundaries for progress notes.

Notes are full of abbreviation periods ("Pt. reports", "Dr. Smith", "b.i.d.", "e.g.") that a
plain punctuation splitter breaks on, and of lines, bullets and headed sections that are
boundaries even without punctuation. :func:`sentence_starts` finds the boundaries on the
characters (so it does not care how the tokenizer splits abbreviations); the component writes
them to ``Token.is_sent_start``. Section spans (``doc._.section_spans``) are boundaries too.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Sequence
from importlib import resources

import numpy
from pydantic import BaseModel, ConfigDict, ValidationError
from spacy.attrs import IDX, SENT_START
from abbreviations.tokenizer import doc_text
from spacy.language import Language
from spacy.tokens import Doc

from .rules import RuleDataError

SENTENCES_FILE = "sentences.toml"


class SentenceRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    never_split: list[str]
    never_split_capitalized: list[str] = []
    initials: bool = True


@functools.cache
def load_sentence_rules() -> SentenceRules:
    entry = resources.files("note_assistant.nlp") / "data" / SENTENCES_FILE
    try:
        raw = tomllib.loads(entry.read_text(encoding="utf-8"))
        return SentenceRules.model_validate(raw)
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise RuleDataError(f"{SENTENCES_FILE}: {exc}") from None


# A sentence-final mark, closing quotes/brackets, then whitespace. Tried only where a run of
# marks begins: inside a long run of periods with no space after it, every position would
# otherwise retry the rest of the run (10,000 periods took 3 s).
_END = re.compile(r"(?<![.!?])[.!?]+[\"'\u201d\u2019)\]]*(?=\s)")
# A line break (blank lines included), then the next line's indentation.
_NEWLINE = re.compile(r"\n[ \t\r\n]*")
_BULLET = re.compile(r"(?:[-*\u2022\u25aa\u25e6\u2013>]|\d{1,2}[.)]|[a-z][)])\s")
_INLINE_BULLET = re.compile(r"\s[\u2022\u25aa\u25e6]\s")
_WORD_BEFORE = re.compile(r"[(\[\"'\u201c]*(\S+)$")


class SentenceSplitter:
    """Character-level boundaries; build once and reuse (it holds compiled data)."""

    def __init__(self, rules: SentenceRules | None = None) -> None:
        rules = rules or load_sentence_rules()
        self.never = frozenset(word.lower() for word in rules.never_split)
        self.never_capitalized = frozenset(word.lower() for word in rules.never_split_capitalized)
        self.initials = rules.initials

    def _is_abbreviation(self, text: str, period_end: int) -> bool:
        """Whether the period just before ``period_end`` closes an abbreviation."""
        line_start = max(text.rfind("\n", 0, period_end), text.rfind(" ", 0, period_end)) + 1
        match = _WORD_BEFORE.search(text[line_start:period_end])
        if match is None:
            return False
        word = match.group(1)
        lower = word.lower()
        if lower in self.never:
            return True
        if lower in self.never_capitalized and word[0].isupper():
            return True
        return self.initials and len(word) == 2 and word[0].isupper() and word[1] == "."

    def starts(self, text: str, sections: Iterable[tuple[int, int, str]] = ()) -> list[int]:
        """Sorted character offsets where sentences start (0 included when text is non-empty)."""
        starts = {0} if text else set()
        for match in _END.finditer(text):
            nxt = match.end()
            while nxt < len(text) and text[nxt] in " \t":
                nxt += 1
            if nxt >= len(text) or text[nxt] in "\r\n":
                continue  # the line break below decides
            ch = text[nxt]
            if not (ch.isupper() or ch.isdigit() or ch in "\"'\u201c([-*\u2022"):
                continue
            if match.group(0).startswith(".") and not match.group(0).startswith(".."):
                if self._is_abbreviation(text, match.start() + 1):
                    continue
            starts.add(nxt)
        for match in _NEWLINE.finditer(text):
            nxt = match.end()
            if nxt >= len(text):
                continue
            k = match.start()
            while k > 0 and text[k - 1] in " \t\r":
                k -= 1
            last = text[k - 1] if k > 0 else ""
            soft_wrap = (
                "\n" not in match.group(0)[1:]  # a blank line always ends a sentence
                and (last.isalnum() or last == ",")
                and text[nxt].islower()
                and not _BULLET.match(text, nxt)
            )
            if not soft_wrap:
                starts.add(nxt)
        for match in _INLINE_BULLET.finditer(text):
            starts.add(match.start() + 1)
        for start, end, _key in sections:
            for offset in (start, end):
                while offset < len(text) and text[offset] in " \t\r\n":
                    offset += 1
                if 0 <= offset < len(text):
                    starts.add(offset)
        return sorted(starts)

    def spans(self, text: str, sections: Iterable[tuple[int, int, str]] = ()) -> list[tuple[int, int]]:
        """``(start, end)`` of every sentence, covering the text."""
        starts = self.starts(text, sections)
        ends = starts[1:] + [len(text)]
        return list(zip(starts, ends))


@functools.cache
def default_splitter() -> SentenceSplitter:
    return SentenceSplitter()


def sentence_starts(text: str, sections: Iterable[tuple[int, int, str]] = ()) -> list[int]:
    return default_splitter().starts(text, sections)


def doc_sentence_spans(doc: Doc, length: int | None = None) -> list[tuple[int, int]] | None:
    """``(start_char, end_char)`` of the doc's sentences from the token arrays (fast), or None
    when no component has set sentence boundaries. ``length`` is ``len(doc.text)`` if known."""
    if not len(doc):
        return []
    arr = doc.to_array([SENT_START, IDX]).astype("int64")
    if len(doc) > 1 and not arr[1:, 0].any():
        return None
    starts = arr[:, 1][arr[:, 0] == 1].tolist()
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    if length is None:
        last = doc[-1]
        length = last.idx + len(last.text_with_ws)
    ends = starts[1:] + [length]
    return list(zip(starts, ends))


def doc_sections(doc: Doc) -> Sequence[tuple[int, int, str]]:
    if Doc.has_extension("section_spans"):
        return doc._.section_spans or ()
    return ()


def set_sentence_starts(doc: Doc, starts: Sequence[int]) -> None:
    """Mark the first token at or after each character offset as a sentence start."""
    if not len(doc):
        return
    idx = doc.to_array(IDX)
    flags = numpy.full(len(doc), -1, dtype="int32")
    flags[0] = 1
    positions = numpy.searchsorted(idx, numpy.asarray(starts, dtype=idx.dtype), side="left")
    flags[positions[positions < len(doc)]] = 1
    doc.from_array([SENT_START], flags.astype("uint64"))


class NoteSentences:
    """The pipeline component: sets ``Token.is_sent_start`` on every token."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self._splitter: SentenceSplitter | None = None

    def initialize(self, get_examples=None, *, nlp: Language | None = None) -> None:  # noqa: ANN001
        self._splitter = default_splitter()

    def __call__(self, doc: Doc) -> Doc:
        if self._splitter is None:
            self.initialize()
        set_sentence_starts(doc, self._splitter.starts(doc_text(doc), doc_sections(doc)))
        return doc


@Language.factory(
    "note_assistant_sentences",
    default_config={},
    assigns=["token.is_sent_start"],
)
def make_note_sentences(nlp: Language, name: str) -> NoteSentences:
    return NoteSentences(nlp, name)
