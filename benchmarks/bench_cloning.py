"""Cloning check against 5,000 earlier notes: p50/p95 of one ``check_note`` with history.

    python -m benchmarks.bench_cloning
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from note_assistant.checks import cloning  # noqa: E402
from note_assistant.checks.context import CheckContext  # noqa: E402
from note_assistant.checks.profiles import load_profile  # noqa: E402
from note_assistant.models import Note  # noqa: E402
from note_formats import builtin_formats, parse_note  # noqa: E402

_CLINICAL = (
    "client reported low mood anxiety sleep work family stress panic worry partner school "
    "session reviewed practiced thought record exposure breathing skills homework plan weekly "
    "improved declined tearful engaged affect congruent oriented alert cooperative appetite "
    "energy motivation avoidance conflict coping strategies identified triggers discussed goals "
    "progress objective rated distress values activity walk friend call sister mother job"
).split()
_FUNCTION = "the a and of to in with was for on at her his that as by this from".split()


def _vocabulary(rng: random.Random, size: int = 3000) -> tuple[list[str], list[float]]:
    """Function words, clinical words, then invented words, with Zipf-like weights: a note's
    vocabulary is large, with heavy overlap in common words (as in real notes)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    invented = {"".join(rng.choice(letters) for _ in range(rng.randint(4, 10))) for _ in range(size)}
    words = _FUNCTION + _CLINICAL + sorted(invented)
    weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(words))]
    return words, weights


_VOCAB = _vocabulary(random.Random(1))


def _sentence(rng: random.Random, n: int) -> str:
    words, weights = _VOCAB
    return " ".join(rng.choices(words, weights, k=n)).capitalize() + "."


def _note(rng: random.Random, words: int = 400) -> str:
    per = words // 4
    parts = []
    for title in ("Subjective", "Objective", "Assessment", "Plan"):
        sentences = " ".join(_sentence(rng, 10) for _ in range(per // 10))
        parts.append(f"{title}:\n{sentences}\n")
    return "Date: 2026-11-20\n\n" + "\n".join(parts)


def make_history(n: int = 5000, seed: int = 7) -> list[Note]:
    rng = random.Random(seed)
    start = dt.date(2024, 1, 1)
    return [
        Note(id=f"n-{i:05d}", client_id=f"cl-{i % 40:03d}", author_id="u-1", format="soap",
             text=_note(rng), date_of_service=start + dt.timedelta(days=i % 700))
        for i in range(n)
    ]


def run(n_history: int = 5000, repeats: int = 50) -> dict:
    history = make_history(n_history)
    rng = random.Random(99)
    text = _note(rng)
    # Copy one earlier section for the same client so the benchmark includes a hit.
    earlier = parse_note(history[0].text)
    copied = earlier.body("plan")
    current = parse_note(text)
    plan = current.section("plan")
    text = text[: plan.body_start] + copied
    formats = builtin_formats()
    profile = load_profile("default")

    def once() -> float:
        parsed = parse_note(text)
        ctx = CheckContext(parsed=parsed, fmt=formats["soap"], doc=None, profile=profile,
                           history=history, client_id="cl-000", author_id="u-1")
        t0 = time.perf_counter()
        findings = list(cloning.run(ctx))
        elapsed = time.perf_counter() - t0
        assert any(f.rule_id == "CLONE-SAME-CLIENT" for f in findings), "the copied section was missed"
        return elapsed

    t0 = time.perf_counter()
    once()  # cold: parses and indexes the history
    cold = time.perf_counter() - t0
    times = sorted(once() for _ in range(repeats))
    p50 = round(statistics.median(times) * 1000, 2)
    p95 = round(times[int(0.95 * (len(times) - 1))] * 1000, 2)
    return {
        "title": f"Cloning check against {n_history:,} earlier notes",
        "command": "python -m benchmarks bench_cloning",
        "metrics": [
            {"name": "check p50", "value": p50, "unit": "ms", "target": "<= 50 ms", "ok": p50 <= 50},
            {"name": "check p95", "value": p95, "unit": "ms", "target": "<= 50 ms", "ok": p95 <= 50},
            {"name": "first check (parses and indexes the history)", "value": round(cold * 1000), "unit": "ms"},
        ],
        "notes": (f"{n_history:,} synthetic 400-word SOAP notes (Zipf vocabulary of ~3,000 words), "
                  f"one of whose Plan sections the checked note copies; {repeats} timed checks of "
                  "the cloning family after a cold first check."),
        "history_notes": n_history, "cold_ms": round(cold * 1000, 1), "p50_ms": p50, "p95_ms": p95,
        "repeats": repeats,
    }


if __name__ == "__main__":
    result = run()
    print({k: v for k, v in result.items() if k not in ("metrics", "notes")})
