"""Commands that never open the database end the process without the interpreter's teardown
(``cli.base.hard_exit``): proven with the real entry point in a fresh process, that output is
complete, exit codes are kept and exit handlers (the regex cache) still run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CLI = Path(sys.executable).with_name("note-assistant")
GOOD = "S: Client reports better sleep.\nO: calm, engaged\nA: improving\nP: continue CBT weekly\n"
BAD = "S: Start lorazepam 1.0 mg QD.\nO: anxious\nA: GAD\nP: f/u 1 wk\n"


def run(args: list[str], env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, **(env_extra or {}))
    env.pop("NOTE_ASSISTANT_NO_CACHE", None)
    return subprocess.run([str(CLI), *args], capture_output=True, text=True, env=env, check=False,
                          timeout=300)


@pytest.fixture(scope="module")
def notes(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("notes")
    for i in range(80):  # above the batch threshold: worker processes are used and shut down
        (folder / f"n{i:03d}.md").write_text(BAD if i % 2 else GOOD, encoding="utf-8")
    return folder


def test_check_output_is_complete_and_the_exit_code_kept(notes, tmp_path):
    result = run(["check", "--json", str(notes)], {"NOTE_ASSISTANT_CACHE_DIR": str(tmp_path)})
    assert result.returncode == 1, result.stderr  # the QD and trailing-zero errors
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 80
    assert sum(any(f["rule_id"] == "DNU-QD" for f in line["findings"]) for line in lines) == 40
    assert list(tmp_path.glob("regex-*.marshal")), "the exit handler saving the regex cache did not run"


def test_clean_note_exits_zero_and_bad_input_two(tmp_path):
    good = tmp_path / "good.md"
    good.write_text(GOOD, encoding="utf-8")
    assert run(["check", str(good)]).returncode in (0, 1)  # warnings or info only: never 2
    result = run(["check", str(good), str(tmp_path / "missing.md")])
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "good.md" in result.stdout  # the readable file is still reported in full


def test_expand_and_file_audit_finish_their_output(tmp_path, notes):
    result = run(["expand", "--text", "Pt denies SI/HI, f/u 1 wk."])
    assert result.returncode == 0 and "suicidal ideation" in result.stdout
    html = tmp_path / "report.html"
    result = run(["audit", str(notes), "--json", "--html", str(html)])
    assert result.returncode == 1, result.stderr
    assert len(json.loads(result.stdout)["notes"]) == 80
    assert html.read_text(encoding="utf-8").rstrip().endswith("</html>")
