"""Import spaCy without its command-line package.

``import spacy`` runs ``from .cli.info import info``, which imports spaCy's whole command line
(typer, weasel, requests, httpx, ...): about a quarter of a second of a two-second cold start,
for a function this project never calls. While spaCy's own ``__init__`` runs, ``spacy.cli``
and ``spacy.cli.info`` are stand-ins; they are removed as soon as it returns, so a later
``import spacy.cli`` gets the real package, and ``spacy.info`` loads it when called.

Nothing else changes: the stand-ins exist only during that one import, and only when spaCy
has not been imported yet.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import types
from typing import Any


def _info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info``, loading spaCy's command line on first call."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


class _Loader(importlib.abc.Loader):
    """spaCy's own loader, with the stand-ins in place while the package body runs."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def create_module(self, spec: Any) -> Any:
        return self._inner.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        cli = types.ModuleType("spacy.cli")
        cli.__path__ = []  # a package, so "spacy.cli.info" resolves to the stand-in below
        info = types.ModuleType("spacy.cli.info")
        info.info = _info  # type: ignore[attr-defined]
        stand_ins = {"spacy.cli": cli, "spacy.cli.info": info}
        for name, stand_in in stand_ins.items():
            sys.modules.setdefault(name, stand_in)
        try:
            self._inner.exec_module(module)
        finally:
            for name, stand_in in stand_ins.items():
                if sys.modules.get(name) is stand_in:
                    del sys.modules[name]
            if getattr(module, "cli", None) is cli:
                delattr(module, "cli")

    def __getattr__(self, name: str) -> Any:  # resource readers and the like
        return getattr(self._inner, name)


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != "spacy":
            return None
        if self in sys.meta_path:
            sys.meta_path.remove(self)  # one import only
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loader(spec.loader)
        return spec


def defer_spacy_cli() -> None:
    """Arrange for spaCy, when first imported, to skip importing its command line."""
    if "spacy" in sys.modules or any(isinstance(f, _Finder) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _Finder())
