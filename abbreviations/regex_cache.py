"""Compiled forms of the packaged regular expressions, kept between runs.

Python compiles a regular expression in Python code (parse, then code generation) and keeps
the result only for the life of the process. The rule data of this project (cue tries of tens
of kilobytes, lexicon and Do-Not-Use patterns) took about 0.4 s of a cold
``note-assistant check`` to compile. This module keeps what the compiler produced (the
``_sre`` program, flags and group names) in a cache file, the way ``.pyc`` files keep
bytecode, and builds the pattern object straight from it on the next run.

* Only patterns from the packages' own data go through here (never note text or plan text:
  nothing about a client is written to the cache).
* The file is keyed by the exact Python build and regex engine version, written atomically at
  exit when something new was compiled, and ignored if unreadable. ``_sre`` checks every
  program it is given; a pattern it refuses is compiled again the ordinary way.
* ``NOTE_ASSISTANT_CACHE_DIR`` moves the cache; ``NOTE_ASSISTANT_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import atexit
import hashlib
import marshal
import os
import re
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

try:  # CPython's regex engine internals (3.11+)
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - another interpreter: compile normally
    _sre = None  # type: ignore[assignment]

_LOCK = threading.Lock()
_STORE: dict[Any, Any] | None = None
_DIRTY = False
_VERSION = 1


def cache_dir() -> Path | None:
    if os.environ.get("NOTE_ASSISTANT_NO_CACHE"):
        return None
    explicit = os.environ.get("NOTE_ASSISTANT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "note-assistant"


_PATHS: dict[tuple[str | None, ...], Path | None] = {}


def cache_path() -> Path | None:
    """The cache file for this Python build (None when caching is off)."""
    env = tuple(os.environ.get(k) for k in ("NOTE_ASSISTANT_NO_CACHE", "NOTE_ASSISTANT_CACHE_DIR",
                                             "XDG_CACHE_HOME"))
    if env not in _PATHS:
        folder = cache_dir()
        if folder is None or _sre is None:
            _PATHS[env] = None
        else:
            tag = f"{_VERSION}|{sys.version}|{sys.implementation.cache_tag}|{_sre.MAGIC}|{_sre.CODESIZE}"
            _PATHS[env] = folder / f"regex-{hashlib.sha256(tag.encode()).hexdigest()[:16]}.marshal"
    return _PATHS[env]


def _store() -> dict[Any, Any]:
    global _STORE
    if _STORE is None:
        with _LOCK:
            if _STORE is None:
                loaded: dict[Any, Any] = {}
                path = cache_path()
                if path is not None:
                    try:
                        data = marshal.loads(path.read_bytes())
                        if isinstance(data, dict):
                            loaded = data
                    except (OSError, EOFError, ValueError, TypeError):
                        loaded = {}
                _STORE = loaded
    return _STORE


#: Entries kept at most; past this the cache starts afresh (patterns built in a varying
#: order would otherwise make it grow on every run).
MAX_ENTRIES = 20_000


def _remember(key: Any, value: Any) -> None:
    global _DIRTY
    store = _store()
    with _LOCK:
        if len(store) >= MAX_ENTRIES:
            store.clear()
        store[key] = value
        if not _DIRTY:
            _DIRTY = True
            atexit.register(save)


def save() -> None:
    """Write the cache if something new was compiled (atomic; failures are ignored)."""
    global _DIRTY
    path = cache_path()
    if path is None or not _DIRTY or _STORE is None:
        return
    with _LOCK:
        payload = marshal.dumps(_STORE)
        _DIRTY = False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".regex-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # a read-only home: the next run compiles again


def compile(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:  # noqa: A001
    """``re.compile(pattern, flags)`` for a packaged pattern, from the cache when it is there."""
    flags = int(flags)
    if _sre is None or cache_path() is None or flags & re.DEBUG:
        return re.compile(pattern, flags)
    key = ("re", pattern, flags)
    entry = _store().get(key)
    if entry is not None:
        try:
            return _sre.compile(pattern, *entry)
        except Exception:  # noqa: BLE001 - a stale or damaged entry: compile it again
            pass
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    entry = (int(flags | parsed.state.flags), [int(c) for c in code], parsed.state.groups - 1, groupindex,
             tuple(indexgroup))
    compiled = _sre.compile(pattern, *entry)
    _remember(key, entry)
    return compiled


def derived(kind: str, source: str, flags: int, compute: Callable[[], Any]) -> Any:
    """A value derived from a packaged pattern (marshal-able), computed once across runs."""
    if _sre is None or cache_path() is None:
        return compute()
    key = (kind, source, int(flags))
    store = _store()
    if key in store:
        return store[key]
    value = compute()
    _remember(key, value)
    return value
