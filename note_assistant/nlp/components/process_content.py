"""``note_assistant_process_content``: sentences that belong in the psychotherapy note.

45 CFR 164.501 keeps psychotherapy notes (the clinician's analysis of the session) apart from the
progress note. This component finds progress-note sentences that carry that content: the
clinician's own reactions (countertransference), speculation about motives, transference and
defence analysis, interpreted or elaborated dreams and fantasies, intimate detail and sensitive
facts about identifiable third parties.

It is rules, not keywords: cue rules (JSONL) are matched over each sentence, ConText-style
modifiers (experiencer, hedge, negation, plan, risk ...) get a scope, and the decisions
(``decisions.toml``) say which combinations count. Each result names its sub-category, the cue
that fired and the decision. A near miss the rules leave alone (a hint cue, no decision, no veto)
may be flagged by the optional sentence classifier (``textcat_signal``, ``decision = "model"``).

Output:
* ``doc.spans[spans_key]``: one span per flagged sentence, label = sub-category;
* ``doc._.process_content``: a list of plain dicts (JSON-serialisable) with the sentence and cue
  offsets, sub-category, catalogue rule id, cue rule id and decision id.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import Any

from abbreviations.expander import double_quoted_spans
from abbreviations.tokenizer import doc_text
from spacy.language import Language
from spacy.tokens import Doc

from ...spans import SpanIndex
from .context import drop_contained, evaluate, set_scopes
from .matcher import CueMatcher, Hit, normalize
from .rules import COMPUTED_CATEGORIES, RuleSet, load_ruleset
from .sentences import default_splitter, doc_sections, doc_sentence_spans
from .textcat_signal import SentenceModel, load_packaged, model_input

_RULESET: RuleSet | None = None
_MATCHER: tuple[RuleSet, CueMatcher] | None = None
#: Default probability at which the sentence classifier flags a near miss.
DEFAULT_THRESHOLD = 0.6

_WORD = re.compile(r"\w+")
# Unquoted speech after a speaker label: 'Pt: I feel guilty ...', 'Client stated: ...'.
_SPEECH = re.compile(  # on normalized (lower-cased) text
    r"\b(?:client|pt|cl|patient|teen|parent|mother|father)\s*(?:stated|said|states|says|reports|"
    r"reported|quote)?\s*:[ \t]*(?=[^\"\s])([^\n]*)"
)
_NAME = re.compile(r"(?<![\w'])[A-Z][a-z]+(?:[-'][A-Za-z]+)*(?![\w])")
_TITLE = re.compile(r"(?:^|\s)(?:Mr|Mrs|Ms|Mx|Dr|Prof|Officer|Fr|Rev)\.$")
_LEAD = re.compile(r"[\s\-*\u2022\u25aa\u25e6>\d.)]*")
_BULLET_LEAD = re.compile(r"[ \t\r\n]*(?:(?:[-*\u2022\u25aa\u25e6>]|\d{1,2}[.)])[ \t]+)?")


def shared_ruleset() -> RuleSet:
    """The packaged rules, loaded and validated once per process."""
    global _RULESET
    if _RULESET is None:
        _RULESET = load_ruleset()
    return _RULESET


def shared_matcher() -> tuple[RuleSet, CueMatcher]:
    """The packaged rules and one matcher for all their cues (for inspection and tests: the
    detector itself scans with two matchers, see :func:`_split_matcher`)."""
    global _MATCHER
    if _MATCHER is None:
        ruleset = shared_ruleset()
        _MATCHER = (ruleset, CueMatcher(ruleset.cues))
    return _MATCHER


@functools.cache
def default_detector() -> "ProcessContentDetector":
    """Rules plus the packaged model (if trained) at the factory's default threshold."""
    return ProcessContentDetector(shared_ruleset(), model=load_packaged(),
                                  threshold=DEFAULT_THRESHOLD)


def quote_spans(text: str, folded: str | None = None) -> list[tuple[int, int]]:
    """Client speech: quoted strings and unquoted text after a speaker label."""
    folded = normalize(text) if folded is None else folded
    spans = double_quoted_spans(text)
    if ":" in folded:
        spans += [m.span(1) for m in _SPEECH.finditer(folded)]
    spans.sort()
    return spans


_SPLITS: dict[tuple[int, frozenset[str]], tuple[RuleSet, CueMatcher, CueMatcher]] = {}


def _split_matcher(ruleset: RuleSet, categories: frozenset[str]) -> tuple[CueMatcher, CueMatcher]:
    """(matcher for cues of ``categories``, matcher for the others), built once per rule set."""
    key = (id(ruleset), categories)
    cached = _SPLITS.get(key)
    if cached is None or cached[0] is not ruleset:
        first = [cue for cue in ruleset.cues if cue.category in categories]
        second = [cue for cue in ruleset.cues if cue.category not in categories]
        cached = _SPLITS[key] = (ruleset, CueMatcher(first), CueMatcher(second))
    return cached[1], cached[2]


_Found = list[tuple[int, int, Any]]


def _merge(first: _Found, second: _Found) -> _Found:
    """Two :meth:`CueMatcher.find` results as one: by start, longest first."""
    if not second:
        return first
    return sorted(first + second, key=lambda hit: (hit[0], -hit[1]))


class ProcessContentDetector:
    """Pure-text analysis: ``analyse(text, sentences)`` -> results. The component wraps it.

    ``model`` (optional) scores the near misses the rules leave alone; ``threshold`` is the
    probability at which it flags one; sentences shorter than ``model_min_words`` are skipped.
    """

    def __init__(self, ruleset: RuleSet, matcher: CueMatcher | None = None,
                 model: SentenceModel | None = None, threshold: float = DEFAULT_THRESHOLD,
                 model_min_words: int = 5) -> None:
        self.ruleset = ruleset
        self._matcher = matcher
        self.model = model
        self.threshold = threshold
        self.model_min_words = model_min_words
        self.computed = ruleset.computed
        self.name_exclude = frozenset(w.lower() for w in ruleset.computed.name_exclude)
        self._decision_targets = [(d, frozenset(d.target)) for d in ruleset.decisions]
        computed = frozenset(COMPUTED_CATEGORIES)
        #: Per decision, sets of which the sentence must hold at least one category each
        #: before the decision is worth evaluating (computed categories count as present).
        self._needs = [
            [frozenset(group) for group in (d.target, d.in_scope_any, d.sentence_any, d.after_any)
             if group and not computed & set(group)]
            for d in ruleset.decisions
        ]
        self._possible: dict[frozenset[str], bool] = {}
        self._veto = frozenset(ruleset.model_hints.veto)
        self._hint_categories = frozenset(c for c, _ in ruleset.model_hints.hints)
        # Two passes: cues of the categories that decide whether a sentence is worth a look
        # (decision needs, model hints and vetoes) over the whole note; the rest (scope ends,
        # commas, "client", negation...) only inside the few sentences that are.
        deciding = set(self._veto | self._hint_categories)
        for needs in self._needs:
            for group in needs:
                deciding |= group
        self.deciding_categories = frozenset(deciding)
        self._first_pass, self._second_pass = _split_matcher(ruleset, self.deciding_categories)
        #: Target categories whose decisions consult NAME or QUOTE_LONG.
        self._computed_for = frozenset(
            c for d in ruleset.decisions if d.categories() & computed for c in d.target
        )

    @property
    def matcher(self) -> CueMatcher:
        """One matcher for every cue (built on first use: analysis uses the two split ones)."""
        if self._matcher is None:
            self._matcher = CueMatcher(self.ruleset.cues)
        return self._matcher

    def _computed_hits(self, text: str, start: int, end: int,
                       quotes: SpanIndex) -> list[Hit]:
        hits: list[Hit] = []
        lead = _LEAD.match(text, start).end()
        for match in _NAME.finditer(text, start, end):
            if match.start() <= lead:
                continue  # the sentence's first word
            before = text[max(start, match.start() - 6):match.start()].rstrip()
            if before and before[-1] in ".:;!?(\"\u201c-\u2022" and not _TITLE.search(before):
                continue  # starts a clause or a quote (a title such as "Mr." is fine)
            if match.group(0).lower() in self.name_exclude:
                continue
            hits.append(Hit(match.start(), match.end(), "NAME", None, self.computed.name_weight))
        for qs, qe in quotes.within(start, end):
            if len(_WORD.findall(text, qs, qe)) >= self.computed.quote_min_words:
                hits.append(Hit(qs, qe, "QUOTE_LONG", None, 1))
        return hits

    def analyse(self, text: str, sentences: Iterable[tuple[int, int]]) -> list[dict[str, Any]]:
        """Results for the sentences (``(start, end)`` character spans) of ``text``."""
        folded = normalize(text)
        found = self._first_pass.find(folded)
        quotes = SpanIndex(quote_spans(text, folded) if found else [])
        results: list[dict[str, Any]] = []
        unflagged: list[tuple[int, int, list[Hit]]] = []
        computed_for = self._computed_for
        h, n = 0, len(found)
        for start, end in sentences:
            while h < n and found[h][0] < start:
                h += 1
            k = h
            while k < n and found[k][0] < end:
                k += 1
            inside = [f for f in found[h:k] if f[1] <= end]
            present = {cue.category for _, _, cue in inside}
            hits: list[Hit] = []
            result = None
            possible = self._may_fire(present)
            model_candidate = self.model is not None and self.model_gate(present)
            if possible or model_candidate:
                inside = _merge(inside, self._second_pass.find(folded, start, end))
                hits = [Hit(a, b, cue.category, cue, cue.weight) for a, b, cue in inside]
                local = SpanIndex(quotes.meeting(start, end))
                if local:
                    for hit in hits:
                        hit.quoted = local.holds_span(hit.start, hit.end)
            if possible:
                word_starts = [m.start() for m in _WORD.finditer(text, start, end)]
                if present & computed_for:
                    hits.extend(self._computed_hits(text, start, end, quotes))
                    hits.sort(key=lambda x: (x.start, -x.end))
                hits = drop_contained(hits)
                set_scopes(hits, start, end, word_starts)
                result = self._decide(text, start, end, hits, word_starts)
            if result is not None:
                results.append(result)
            elif model_candidate:
                if not possible:
                    hits = drop_contained(hits)  # a PSEUDO phrase hides hints and vetoes too
                categories = {hit.category for hit in hits if hit.cue is not None}
                if self.model_gate(categories):
                    unflagged.append((start, end, hits, categories))
        if unflagged:
            results.extend(self._model_results(text, unflagged))
            results.sort(key=lambda r: r["sentence_start"])
        return results

    def _may_fire(self, present: set[str]) -> bool:
        """Whether any decision could fire given the categories present (cached per set).

        Most progress-note sentences hold only modifiers or lone targets; they skip the
        per-sentence work entirely.
        """
        key = frozenset(present)
        possible = self._possible.get(key)
        if possible is None:
            possible = any(all(present & group for group in needs) for needs in self._needs)
            if len(self._possible) < 100_000:
                self._possible[key] = possible
        return possible

    def model_gate(self, categories: set[str] | frozenset[str]) -> bool:
        """Whether a sentence with these cue categories goes to the classifier: a hint cue and
        none of the rules' vetoes."""
        return bool(categories & self._hint_categories) and not categories & self._veto

    def sentence_categories(self, sentence: str) -> set[str]:
        """The cue categories matched in ``sentence`` on its own, after longer cues hide the
        ones inside them (:func:`drop_contained`): the classifier's features beside the words
        (training computes them with this method, :meth:`analyse` the same way inside a
        note)."""
        folded = normalize(sentence)
        found = _merge(self._first_pass.find(folded), self._second_pass.find(folded))
        hits = drop_contained([Hit(a, b, cue.category, cue, cue.weight) for a, b, cue in found])
        return {hit.category for hit in hits}

    def model_text(self, sentence: str) -> str:
        """What the classifier reads for ``sentence`` on its own (training and evaluation): its
        words after a token per cue category (:meth:`sentence_categories`)."""
        return model_input(sentence, self.sentence_categories(sentence))

    def long_enough(self, text: str, start: int = 0, end: int | None = None) -> bool:
        """Whether ``text[start:end]`` has the words the classifier needs to score it."""
        end = len(text) if end is None else end
        return len(_WORD.findall(text, start, end)) >= self.model_min_words

    def _model_results(self, text: str, sentences: list[tuple[int, int, list[Hit], set[str]]]
                       ) -> list[dict[str, Any]]:
        """Second signal: near misses (a hint cue but no decision) that the classifier flags.

        The classifier reads the sentence's words and the cue categories found in it
        (:func:`textcat_signal.model_input`). The finding's sub-category and cue come from
        the first hint category present, so a model finding still points at words in the
        sentence.
        """
        spans = []
        for start, end, hits, categories in sentences:
            s_start, s_end = self._trim(text, start, end)
            if self.long_enough(text, s_start, s_end):
                spans.append((s_start, s_end, hits, categories))
        if not spans:
            return []
        scores = self.model.scores(model_input(text[s:e], categories) for s, e, _, categories in spans)
        results = []
        for (s_start, s_end, hits, _), score in zip(spans, scores):
            if score < self.threshold:
                continue
            by_category = {}
            for hit in hits:
                if not hit.quoted:
                    by_category.setdefault(hit.category, hit)
            category, sub = next(((c, name) for c, name in self.ruleset.model_hints.hints
                                  if c in by_category), (None, None))
            if category is None:
                continue
            cue = by_category[category]
            results.append({
                "subcategory": sub,
                "rule_id": self.ruleset.subcategories[sub].rule_id,
                "decision": "model",
                "cue": text[cue.start:cue.end],
                "cue_rule": cue.rule_id,
                "cue_start": cue.start,
                "cue_end": cue.end,
                "sentence_start": s_start,
                "sentence_end": s_end,
                "also": [],
                "score": round(score, 3),
            })
        return results

    @staticmethod
    def _trim(text: str, start: int, end: int) -> tuple[int, int]:
        """The sentence without a leading bullet marker or trailing whitespace."""
        s_start = _BULLET_LEAD.match(text, start).end()
        s_end = end
        while s_end > s_start and text[s_end - 1].isspace():
            s_end -= 1
        return s_start, s_end

    def _decide(self, text: str, start: int, end: int, hits: list[Hit],
                word_starts: Sequence[int]) -> dict[str, Any] | None:
        fired: list[tuple[Any, Hit]] = []
        present = {hit.category for hit in hits}
        for decision, targets in self._decision_targets:
            if not present.intersection(targets):
                continue
            if fired and decision.subcategory in {d.subcategory for d, _ in fired}:
                continue
            target = evaluate(decision, hits, end, word_starts)
            if target is not None:
                fired.append((decision, target))
        if not fired:
            return None
        decision, target = fired[0]
        s_start, s_end = self._trim(text, start, end)
        sub = self.ruleset.subcategories[decision.subcategory]
        return {
            "subcategory": decision.subcategory,
            "rule_id": sub.rule_id,
            "decision": decision.id,
            "cue": text[target.start:target.end],
            "cue_rule": target.rule_id,
            "cue_start": target.start,
            "cue_end": target.end,
            "sentence_start": s_start,
            "sentence_end": s_end,
            "also": [d.subcategory for d, _ in fired[1:]],
        }


class ProcessContent:
    """The pipeline component: ``__call__`` -> ``match`` -> ``set_annotations``."""

    def __init__(self, nlp: Language, name: str, *, spans_key: str = "process_content",
                 use_model: bool = True, model_threshold: float = DEFAULT_THRESHOLD) -> None:
        self.name = name
        self.spans_key = spans_key
        self.use_model = use_model
        self.model_threshold = model_threshold
        self._detector: ProcessContentDetector | None = None
        from .. import extensions

        extensions.register()

    def initialize(self, get_examples=None, *, nlp: Language | None = None) -> None:  # noqa: ANN001
        """Load and compile the packaged rules and model (cached for the process)."""
        model = None
        if self.use_model:
            # The model was trained on spaCy's default English tokens: reuse the tokenizer the
            # clinical one replaced rather than building another.
            base = getattr(nlp.tokenizer, "language_tokenizer", None) if nlp is not None else None
            model = load_packaged(base if nlp is not None and nlp.lang == "en" else None)
        self._detector = ProcessContentDetector(shared_ruleset(), model=model,
                                                threshold=self.model_threshold)

    @property
    def detector(self) -> ProcessContentDetector:
        if self._detector is None:
            self.initialize()
        return self._detector

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[dict[str, Any]]:
        text = doc_text(doc)  # doc.text rebuilds the string from every token
        sentences = doc_sentence_spans(doc, len(text))
        if sentences is None:  # no sentence boundaries set: split here
            sentences = default_splitter().spans(text, doc_sections(doc))
        return self.detector.analyse(text, sentences)

    def set_annotations(self, doc: Doc, results: list[dict[str, Any]]) -> None:
        spans = []
        for result in results:
            span = doc.char_span(result["sentence_start"], result["sentence_end"],
                                 label=result["subcategory"], alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[self.spans_key] = spans
        doc._.process_content = results


@Language.factory(
    "note_assistant_process_content",
    default_config={"spans_key": "process_content", "use_model": True, "model_threshold": DEFAULT_THRESHOLD},
    assigns=["doc.spans", "doc._.process_content"],
)
def make_process_content(nlp: Language, name: str, spans_key: str, use_model: bool,
                         model_threshold: float) -> ProcessContent:
    return ProcessContent(nlp, name, spans_key=spans_key, use_model=use_model,
                          model_threshold=model_threshold)
