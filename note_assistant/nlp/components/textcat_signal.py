"""The optional second signal: a small bag-of-words text classifier over sentences.

The explainable rules decide first. A *near miss* (a sentence with a hint cue such as a hedge, a
dream word or a feeling word, but no decision fired, and none of the rules' veto categories such
as a client's belief or a plan) is scored by a spaCy ``textcat`` (``TextCatBOW``, unigrams and
bigrams, about 0.6 MB) trained on the *tune* split of ``eval/data/process_content.jsonl`` only.
At or above the threshold it is reported with ``decision = "model"``; its sub-category and cue
come from the first hint category present (``[model]`` in ``decisions.toml``), so a model
finding still points at words in the sentence.

The classifier reads more than the words: :func:`model_input` puts one token per cue category
the rules found in the sentence (``zzhedge``, ``zzclientsubj``...) before it, so the model
weighs what the rules saw (who the subject is, a hedge, a medication word) beside the
vocabulary. Trained on words alone, it had learnt that a sentence without progress-note
vocabulary is psychotherapy-note content, and flagged most sentences of medical dictations.

Train with ``python -m eval.eval_process_content --train-textcat`` (writes
``data/process_content_textcat.{cfg,bin}``). Without those files the component runs rules only.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokenizer import Tokenizer

MODEL_STEM = "process_content_textcat"
POSITIVE = "pc"
NEGATIVE = "none"
#: Training settings (kept here so training and loading agree).
MODEL_CONFIG = {
    "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 2,
    "no_output_layer": False, "length": 65536,
}


#: Prefix of the category tokens (not an English word start, so no clash with the text's).
FEATURE_PREFIX = "zz"


def model_input(sentence: str, categories: Iterable[str]) -> str:
    """What the classifier reads: a token per cue category present, then the sentence."""
    tokens = " ".join(FEATURE_PREFIX + c.lower().replace("_", "") for c in sorted(categories))
    return f"{tokens} . {sentence}" if tokens else sentence


def build_untrained() -> "Language":
    import spacy

    nlp = spacy.blank("en")
    textcat = nlp.add_pipe("textcat", config={"model": dict(MODEL_CONFIG)})
    textcat.add_label(NEGATIVE)
    textcat.add_label(POSITIVE)
    return nlp


def train(texts: Sequence[str], labels: Sequence[int], *, epochs: int = 20, seed: int = 0,
          dropout: float = 0.2, batch_size: int = 8) -> "Language":
    """Train the classifier (label 1 = psychotherapy-note content). Deterministic for a seed."""
    import random

    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(seed)
    rng = random.Random(seed)
    nlp = build_untrained()
    examples = [
        Example.from_dict(nlp.make_doc(text), {"cats": {POSITIVE: float(y == 1),
                                                         NEGATIVE: float(y != 1)}})
        for text, y in zip(texts, labels)
    ]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(epochs):
        rng.shuffle(examples)
        for batch in minibatch(examples, batch_size):
            nlp.update(batch, sgd=optimizer, drop=dropout)
    return nlp


def save(nlp: "Language", folder) -> list:  # noqa: ANN001 - a pathlib.Path
    """Write ``<stem>.cfg`` and ``<stem>.bin`` into ``folder``; return the paths."""
    cfg = folder / f"{MODEL_STEM}.cfg"
    data = folder / f"{MODEL_STEM}.bin"
    cfg.write_text(nlp.config.to_str(), encoding="utf-8")
    data.write_bytes(nlp.to_bytes(exclude=["vocab"]))
    return [cfg, data]


@functools.cache
def load_packaged(tokenizer: "Tokenizer | None" = None) -> "SentenceModel | None":
    """The packaged model (cached), or None when it has not been trained.

    ``tokenizer``: spaCy's default English tokenizer (the one the model was trained with) when
    the caller already has one, so loading does not build a second (a fifth of start-up).
    """
    folder = resources.files("note_assistant.nlp") / "data"
    cfg, data = folder / f"{MODEL_STEM}.cfg", folder / f"{MODEL_STEM}.bin"
    if not (cfg.is_file() and data.is_file()):
        return None
    from thinc.api import Config

    config = Config().from_str(cfg.read_text(encoding="utf-8"))
    if tokenizer is None:
        from spacy.util import load_model_from_config

        nlp = load_model_from_config(config, auto_fill=True)
        nlp.from_bytes(data.read_bytes(), exclude=["vocab"])
    else:
        from spacy.lang.en import English

        nlp = English(vocab=tokenizer.vocab, create_tokenizer=lambda _nlp: tokenizer)
        settings = {k: v for k, v in config["components"]["textcat"].items() if k != "factory"}
        nlp.add_pipe("textcat", config=settings)
        nlp.from_bytes(data.read_bytes(), exclude=["vocab", "tokenizer"])
    return SentenceModel(nlp)


class SentenceModel:
    """Scores sentences: probability that each belongs in the psychotherapy note."""

    def __init__(self, nlp: "Language") -> None:
        from abbreviations.tokenizer import ClinicalTokenizer

        self.nlp = nlp
        self._textcat = nlp.get_pipe("textcat")
        self._column = list(self._textcat.labels).index(POSITIVE)
        # spaCy's own tokens, as in training, with the clinical wrapper's two guards: long
        # spaceless runs are cut (a sentence holding 32,000 quotes took 155 s to split) and
        # every chunk is cached (a sentence is scored again at each pause in typing).
        tokenizer = nlp.tokenizer
        self._tokenize = tokenizer if isinstance(tokenizer, ClinicalTokenizer) else ClinicalTokenizer(tokenizer)

    def scores(self, texts: Iterable[str]) -> list[float]:
        """P(psychotherapy-note content) per text (one batched forward pass)."""
        docs = [self._tokenize(text) for text in texts]
        if not docs:
            return []
        return [float(row[self._column]) for row in self._textcat.predict(docs)]
