"""``make bench``: run every benchmarks/bench_*.py, print the figures, rewrite BENCHMARKS.md."""

from __future__ import annotations

import datetime as dt
import importlib
import platform
import sys
from pathlib import Path

from .machine import reference_ms

HERE = Path(__file__).resolve().parent


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 100 else f"{value:,.0f}"
    return str(value)


def _render(result: dict) -> list[str]:
    lines = [f"## {result.get('title', result.get('name', '?'))}", ""]
    lines.append(f"Command: `{result.get('command', 'make bench')}`")
    lines.append("")
    metrics = result.get("metrics")
    if metrics:
        lines += ["| measure | value | target | met |", "|---|---|---|---|"]
        for m in metrics:
            met = {True: "yes", False: "**no**", None: ""}[m.get("ok")]
            lines.append(f"| {m['name']} | {_fmt(m['value'])} {m.get('unit', '')} | {m.get('target') or ''} | {met} |")
    else:
        lines += ["| measure | value |", "|---|---|"]
        for key, value in result.items():
            if key not in ("title", "command", "notes", "name"):
                lines.append(f"| {key} | {_fmt(value)} |")
    if result.get("notes"):
        lines += ["", str(result["notes"])]
    return lines + [""]


def main(argv: list[str]) -> int:
    names = argv or sorted(p.stem for p in HERE.glob("bench_*.py"))
    sections: list[str] = []
    before = reference_ms()
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"== {name}", flush=True)
        loop_before = reference_ms()
        result = module.run()
        loop_after = reference_ms()
        rendered = _render(result)
        # The machine's speed drifts within a run: say what it was around each section.
        rendered.insert(-1, "")
        rendered.insert(-1, f"Machine speed around this section: the reference loop took "
                            f"{loop_before:.0f} ms before it and {loop_after:.0f} ms after it.")
        print("\n".join(rendered), flush=True)
        sections += rendered
    after = reference_ms()
    header = [
        "# Benchmarks", "",
        f"Produced by `make bench` on {dt.date.today()} ({platform.python_implementation()} "
        f"{platform.python_version()}, {platform.machine()}, {__import__('os').cpu_count()} CPUs). "
        "Re-run to refresh; numbers vary with the machine.", "",
        f"Machine speed: a fixed pure-Python loop (1,000,000 additions) took {before:.0f} ms "
        f"before the run and {after:.0f} ms after it. On this shared virtual machine the same "
        "loop has taken from about 40 ms to 170 ms, and it can change within a run (each "
        "section gives the loop time around it). Every timing below scales with it, so "
        "compare figures only with the loop time next to them.", "",
    ]
    if not argv:
        (HERE.parent / "BENCHMARKS.md").write_text("\n".join(header + sections), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
