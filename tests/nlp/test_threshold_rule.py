"""The sentence classifier's threshold rule (eval_process_content.pick_threshold)."""

from __future__ import annotations

from eval.eval_process_content import pick_threshold


def _entry(rows: dict[str, tuple[float, int, int | None]], negatives: int = 100) -> dict:
    return {"scored_negatives": negatives,
            "by_threshold": {t: {"recall": r, "false_alarms": fa, "dev_flags": dev}
                             for t, (r, fa, dev) in rows.items()}}


def test_highest_recall_within_both_limits() -> None:
    entry = _entry({"0.5": (0.9, 9, 96), "0.6": (0.83, 3, 50), "0.7": (0.73, 2, 31),
                    "0.8": (0.6, 0, 15)})
    assert pick_threshold(entry) == 0.6


def test_one_dev_flag_or_false_alarm_too_many_moves_it_up() -> None:
    assert pick_threshold(_entry({"0.6": (0.83, 3, 51), "0.7": (0.73, 2, 31)})) == 0.7
    assert pick_threshold(_entry({"0.6": (0.83, 6, 40), "0.7": (0.73, 2, 31)})) == 0.7


def test_nothing_allowed_or_no_dev_half() -> None:
    assert pick_threshold(_entry({"0.5": (0.9, 20, 96)})) is None
    assert pick_threshold(_entry({"0.7": (0.73, 2, None)})) is None


def test_a_tie_in_recall_takes_the_stricter_threshold() -> None:
    assert pick_threshold(_entry({"0.6": (0.8, 3, 40), "0.7": (0.8, 1, 30)})) == 0.7
