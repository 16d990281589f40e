"""Check latency in-process, CLI throughput, cold start and peak memory (issue #3 targets)."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .corpus import ASSESSMENT, OBJECTIVE, PLAN, SUBJECTIVE, notes
from .machine import reference_ms

TITLE = "Checking notes"
#: Real third-party notes (MTSamples psychiatry and SOAP, ../shared/data), read at bench time
#: for the new-vocabulary row only; never copied into the repository.
MTSAMPLES = Path(__file__).resolve().parents[2] / "shared" / "data" / "mtsamples_psych_soap" / "mtsamples_psych_soap.csv"


def _real_notes(low: int = 250, high: int = 700) -> list[str]:
    """MTSamples notes of ``low``-``high`` words (empty when the shared data is absent)."""
    import csv

    if not MTSAMPLES.exists():
        return []
    csv.field_size_limit(10_000_000)
    with MTSAMPLES.open(encoding="utf-8") as handle:
        texts = [row["transcription"] for row in csv.DictReader(handle)]
    return [t for t in texts if low <= len(t.split()) <= high]


def _first_seen(check_note) -> tuple[list[float], int]:  # noqa: ANN001 - the engine function
    """Milliseconds per 400 words to check each real note once (its new words included)."""
    real = _real_notes()
    times = []
    for text in real:
        t = time.perf_counter()
        check_note(text)
        times.append((time.perf_counter() - t) * 1000 * 400 / len(text.split()))
    return times, len(real)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _cli() -> str:
    return str(Path(sys.executable).with_name("note-assistant"))


def _measure_child(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall seconds, peak RSS MB) of one command run in a fresh wrapper process."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "w = time.perf_counter() - t\n"
        "print(w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe, *cmd], capture_output=True, text=True, check=True,
                         env=env)
    wall, rss = out.stdout.split()
    return float(wall), float(rss)


def run() -> dict:
    from note_assistant.checks.engine import check_note
    from note_assistant.nlp import get_nlp

    sample = notes(300)
    nlp = get_nlp()
    for text in sample[:20]:
        check_note(text)  # warm caches
    full, tok = [], []
    loop_before = reference_ms()
    for text in sample:
        t = time.perf_counter()
        nlp.tokenizer(text)
        tok.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        check_note(text)
        full.append((time.perf_counter() - t) * 1000)
    loop_after = reference_ms()
    words = statistics.mean(len(t.split()) for t in sample)
    distinct = sum(len(pool) for pool in (ASSESSMENT, OBJECTIVE, PLAN, SUBJECTIVE))
    real, real_count = _first_seen(check_note)

    folder = Path(tempfile.mkdtemp(prefix="na-bench-"))
    try:
        for index, text in enumerate(notes(1000)):
            (folder / f"note{index:04d}.md").write_text(text, encoding="utf-8")
        one = folder / "note0000.md"
        # A fresh compiled-regex cache (abbreviations.regex_cache): the first run ever fills it.
        env = {**os.environ, "NOTE_ASSISTANT_CACHE_DIR": str(folder / "cache")}
        env.pop("NOTE_ASSISTANT_NO_CACHE", None)
        first = _measure_child([_cli(), "check", str(one)], env)
        cold = [_measure_child([_cli(), "check", str(one)], env) for _ in range(5)]
        batch = [_measure_child([_cli(), "check", "--json", str(folder)], env) for _ in range(3)]
    finally:
        shutil.rmtree(folder)
    batch_wall = statistics.median(w for w, _ in batch)
    p50, p99 = statistics.median(full), _pct(full, 0.99)
    tok50 = statistics.median(tok)
    return {
        "title": TITLE,
        "command": "make bench (benchmarks/bench_check.py)",
        "metrics": [
            {"name": f"in-process check_note, {words:.0f}-word note, p50", "value": p50, "unit": "ms", "target": "<= 5 ms", "ok": p50 <= 5},
            {"name": "in-process check_note p99", "value": p99, "unit": "ms", "target": "<= 20 ms", "ok": p99 <= 20},
            *([{"name": f"same, {real_count} real notes (MTSamples, 250-700 words) each checked once, p50 per 400 words", "value": statistics.median(real), "unit": "ms", "target": None, "ok": None},
               {"name": "same, p99 per 400 words", "value": _pct(real, 0.99), "unit": "ms", "target": None, "ok": None}]
              if real else []),
            {"name": "spaCy tokenizer only, same notes, p50", "value": tok50, "unit": "ms", "target": None, "ok": None},
            {"name": "ratio full check / tokenizer (p50)", "value": p50 / tok50 if tok50 else 0, "unit": "x", "target": None, "ok": None},
            {"name": "`note-assistant check --json DIR`, 1,000 notes, end to end", "value": 1000 / batch_wall, "unit": "notes/s", "target": ">= 300 notes/s", "ok": 1000 / batch_wall >= 300},
            {"name": "cold start `note-assistant check one.md` (new process, median of 5)", "value": statistics.median(w for w, _ in cold), "unit": "s", "target": "<= 1.5 s", "ok": statistics.median(w for w, _ in cold) <= 1.5},
            {"name": "same, the first run ever (compiled-regex cache empty)", "value": first[0], "unit": "s", "target": None, "ok": None},
            {"name": "peak memory, 1,000-note batch (largest process)", "value": max(r for _, r in batch + cold + [first]), "unit": "MB", "target": "<= 300 MB", "ok": max(r for _, r in batch + cold + [first]) <= 300},
        ],
        "notes": (f"{os.cpu_count()} CPUs; 300 notes in-process after 20 warm-up checks (the reference "
                  f"loop took {loop_before:.0f} ms before them and {loop_after:.0f} ms after). The synthetic notes "
                  f"are drawn from {distinct} template sentences, so after a few notes every word and phrase "
                  "is in the tokenizer's and the matchers' caches: the real notes, each checked once in "
                  "the same process with mostly new words, show what a note with its own vocabulary costs "
                  "(MTSamples, read from ../shared/data at bench time; the row is left out without it). "
                  "The batch uses "
                  "worker processes (forked after a warm-up check), each rendering its files' JSON lines. "
                  "Cold starts and batches run with a compiled-regex cache of their own, filled by the "
                  "first run (as a user's is after their first check)."),
    }
