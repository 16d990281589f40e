"""Seeded, stratified tune/heldout split for labelled evaluation corpora.

    split(items, key, seed, heldout_share) -> items

Each item is a dict. Items are grouped by ``key(item)`` (e.g. label and
subcategory). Each group is shuffled with one ``random.Random(seed)``, walking the
groups in sorted key order, and the first ``round(len(group) * heldout_share)`` of it
are marked ``split = "heldout"``; the rest are marked ``"tune"``. Items keep their
original order in the returned list. The same input, key and seed always give the
same split.

Command line: python -m eval.split_corpus FILE.jsonl [--seed N] [--share F] [--key a,b]
rewrites FILE.jsonl in place with a "split" field on every line.
"""
from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from typing import Callable, Hashable, Iterable


def split(items: Iterable[dict], key: Callable[[dict], Hashable], seed: int,
          heldout_share: float = 0.4) -> list[dict]:
    if not 0.0 <= heldout_share <= 1.0:
        raise ValueError("heldout_share must be between 0 and 1")
    items = list(items)
    groups: dict[Hashable, list[int]] = defaultdict(list)
    for i, item in enumerate(items):
        groups[key(item)].append(i)
    rng = random.Random(seed)
    for k in sorted(groups, key=repr):
        idx = groups[k][:]
        rng.shuffle(idx)
        n_held = round(len(idx) * heldout_share)
        for j, i in enumerate(idx):
            items[i]["split"] = "heldout" if j < n_held else "tune"
    return items


def _main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path")
    ap.add_argument("--seed", type=int, default=20261126)
    ap.add_argument("--share", type=float, default=0.4)
    ap.add_argument("--key", default="label,subcategory",
                    help="comma-separated fields to stratify on")
    a = ap.parse_args()
    fields = a.key.split(",")
    with open(a.path, encoding="utf-8") as f:
        items = [json.loads(line) for line in f if line.strip()]
    split(items, lambda it: tuple(it.get(k) for k in fields), a.seed, a.share)
    with open(a.path, "w", encoding="utf-8") as f:
        for it in items:
            f.write(json.dumps(it, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    _main()
