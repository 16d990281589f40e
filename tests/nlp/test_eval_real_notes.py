"""eval.eval_real_notes: the dev/report split and what it prints (synthetic CSV)."""

from __future__ import annotations

import csv

from eval import eval_real_notes


def _csv(path, texts: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["medical_specialty", "transcription"])
        writer.writeheader()
        for text in texts:
            writer.writerow({"medical_specialty": "test", "transcription": text})


DEV_FLAG = "I felt bored and irritated during the session with her."
REPORT_FLAG = "Part of me was glad the session ended early."


def test_even_rows_are_dev_odd_rows_report(tmp_path) -> None:
    path = tmp_path / "notes.csv"
    _csv(path, ["a", "b", "c"])
    assert [r["split"] for r in eval_real_notes.load_notes(path)] == ["dev", "report", "dev"]


def test_counts_flags_and_shows_dev_sentences_only(tmp_path, capsys) -> None:
    path = tmp_path / "notes.csv"
    _csv(path, [DEV_FLAG, REPORT_FLAG, "Client reports sleeping well."])
    assert eval_real_notes.main(["--data", str(path), "--split", "all", "--show", "10", "--json"]) == 0
    out = capsys.readouterr().out
    assert DEV_FLAG in out and REPORT_FLAG not in out
    report, _ = eval_real_notes.evaluate(eval_real_notes.load_notes(path))
    assert report["dev"]["notes"] == 2 and report["dev"]["flags"] == 1
    assert report["report"]["notes"] == 1 and report["report"]["flags"] == 1
    assert report["dev"]["from_rules"] == 1


def test_missing_data_is_skipped_with_a_message(tmp_path, capsys) -> None:
    assert eval_real_notes.main(["--data", str(tmp_path / "absent.csv")]) == 0
    assert "skipped" in capsys.readouterr().out
