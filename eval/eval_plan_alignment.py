"""Precision and recall of plan-objective matching, per (note, objective) pair, by split.

    python -m eval.eval_plan_alignment            # tune and heldout figures
    python -m eval.eval_plan_alignment --json
    python -m eval.eval_plan_alignment --split tune --errors   # tune mistakes, for tuning

Data: eval/data/plan_alignment.jsonl (policy in plan_alignment.POLICY.md). Honesty rule: the
heldout split is only ever reported as aggregate numbers; ``--errors`` refuses to show it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from note_assistant.checks.plan_alignment import align  # noqa: E402
from note_assistant.models import TreatmentPlan  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "plan_alignment.jsonl"
SPLITS = ("tune", "heldout")


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def evaluate(path: Path = DATA, splits: tuple[str, ...] = SPLITS) -> tuple[dict[str, dict], list[dict]]:
    counts = {s: {"tp": 0, "fp": 0, "fn": 0, "tn": 0, "notes": 0} for s in splits}
    tune_errors: list[dict] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        split = row.get("split")
        if split not in counts:
            continue
        plan = TreatmentPlan.model_validate(row["plan"])
        result = align(plan, row["note"])
        predicted, gold = result.addressed, set(row["addressed"])
        c = counts[split]
        c["notes"] += 1
        for obj in plan.objectives():
            key = ("tp" if obj.id in gold else "fp") if obj.id in predicted else ("fn" if obj.id in gold else "tn")
            c[key] += 1
            if split == "tune" and key in ("fp", "fn"):
                detail = next(o for o in result.objectives if o["id"] == obj.id)
                tune_errors.append({"id": row["id"], "objective": obj.id, "error": key,
                                    "score": detail["score"], "evidence": detail["evidence"]})
    report = {}
    for split, c in counts.items():
        precision = _ratio(c["tp"], c["tp"] + c["fp"])
        recall = _ratio(c["tp"], c["tp"] + c["fn"])
        f1 = round(2 * precision * recall / (precision + recall), 3) if precision and recall else None
        report[split] = {**c, "pairs": c["tp"] + c["fp"] + c["fn"] + c["tn"],
                         "precision": precision, "recall": recall, "f1": f1}
    return report, tune_errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--errors", action="store_true", help="list tune-split mistakes (never heldout)")
    parser.add_argument("--split", choices=SPLITS, action="append",
                        help="evaluate only this split (repeatable; default: both)")
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"{args.data}: no such file", file=sys.stderr)
        return 2
    report, errors = evaluate(args.data, tuple(args.split or SPLITS))
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print("plan alignment: objective matching per (note, objective) pair")
        for split, r in report.items():
            print(f"  {split:8s} notes={r['notes']:3d} pairs={r['pairs']:3d} "
                  f"precision={r['precision']} recall={r['recall']} f1={r['f1']} "
                  f"(tp={r['tp']} fp={r['fp']} fn={r['fn']})")
    if args.errors:
        for e in errors:
            print(json.dumps(e))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
