"""``make eval``: run every evaluation script and print its tune and held-out figures.

Rules are tuned on the ``tune`` split only; the ``heldout`` figures are the ones to report.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ["eval_process_content", "eval_real_notes", "eval_abbreviations", "eval_plan_alignment"]
#: Arguments that make a script print both splits (the others do by default).
BOTH_SPLITS = {"eval_process_content": ["--split", "all"], "eval_real_notes": ["--split", "all"]}


def main(argv: list[str]) -> int:
    status = 0
    for name in argv or SCRIPTS:
        if not (HERE / f"{name}.py").exists():
            print(f"== {name}: not present", flush=True)
            continue
        print(f"== {name}", flush=True)
        result = subprocess.run([sys.executable, "-m", f"eval.{name}", *BOTH_SPLITS.get(name, [])],
                                cwd=HERE.parent, check=False)
        status = status or result.returncode
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
