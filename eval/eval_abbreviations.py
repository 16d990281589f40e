"""Abbreviation sense accuracy, inventory coverage and Do-Not-Use detection, by split.

    python -m eval.eval_abbreviations            # tune and heldout figures
    python -m eval.eval_abbreviations --json
    python -m eval.eval_abbreviations --errors   # tune mistakes only, for tuning

Data:
* eval/data/abbreviation_senses.jsonl: {id, text, start, end, form, expected, ambiguous, split}.
  A case is right when the expander's sense for the abbreviation at [start, end) equals
  ``expected`` after normalising (lower case, hyphens and punctuation to spaces) or has a
  rapidfuzz token_set_ratio >= 90 with it. The baseline takes each form's highest-prior sense.
* eval/data/do_not_use_cases.jsonl: {id, text, expected: [{rule_id, start, end}], split}:
  positives and hard negatives; recall over expected hits, false positives over all cases.
* Coverage: abbreviation-like tokens of the MTSamples psychiatry/SOAP transcriptions
  (../shared/data; skipped with a message when absent) that the inventory knows.

Honesty rule: the heldout split is only ever reported as aggregate numbers; ``--errors`` and the
confusion list show tune cases only.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapidfuzz import fuzz  # noqa: E402

from abbreviations import build_pipeline, load_inventory  # noqa: E402

HERE = Path(__file__).resolve().parent
SENSES = HERE / "data" / "abbreviation_senses.jsonl"
DNU_CASES = HERE / "data" / "do_not_use_cases.jsonl"
MTSAMPLES = HERE.parents[1] / "shared" / "data" / "mtsamples_psych_soap" / "mtsamples_psych_soap.csv"
SPLITS = ("tune", "heldout")
ABBREVIATION_LIKE = re.compile(
    r"(?<![\w/.&])(?:[A-Za-z][A-Za-z0-9&]{1,5}|[A-Za-z]{1,2}/[A-Za-z]{1,2}|(?:[A-Za-z]\.){2,4})(?![\w/&])"
)


def normalise(text: str) -> str:
    text = text.lower().replace("'", "").replace("’", "")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def same_sense(predicted: str | None, expected: str) -> bool:
    if predicted is None:
        return False
    a, b = normalise(predicted), normalise(expected)
    return a == b or fuzz.token_set_ratio(a, b) >= 90


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def evaluate_senses(path: Path = SENSES) -> tuple[dict, list[dict]]:
    nlp = build_pipeline()
    inventory = load_inventory()
    counts = {s: Counter() for s in SPLITS}
    tune_errors: list[dict] = []
    for row in _rows(path):
        split = row.get("split")
        if split not in counts:
            continue
        doc = nlp(row["text"])
        start, end = row["start"], row["end"]
        found = next((a for a in doc._.abbreviations if a.start < end and a.end > start), None)
        predicted = found.expansion if found else None
        match = inventory.lookup(row["text"][start:end])
        baseline = max(match.entry.senses, key=lambda s: s.prior).expansion if match else None
        c = counts[split]
        c["cases"] += 1
        c["correct"] += same_sense(predicted, row["expected"])
        c["baseline_correct"] += same_sense(baseline, row["expected"])
        c["found"] += found is not None
        if row.get("ambiguous"):
            c["ambiguous_cases"] += 1
            c["ambiguous_correct"] += same_sense(predicted, row["expected"])
        if found is not None and found.ambiguous:
            c["flagged_ambiguous"] += 1
        if split == "tune" and not same_sense(predicted, row["expected"]):
            tune_errors.append({"id": row["id"], "form": row["form"], "expected": row["expected"],
                                "predicted": predicted,
                                "confidence": found.confidence if found else None,
                                "text": row["text"]})
    report = {}
    for split, c in counts.items():
        report[split] = {
            "cases": c["cases"],
            "accuracy": _ratio(c["correct"], c["cases"]),
            "baseline_accuracy": _ratio(c["baseline_correct"], c["cases"]),
            "ambiguous_cases": c["ambiguous_cases"],
            "ambiguous_accuracy": _ratio(c["ambiguous_correct"], c["ambiguous_cases"]),
            "detected": _ratio(c["found"], c["cases"]),
            "flagged_ambiguous": c["flagged_ambiguous"],
        }
    return report, tune_errors


def evaluate_do_not_use(path: Path = DNU_CASES) -> tuple[dict, list[dict]]:
    nlp = build_pipeline()
    counts = {s: Counter() for s in SPLITS}
    tune_errors: list[dict] = []
    for row in _rows(path):
        split = row.get("split")
        if split not in counts:
            continue
        hits = {(h.rule_id, h.start, h.end) for h in nlp(row["text"])._.do_not_use}
        expected = {(e["rule_id"], e["start"], e["end"]) for e in row["expected"]}
        c = counts[split]
        c["cases"] += 1
        c["positives"] += len(expected)
        c["hard_negative_cases"] += not expected
        c["found"] += len(hits & expected)
        c["false_positives"] += len(hits - expected)
        if split == "tune" and hits != expected:
            tune_errors.append({"id": row["id"], "text": row["text"], "missed": sorted(expected - hits),
                                "unexpected": sorted(hits - expected)})
    report = {
        split: {"cases": c["cases"], "positives": c["positives"],
                "hard_negative_cases": c["hard_negative_cases"],
                "recall": _ratio(c["found"], c["positives"]),
                "false_positives": c["false_positives"]}
        for split, c in counts.items()
    }
    return report, tune_errors


def evaluate_coverage(path: Path = MTSAMPLES, top: int = 15) -> dict:
    if not path.exists():
        return {"skipped": f"{path} not found (shared data absent)"}
    inventory = load_inventory()
    csv.field_size_limit(10_000_000)
    with path.open(encoding="utf-8") as handle:
        texts = [row["transcription"] for row in csv.DictReader(handle)]
    lowercase_words = {w for text in texts for w in re.findall(r"\b[a-z]+\b", text)}
    seen = Counter()
    known = Counter()
    for text in texts:
        for match in ABBREVIATION_LIKE.finditer(text):
            token = match.group(0)
            letters = [ch for ch in token if ch.isalpha()]
            uppers = sum(ch.isupper() for ch in letters)
            shaped = "/" in token or "." in token
            if not shaped and (not letters or uppers * 3 < len(letters) * 2 or len(token) < 2):
                continue
            seen[token] += 1
            if inventory.lookup(token) is not None:
                known[token] += 1
    # upper-case headings and shouting (PLAN, HISTORY) are words, not abbreviations
    headings = {t for t in seen if t.isalpha() and t.isupper() and t.lower() in lowercase_words
                and inventory.lookup(t) is None}
    total = sum(seen.values())
    total_ex = sum(n for t, n in seen.items() if t not in headings)
    hit = sum(known.values())
    unknown = Counter({t: n for t, n in seen.items() if t not in known and t not in headings})
    return {
        "notes": len(texts),
        "tokens": total,
        "covered": _ratio(hit, total),
        "tokens_excluding_capitalised_words": total_ex,
        "covered_excluding_capitalised_words": _ratio(hit, total_ex),
        "types": len(seen),
        "types_covered": _ratio(len(known), len(seen)),
        "top_unknown": unknown.most_common(top),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Evaluate the abbreviations package.")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--errors", action="store_true", help="list tune-split mistakes")
    args = parser.parse_args(argv)
    if not SENSES.exists():
        print(f"{SENSES} not found", file=sys.stderr)
        return 2
    senses, sense_errors = evaluate_senses()
    dnu, dnu_errors = evaluate_do_not_use() if DNU_CASES.exists() else ({}, [])
    coverage = evaluate_coverage()
    confusion = Counter((e["form"], e["expected"], e["predicted"]) for e in sense_errors)
    report = {
        "senses": senses,
        "confusion_tune": [
            {"form": f, "expected": exp, "predicted": pred, "count": n}
            for (f, exp, pred), n in confusion.most_common()
        ],
        "coverage_mtsamples": coverage,
        "do_not_use": dnu,
    }
    if args.errors:
        report["tune_errors"] = {"senses": sense_errors, "do_not_use": dnu_errors}
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0
    print("Sense accuracy (expander vs majority-sense baseline):")
    for split in SPLITS:
        s = senses[split]
        print(f"  {split:8} n={s['cases']:4}  accuracy={s['accuracy']}  baseline={s['baseline_accuracy']}"
              f"  ambiguous-form cases={s['ambiguous_cases']} accuracy={s['ambiguous_accuracy']}"
              f"  detected={s['detected']}  flagged ambiguous={s['flagged_ambiguous']}")
    print("Confusions (tune only):")
    for item in report["confusion_tune"] or [{"form": "-", "expected": "", "predicted": "", "count": 0}]:
        if item["count"]:
            print(f"  {item['form']:8} expected {item['expected']!r} got {item['predicted']!r} x{item['count']}")
    print("Coverage of abbreviation-like tokens in MTSamples psychiatry/SOAP notes:")
    if "skipped" in coverage:
        print(f"  skipped: {coverage['skipped']}")
    else:
        print(f"  {coverage['covered']} of {coverage['tokens']} tokens; "
              f"{coverage['covered_excluding_capitalised_words']} excluding capitalised words; "
              f"{coverage['types_covered']} of {coverage['types']} distinct forms")
        print("  most frequent unknown:", ", ".join(f"{t} ({n})" for t, n in coverage["top_unknown"]))
    print("Do-Not-Use detection:")
    for split in SPLITS:
        if split in dnu:
            d = dnu[split]
            print(f"  {split:8} cases={d['cases']} positives={d['positives']} recall={d['recall']} "
                  f"false positives={d['false_positives']} (hard-negative cases={d['hard_negative_cases']})")
    if args.errors:
        print("Tune errors:")
        for e in sense_errors:
            print(f"  [{e['id']}] {e['form']}: expected {e['expected']!r}, got {e['predicted']!r}"
                  f" ({e['confidence']})\n      {e['text']}")
        for e in dnu_errors:
            print(f"  [{e['id']}] missed={e['missed']} unexpected={e['unexpected']}\n      {e['text']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
