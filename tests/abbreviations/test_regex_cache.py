"""The compiled-regex cache: same pattern objects as re.compile, across runs, never note text."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from abbreviations import regex_cache

PATTERNS = [
    (r"(?<![A-Za-z0-9])(?:suicid(?:e|es|al)|(?P<verb>kill)\s+(?:myself))(?![A-Za-z0-9])", re.IGNORECASE),
    (r"^(?P<lead>[ \t]*)(?P<name>plan|assessment)[ \t]*:", re.IGNORECASE | re.MULTILINE),
    (r"(\d+)\.0+\s?(mg|mcg)\b", 0),
    (r"[\u201c\"](?P<q>[^\"\u201d]{1,40})[\u201d\"]", 0),
]
TEXTS = ["Client wants to KILL   myself? Suicidal!", "Plan: weekly\n  assessment : stable",
         "Lorazepam 1.0 mg and 10.00mcg", "She said \u201cI can't\u201d and \"fine\"."]


def _same(a: re.Pattern[str], b: re.Pattern[str]) -> None:
    assert (a.pattern, a.flags, a.groups, a.groupindex) == (b.pattern, b.flags, b.groups, b.groupindex)
    for text in TEXTS:
        assert [(m.span(), m.groups()) for m in a.finditer(text)] == [
            (m.span(), m.groups()) for m in b.finditer(text)]


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    monkeypatch.setenv("NOTE_ASSISTANT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("NOTE_ASSISTANT_NO_CACHE", raising=False)
    monkeypatch.setattr(regex_cache, "_STORE", None)
    monkeypatch.setattr(regex_cache, "_DIRTY", False)
    return tmp_path


def _reload(monkeypatch) -> None:
    monkeypatch.setattr(regex_cache, "_STORE", None)
    monkeypatch.setattr(regex_cache, "_DIRTY", False)


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
def test_compiled_and_cached_patterns_equal_re_compile(fresh, monkeypatch, pattern, flags):
    _same(regex_cache.compile(pattern, flags), re.compile(pattern, flags))
    regex_cache.save()
    assert regex_cache.cache_path().is_file()
    _reload(monkeypatch)
    assert ("re", pattern, int(flags)) in regex_cache._store()  # the next run reads it back
    _same(regex_cache.compile(pattern, flags), re.compile(pattern, flags))


def test_a_damaged_cache_file_is_ignored(fresh, monkeypatch):
    path = regex_cache.cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x00not marshal at all")
    pattern, flags = PATTERNS[0]
    _same(regex_cache.compile(pattern, flags), re.compile(pattern, flags))


def test_a_damaged_entry_is_compiled_again(fresh, monkeypatch):
    pattern, flags = PATTERNS[0]
    regex_cache._store()[("re", pattern, int(flags))] = (0, [999, 1, 2], 0, {}, (None,))
    _same(regex_cache.compile(pattern, flags), re.compile(pattern, flags))


def test_no_cache_when_turned_off(fresh, monkeypatch):
    monkeypatch.setenv("NOTE_ASSISTANT_NO_CACHE", "1")
    regex_cache.compile(*PATTERNS[1])
    regex_cache.save()
    assert not list(Path(fresh).iterdir())


def test_checking_a_note_never_writes_its_text_to_the_cache(tmp_path):
    """Only packaged patterns are cached: a check in a fresh process leaves no note text."""
    marker = "Zyxquorbian"
    note = (f"S: Client {marker} reports low mood and denies SI.\nO: tearful\n"
            f"A: {marker} depression, moderate\nP: weekly CBT with {marker}\n")
    env = {**os.environ, "NOTE_ASSISTANT_CACHE_DIR": str(tmp_path)}
    env.pop("NOTE_ASSISTANT_NO_CACHE", None)
    script = ("import sys\nfrom note_assistant.checks.engine import check_note\n"
              "check_note(sys.stdin.read())\n")
    out = subprocess.run([sys.executable, "-c", script], input=note, text=True, env=env,
                         capture_output=True, timeout=180)
    assert out.returncode == 0, out.stderr
    files = list(tmp_path.iterdir())
    assert len(files) == 1 and files[0].stat().st_size > 10_000  # the rule patterns were cached
    assert marker.encode() not in files[0].read_bytes()
    assert marker.lower().encode() not in files[0].read_bytes()


def test_every_run_builds_the_same_patterns_so_the_cache_stops_growing(tmp_path):
    """Patterns built in a hash-seed-dependent order would add entries (and rewrite the file)
    on every run; two runs with different hash seeds must leave the second with nothing new."""
    note = "S: Client denies SI/HI; reports no change in mood.\nO: calm\nA: MDD\nP: CBT weekly\n"
    script = ("import sys\nfrom note_assistant.checks.engine import check_note\n"
              "check_note(sys.stdin.read())\n")

    def run(seed: str) -> set:
        env = {**os.environ, "NOTE_ASSISTANT_CACHE_DIR": str(tmp_path), "PYTHONHASHSEED": seed}
        env.pop("NOTE_ASSISTANT_NO_CACHE", None)
        out = subprocess.run([sys.executable, "-c", script], input=note, text=True, env=env,
                             capture_output=True, timeout=180)
        assert out.returncode == 0, out.stderr
        (path,) = list(tmp_path.iterdir())
        import marshal

        return set(marshal.loads(path.read_bytes()))

    first = run("1")
    assert run("2") == first


def test_the_cache_starts_afresh_past_its_size_limit(fresh, monkeypatch):
    monkeypatch.setattr(regex_cache, "MAX_ENTRIES", 3)
    for n in range(5):
        regex_cache.compile(f"x{n}y")
    assert len(regex_cache._store()) <= 3
