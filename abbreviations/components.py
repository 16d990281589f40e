"""spaCy components: ``abbreviations_expander``, ``abbreviations_do_not_use`` and
``abbreviations_senter``, plus the ``abbreviations.ClinicalTokenizer.v1`` tokenizer.

Configs hold scalars only. Data is read from the package (``importlib.resources``) in
``initialize()`` or on first use, and parsed once per process. Registered for other pipelines
through the ``spacy_factories`` entry point, so ``nlp.add_pipe("abbreviations_expander")``
works wherever the package is installed.
"""

from __future__ import annotations

import os

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry

from .do_not_use import DoNotUseChecker, get_checker
from .expander import Expander, doc_sections
from .extensions import register_extensions
from .inventory import load_inventory
from .sentences import SentenceComponent
from .tokenizer import clinical_tokenizer_factory

registry.tokenizers("abbreviations.ClinicalTokenizer.v1", func=clinical_tokenizer_factory)


def _split_paths(value: str) -> list[str]:
    return [p for p in value.split(os.pathsep) if p.strip()]


class ExpanderComponent:
    """Sets ``doc._.abbreviations``."""

    def __init__(self, nlp: Language, name: str, *, window: int, ambiguity_margin: float,
                 use_definitions: bool, extra_paths: str) -> None:
        register_extensions()
        self.name = name
        self.window = window
        self.ambiguity_margin = ambiguity_margin
        self.use_definitions = use_definitions
        self.extra_paths = extra_paths
        """Clinic inventory files, separated by ``os.pathsep``."""
        self._expander: Expander | None = None

    def initialize(self, get_examples=None, *, nlp: Language | None = None) -> None:
        """Load and compile the inventory (otherwise done on the first document)."""
        self._expander = Expander(
            load_inventory(_split_paths(self.extra_paths)),
            window=self.window, ambiguity_margin=self.ambiguity_margin,
            use_definitions=self.use_definitions,
        )

    @property
    def expander(self) -> Expander:
        if self._expander is None:
            self.initialize()
        assert self._expander is not None
        return self._expander

    def __call__(self, doc: Doc) -> Doc:
        doc._.abbreviations = self.expander.find(doc, doc_sections(doc))
        return doc


class DoNotUseComponent:
    """Sets ``doc._.do_not_use``."""

    def __init__(self, nlp: Language, name: str, *, exclude_rules: str) -> None:
        register_extensions()
        self.name = name
        self.exclude_rules = exclude_rules
        """Rule ids to switch off, comma-separated (e.g. ``ISMP-DOSE-UNIT-SPACING``)."""
        self._checker: DoNotUseChecker | None = None

    def initialize(self, get_examples=None, *, nlp: Language | None = None) -> None:
        excluded = [r.strip() for r in self.exclude_rules.split(",") if r.strip()]
        self._checker = get_checker(excluded)

    @property
    def checker(self) -> DoNotUseChecker:
        if self._checker is None:
            self.initialize()
        assert self._checker is not None
        return self._checker

    def __call__(self, doc: Doc) -> Doc:
        doc._.do_not_use = self.checker.find_in_doc(doc)
        return doc


@Language.factory(
    "abbreviations_expander",
    default_config={"window": 10, "ambiguity_margin": 0.3, "use_definitions": True,
                    "extra_paths": ""},
    assigns=["doc._.abbreviations"],
)
def make_expander(nlp: Language, name: str, window: int, ambiguity_margin: float,
                  use_definitions: bool, extra_paths: str) -> ExpanderComponent:
    return ExpanderComponent(nlp, name, window=window, ambiguity_margin=ambiguity_margin,
                             use_definitions=use_definitions, extra_paths=extra_paths)


@Language.factory(
    "abbreviations_do_not_use",
    default_config={"exclude_rules": ""},
    assigns=["doc._.do_not_use"],
)
def make_do_not_use(nlp: Language, name: str, exclude_rules: str) -> DoNotUseComponent:
    return DoNotUseComponent(nlp, name, exclude_rules=exclude_rules)


@Language.factory("abbreviations_senter", assigns=["token.is_sent_start"])
def make_senter(nlp: Language, name: str) -> SentenceComponent:
    return SentenceComponent(nlp, name)
