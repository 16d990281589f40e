"""How fast this (shared, virtual) machine is right now."""

from __future__ import annotations

import time


def reference_ms() -> float:
    """Milliseconds for a fixed pure-Python loop (best of 5): how fast this machine is now."""
    best = float("inf")
    for _ in range(5):
        start, total = time.perf_counter(), 0
        for i in range(1_000_000):
            total += i
        best = min(best, time.perf_counter() - start)
    return best * 1000
