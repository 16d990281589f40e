from note_assistant.checks import batch
from note_assistant.checks.batch import BatchItem, check_batch
from note_assistant.checks.engine import check_note

NOTES = [
    f"S: Client reported {n} panic attacks this week and poor sleep most nights.\nO: anxious\n"
    + ("A: improving steadily over the month with fewer avoidance episodes\nP: next session in one week\n" if n % 2 else "")
    for n in range(80)
]


def test_parallel_batch_matches_sequential_in_order(monkeypatch):
    monkeypatch.setattr(batch, "PARALLEL_THRESHOLD", 10)
    items = [BatchItem(f"n{i}.md", text) for i, text in enumerate(NOTES)]
    items.insert(5, BatchItem("bad.md", None, "bad.md: not UTF-8 text"))
    results = list(check_batch(items, workers=2))
    assert [r.path for r in results] == [i.path for i in items]
    assert results[5].error == "bad.md: not UTF-8 text"
    for result in results[:5] + results[6:]:
        expected = check_note(result.text)
        assert [f.model_dump() for f in result.findings] == [f.model_dump() for f in expected.findings]
        assert result.has_errors == expected.has_errors


def test_small_batch_runs_in_process_and_reports_progress():
    seen = []
    results = list(check_batch([BatchItem("a", NOTES[0])], progress=seen.append))
    assert seen == [1] and results[0].format == "soap"


def _render(result):
    """A module-level render: what a worker sends back instead of the findings."""
    return (result.path, result.format, [(f.rule_id, f.start, f.end) for f in result.findings])


def test_rendering_in_workers_sends_back_only_the_output(monkeypatch):
    monkeypatch.setattr(batch, "PARALLEL_THRESHOLD", 10)
    items = [BatchItem(f"n{i}.md", text) for i, text in enumerate(NOTES)]
    items.insert(3, BatchItem("bad.md", None, "bad.md: not UTF-8 text"))
    parallel = list(check_batch(items, workers=2, render=_render))
    in_process = list(check_batch(items, workers=1, render=_render))
    assert [r.rendered for r in parallel] == [r.rendered for r in in_process]
    assert parallel[3].error == "bad.md: not UTF-8 text" and parallel[3].rendered is None
    for item, result in zip(items[:3] + items[4:], parallel[:3] + parallel[4:]):
        expected = check_note(item.text)
        assert result.rendered == (item.path, expected.format,
                                   [(f.rule_id, f.start, f.end) for f in expected.findings])
        assert result.text is None and result.findings is None  # nothing heavy came back
        assert result.has_errors == expected.has_errors
