"""A table of ~500 synthetic note sentences (written for these tests, not taken from any
evaluation split) with the sense each abbreviation has. Individual rows may trade places as cue
lists evolve; the accuracy over the table must not drop."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from abbreviations import build_pipeline

TABLE = Path(__file__).with_name("sense_cases.tsv")


def _normal(text: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in text.lower().replace("'", "")).split())


@pytest.fixture(scope="module")
def rows():
    with TABLE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_sense_accuracy_over_the_table(rows):
    nlp = build_pipeline()
    wrong = []
    for row in rows:
        doc = nlp(row["text"])
        found = [a for a in doc._.abbreviations if a.text.rstrip(".") == row["form"].rstrip(".")]
        got = found[0].expansion if found else None
        if got is None or _normal(got) != _normal(row["expected"]):
            wrong.append((row["form"], row["expected"], got, row["text"]))
    accuracy = 1 - len(wrong) / len(rows)
    assert len(rows) > 400
    assert accuracy >= 0.97, f"accuracy {accuracy:.3f}; first misses: {wrong[:10]}"
