"""A tokenizer for clinical shorthand, built on the language's own rules.

``make_clinical_tokenizer(nlp)`` returns a ``Tokenizer`` that keeps the usual English rules and
adds what progress notes need:

* slash and ampersand shorthand stays whole: ``s/p``, ``c/o``, ``w/o``, ``f/u``, ``h/o``, ``D/C``,
  ``A&Ox4``; ``w/`` before a word is split off (``w/anxiety`` -> ``w/`` ``anxiety``), while a slash
  between two longer forms still splits (``SI/HI`` -> ``SI`` ``/`` ``HI``);
* dotted abbreviations stay whole (``b.i.d.``, ``q.h.s.``, ``U.S.``), and so do past forms such as
  ``DC'd`` and ``D/C'd``;
* scale names stay whole (``PHQ-9``, ``GAD-7``, ``C-SSRS``, ``TF-CBT``, ``Y-BOCS``), while
  ``PHQ-9=12`` splits at ``=``;
* a number runs into its unit split apart (``10mg``, ``5mL``, ``10U``, ``5cc``, ``3ug``); dates
  (``2026-11-26``, ``11/26/2026``), times (``10:30``, ``2pm`` -> ``2`` ``pm``) and ratings
  (``7/10``) keep spaCy's behaviour.

Everything is regular expressions and special cases compiled once, so tokenizing stays as fast as
spaCy's default tokenizer.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokenizer import Tokenizer

# Whole-token shapes that must never be split.
_KEEP_WHOLE = re.compile(
    r"""^(?:
        [A-Za-z]/[A-Za-z](?:['’][dDsS])?          # s/p, c/o, D/C, D/C'd, h/o
      | [A-Za-z]/                                 # w/  (followed by a space)
      | (?:[A-Za-z]\.){2,}(?:['’][dDsS])?         # b.i.d.  q.h.s.  U.S.
      | (?:[A-Za-z]\.)+[A-Za-z]                   # q.h.s   p.r.n   (no final period)
      | (?:[A-Z]{2,4}|[Dd][Cc])['’][dD]           # DC'd  dc'd  (past forms)
      | \d{4}-\d{1,2}-\d{1,2}                      # 2026-11-26
      | (?:A&O|AA&O|AAO|AO|A\ &\ O)(?:[xX]\ ?[1-4])?   # A&O, A&Ox4, AAOx3
      | [A-Z][A-Za-z]{0,4}-[A-Z]{1,6}(?:-[A-Z0-9]{1,4})?   # C-SSRS, TF-CBT, CBT-I, DSM-IV-TR
      | [A-Z]{2,5}-\d{1,2}-[A-Z]{1,4}             # DSM-5-TR, PHQ-9-A
    )$""",
    re.VERBOSE,
)

# Units that may be run into a number ("10mg"); spaCy already knows mg, g, kg, µg, ...
_DOSE_UNITS = (
    "mcg|ug|μg|mL|ml|cc|U|u|IU|iu|units?|mEq|meq|mmol|tabs?|caps?|gtts?|puffs?|hrs?|mins?|wks?|yrs?"
)
_NUMBER_UNIT_SUFFIX = rf"(?<=[0-9])(?:{_DOSE_UNITS}|am|pm|AM|PM)$"

# "w/anxiety" -> "w/" "anxiety"
_W_SLASH_PREFIX = r"^[Ww]/(?=[A-Za-z]{2})"

# "N/A." -> "N/A" "." (a period after a one-letter slash form ends the sentence)
_SLASH_FORM_PERIOD = r"(?<=/[A-Za-z])\.$"

# "PHQ-9=12" -> split at "=" before a digit; "S.I./H.I." -> split at the slash.
_INFIXES = (r"(?<=[A-Za-z0-9])[=](?=[0-9])", r"(?<=\.)/(?=[A-Za-z])")

# Forms spelled with an inner apostrophe or slash that spaCy's rules would break apart.
_SPECIAL_CASES = ("w/o", "W/O", "w/", "W/", "b/c", "s/sx", "S/Sx", "h/o", "H/O", "A&Ox3", "A&Ox4")


_PLAIN_CHUNK = re.compile(r"[A-Za-z]+[,;:.]?\Z")

MAX_CHUNK = 100
"""Spaceless runs longer than this are cut into tokens of this length (see
``ClinicalTokenizer._with_long_chunks``); no word or clinical form comes near it (a long URL
is cut too, which no check reads)."""
_LONG_RUN = re.compile(rf"\S{{{MAX_CHUNK + 1},}}")

TEXT_KEY = ("abbreviations", "text")
"""``doc.user_data`` key under which the clinical tokenizer keeps the original string."""


def lower_keeping_offsets(text: str) -> str:
    """``text.lower()``, except that a character lower-casing to two ("İ") stays as it is, so
    every offset into the result is an offset into ``text``."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lowered


def doc_text(doc) -> str:
    """``doc.text``, without rebuilding it from the tokens when the tokenizer kept it."""
    stored = doc.user_data.get(TEXT_KEY)
    if isinstance(stored, str) and len(doc) and len(stored) == doc[-1].idx + len(doc[-1].text_with_ws):
        return stored
    return doc.text


class ClinicalTokenizer:
    """spaCy's ``Tokenizer`` with the clinical rules, plus a cache fix.

    spaCy 3.8 stops caching a document's remaining chunks once one chunk hits a special case
    (explosion/spaCy#13950), so a note containing ``Dr.`` or ``don't`` is re-split with the
    affix regexes on every call: about 5 ms for 400 words here, against 0.1 ms cached. Before
    each call this wrapper tokenizes chunks it has not seen on their own, which caches them;
    re-checking a note while it is being typed then costs only the cached path.

    Everything else (``to_disk``, ``add_special_case``, ``explain``...) is the wrapped
    tokenizer's.
    """

    def __init__(self, tokenizer: "Tokenizer", *, max_seen: int = 200_000) -> None:
        self.tokenizer = tokenizer
        """The spaCy ``Tokenizer`` doing the work."""
        self.max_seen = max_seen
        """Chunks remembered before the memory is reset (spaCy's cache is sized to match)."""
        self._seen: set[str] = set()
        tokenizer.max_cache_size = max(tokenizer.max_cache_size, max_seen)
        self.language_tokenizer: "Tokenizer | None" = None
        """The language's own tokenizer this one replaced (set by :func:`use_clinical_tokenizer`),
        for a component trained on spaCy's default tokens: it need not build another."""

    def __call__(self, text: str):
        chunks = text.split()
        if chunks and max(map(len, chunks)) > MAX_CHUNK:
            return self._with_long_chunks(text)
        if not self._seen.issuperset(chunks):
            new = set(chunks) - self._seen
            if len(self._seen) + len(new) > self.max_seen:
                self._seen.clear()
            # Plain words (letters, perhaps a trailing comma or period) that no special case
            # covers go through in one call: without a special case in it, spaCy caches every
            # chunk of a call. The rest one by one, each its own call.
            rules = self.tokenizer.rules
            plain = [chunk for chunk in new if _PLAIN_CHUNK.match(chunk)
                     and chunk not in rules and chunk.rstrip(",;:.") not in rules]
            if plain:
                self.tokenizer(" ".join(plain))
            for chunk in new.difference(plain) if plain else new:
                self.tokenizer(chunk)
            self._seen.update(new)
        doc = self.tokenizer(text)
        doc.user_data[TEXT_KEY] = text
        return doc

    def _with_long_chunks(self, text: str):
        """Tokenize ``text`` whose spaceless runs include some longer than :data:`MAX_CHUNK`
        characters (a pasted blob, a line of 10,000 asterisks). spaCy's affix rules are
        quadratic in a run's length (10,000 quotes took 34 s, 1,000 took 0.17 s), so those
        runs are cut into :data:`MAX_CHUNK`-character tokens and the rest is tokenized as
        usual. The Doc's text is ``text`` exactly."""
        from spacy.tokens import Doc

        docs, last = [], 0
        for match in _LONG_RUN.finditer(text):
            if match.start() > last:
                docs.append(self.tokenizer(text[last:match.start()]))
            run = match.group()
            words = [run[i:i + MAX_CHUNK] for i in range(0, len(run), MAX_CHUNK)]
            docs.append(Doc(self.tokenizer.vocab, words=words, spaces=[False] * len(words)))
            last = match.end()
        if last < len(text):
            docs.append(self.tokenizer(text[last:]))
        doc = Doc.from_docs(docs, ensure_whitespace=False)
        doc.user_data[TEXT_KEY] = text
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    def __getattr__(self, name: str):
        return getattr(self.tokenizer, name)


def make_clinical_tokenizer(nlp: "Language") -> ClinicalTokenizer:
    """Return a tokenizer for ``nlp``'s vocabulary with the clinical rules added.

    The language's own prefixes, suffixes, infixes and exceptions are kept, so ordinary prose
    tokenizes exactly as before.
    """
    from spacy.attrs import ORTH
    from spacy.tokenizer import Tokenizer

    from . import regex_cache

    defaults = nlp.Defaults
    prefixes = [_W_SLASH_PREFIX, *(defaults.prefixes or ())]
    suffixes = [_NUMBER_UNIT_SUFFIX, _SLASH_FORM_PERIOD, *(defaults.suffixes or ())]
    infixes = [*_INFIXES, *(defaults.infixes or ())]
    # The expressions spacy.util.compile_{prefix,suffix,infix}_regex build, compiled through
    # the cache (they are from spaCy's and this package's rules, never from text).
    prefix = regex_cache.compile("|".join("^" + p for p in prefixes if p.strip()))
    suffix = regex_cache.compile("|".join(p + "$" for p in suffixes if p.strip()))
    infix = regex_cache.compile("|".join(p for p in infixes if p.strip()))
    tokenizer = Tokenizer(
        nlp.vocab,
        rules=dict(defaults.tokenizer_exceptions),
        prefix_search=prefix.search,
        suffix_search=suffix.search,
        infix_finditer=infix.finditer,
        token_match=_KEEP_WHOLE.match,
        url_match=defaults.url_match,
    )
    for form in _SPECIAL_CASES:
        tokenizer.add_special_case(form, [{ORTH: form}])
    return ClinicalTokenizer(tokenizer)


def language_tokenizer(nlp: "Language") -> "Tokenizer":
    """The tokenizer ``spacy.blank`` gives ``nlp`` (spaCy's ``create_tokenizer``, rule for
    rule), its expressions compiled through the regex cache."""
    from spacy.tokenizer import Tokenizer

    from . import regex_cache

    defaults = nlp.Defaults
    prefixes, suffixes, infixes = defaults.prefixes, defaults.suffixes, defaults.infixes
    return Tokenizer(
        nlp.vocab,
        rules=defaults.tokenizer_exceptions,
        prefix_search=regex_cache.compile("|".join("^" + p for p in prefixes if p.strip())).search
        if prefixes else None,
        suffix_search=regex_cache.compile("|".join(p + "$" for p in suffixes if p.strip())).search
        if suffixes else None,
        infix_finditer=regex_cache.compile("|".join(p for p in infixes if p.strip())).finditer
        if infixes else None,
        token_match=defaults.token_match,
        url_match=defaults.url_match,
    )


def blank_clinical(lang: str = "en") -> "Language":
    """``use_clinical_tokenizer(spacy.blank(lang))``, with both tokenizers' expressions
    compiled through the regex cache."""
    from spacy.util import get_lang_class

    return use_clinical_tokenizer(get_lang_class(lang)(create_tokenizer=language_tokenizer))


def use_clinical_tokenizer(nlp: "Language") -> "Language":
    """Install the clinical tokenizer on ``nlp`` in place and return ``nlp``."""
    clinical = make_clinical_tokenizer(nlp)
    if not isinstance(nlp.tokenizer, ClinicalTokenizer):
        clinical.language_tokenizer = nlp.tokenizer
    nlp.tokenizer = clinical
    return nlp


def clinical_tokenizer_factory():
    """For spaCy configs: ``[nlp.tokenizer] @tokenizers = "abbreviations.ClinicalTokenizer.v1"``."""
    return make_clinical_tokenizer
