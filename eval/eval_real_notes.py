"""How often process content fires on real notes: the MTSamples psychiatry and SOAP dictations.

    python -m eval.eval_real_notes [--split dev|all] [--json] [--show N [--source rules|classifier]]

The labelled sentence corpus (eval_process_content) was written in the same hands as the rules;
these 219 real third-party notes (``../shared/data/mtsamples_psych_soap``, read in place, never
shipped) are not labelled. Most are medical, not therapy notes, and a hand-labelled sample of
the flags found almost none that were psychotherapy-note content, so the number of flagged
sentences per note is a proxy for false alarms: lower is better, though not every flag is
false.

The notes are split by position: even rows are the *dev* half, odd rows the *report* half.
Changes to the rules, the training sentences or the classifier's gate may be made while
looking at dev flags (``--show`` prints dev flags only); the report half's figures are counts,
printed only with ``--split all``, and its sentences are never printed.

Skipped with a message when the shared data is absent.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

MTSAMPLES = (Path(__file__).resolve().parents[2] / "shared" / "data" / "mtsamples_psych_soap"
             / "mtsamples_psych_soap.csv")
SPLITS = ("dev", "report")


def load_notes(path: Path = MTSAMPLES) -> list[dict[str, str]]:
    """Rows of the CSV, each with a ``split`` key (even rows dev, odd rows report)."""
    csv.field_size_limit(10_000_000)
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for index, row in enumerate(rows):
        row["split"] = SPLITS[index % 2]
    return rows


def flags(text: str) -> list[dict[str, Any]]:
    """The process-content findings ``check_note`` gives a whole note (format detected)."""
    from note_assistant.checks import check_note

    return [{"rule_id": f.rule_id, "decision": f.data.get("decision"),
             "start": f.start, "end": f.end, "text": f.text}
            for f in check_note(text).findings if f.category == "process-content"]


def evaluate(rows: list[dict[str, str]], splits: tuple[str, ...] = SPLITS
             ) -> tuple[dict[str, Any], list[tuple[str, dict]]]:
    """Counts per split, and the dev flags (``(note text, flag)``) for ``--show``."""
    report: dict[str, Any] = {}
    dev_flags: list[tuple[str, dict]] = []
    for split in splits:
        notes = [r for r in rows if r["split"] == split]
        by_source: Counter[str] = Counter()
        by_rule: Counter[str] = Counter()
        flagged_notes = 0
        for row in notes:
            found = flags(row["transcription"])
            flagged_notes += bool(found)
            for flag in found:
                by_source["classifier" if flag["decision"] == "model" else "rules"] += 1
                by_rule[flag["decision"] or flag["rule_id"]] += 1
                if split == "dev":
                    dev_flags.append((row["transcription"], flag))
        total = sum(by_source.values())
        report[split] = {
            "notes": len(notes),
            "flags": total,
            "flags_per_note": round(total / len(notes), 2) if notes else None,
            "notes_with_a_flag": flagged_notes,
            "from_rules": by_source["rules"],
            "from_classifier": by_source["classifier"],
            "by_decision": dict(by_rule.most_common()),
        }
    return report, dev_flags


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "all"], default="dev",
                        help="dev (default) or all (dev and report)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--source", choices=["rules", "classifier"],
                        help="with --show: only flags from this source")
    parser.add_argument("--show", type=int, default=0, metavar="N",
                        help="print N random flags of the dev half (never the report half)")
    parser.add_argument("--seed", type=int, default=0, help="seed for --show's sample")
    parser.add_argument("--data", type=Path, default=MTSAMPLES)
    args = parser.parse_args(argv)

    if not args.data.exists():
        print(f"skipped: {args.data} not found (shared data absent)")
        return 0
    splits = SPLITS if args.split == "all" else ("dev",)
    report, dev_flags = evaluate(load_notes(args.data), splits)
    if args.source:
        dev_flags = [(t, f) for t, f in dev_flags
                     if (f["decision"] == "model") == (args.source == "classifier")]
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for split, figures in report.items():
            print(f"== {split}: {figures['notes']} notes, {figures['flags']} flagged sentences "
                  f"({figures['flags_per_note']} a note; {figures['notes_with_a_flag']} notes "
                  f"with one): rules {figures['from_rules']}, classifier "
                  f"{figures['from_classifier']}")
            print("   by decision: " + ", ".join(f"{k} {v}" for k, v in figures["by_decision"].items()))
    if args.show:
        rng = random.Random(args.seed)
        print(f"\n== {min(args.show, len(dev_flags))} random dev flags")
        for text, flag in rng.sample(dev_flags, min(args.show, len(dev_flags))):
            print(f"[{flag['decision']}] {flag['text'][:220]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
