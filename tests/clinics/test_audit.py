"""Batch audits: per-note and whole-set reports, table, JSON, CSV and the self-contained HTML."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from clinics_support import BIRP_NOTE, BROKEN_NOTE, SOAP_NOTE, run

from note_assistant.clinic import load_clinic
from note_assistant.reports import audit_folder
from note_assistant.reports import runner
from note_assistant.reports.render import CSV_COLUMNS


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    notes = tmp_path / "notes"
    (notes / "sub").mkdir(parents=True)
    (notes / "a-soap.md").write_text(SOAP_NOTE)
    (notes / "b-birp.md").write_text(BIRP_NOTE)
    (notes / "sub" / "c-broken.txt").write_text(BROKEN_NOTE)
    (notes / "ignored.csv").write_text(SOAP_NOTE)
    return notes


def _expected(folder: Path) -> dict[str, list]:
    """What the checks say about each file, straight from the engine."""
    clinic = load_clinic(None)
    return {str(p): clinic.check(p.read_text()).findings
            for p in sorted(folder.rglob("*")) if p.suffix in (".md", ".txt")}


def test_json_report_counts_worst_notes_and_clinicians(folder: Path) -> None:
    result = run("audit", "--json", str(folder))
    assert result.exit_code == 1, result.output  # the broken note has error findings
    report = json.loads(result.stdout)
    assert report["schema"] == "note-assistant/audit-report" and report["version"] == 1
    assert {"generated_at", "source", "profile", "summary", "categories", "rules", "worst_notes",
            "clinicians", "notes", "unreadable"} <= set(report)
    expected = _expected(folder)
    assert [n["key"] for n in report["notes"]] == list(expected)
    all_findings = [f for fs in expected.values() for f in fs]
    summary = report["summary"]
    assert summary["notes"] == 3 and summary["findings"] == len(all_findings)
    assert summary["by_severity"]["error"] == sum(f.severity == "error" for f in all_findings)
    assert summary["by_category"] == dict(Counter(f.category for f in all_findings))
    rules = {r["rule_id"]: r["findings"] for r in report["rules"]}
    assert rules == dict(Counter(f.rule_id for f in all_findings))
    assert rules["FMT-MISSING-SECTION"] >= 2  # Assessment and Plan of the broken note
    worst = report["worst_notes"][0]
    assert worst["key"].endswith("c-broken.txt") and worst["error"] >= 2
    clinicians = {c["clinician"]: c for c in report["clinicians"]}
    assert set(clinicians) == {"Dana Reyes", "Sam Patel"}
    assert clinicians["Sam Patel"]["notes"] == 2
    assert clinicians["Sam Patel"]["findings"] == len(expected[str(folder / "b-birp.md")]) + len(
        expected[str(folder / "sub" / "c-broken.txt")])
    for note in report["notes"]:
        text = Path(note["key"]).read_text()
        for finding in note["findings"]:
            assert text[finding["start"]:finding["end"]] == finding["text"]


def test_csv_has_one_row_per_finding_and_clean_notes(folder: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    clean.mkdir()
    result = run("audit", "--csv", str(folder))
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == CSV_COLUMNS
    expected = _expected(folder)
    for key, findings in expected.items():
        mine = [r for r in rows if r["key"] == key]
        assert len(mine) == max(1, len(findings))
        assert sorted(r["rule_id"] for r in mine if r["rule_id"]) == sorted(f.rule_id for f in findings)
    broken = [r for r in rows if r["key"].endswith("c-broken.txt") and r["rule_id"] == "FMT-MISSING-SECTION"]
    assert {r["severity"] for r in broken} == {"error"} and broken[0]["clinician"] == "Sam Patel"


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: Counter[str] = Counter()
        self.bars: list[dict[str, str]] = []
        self.rows: list[dict[str, str]] = []
        self.cards: dict[str, str] = {}
        self.external: list[str] = []
        self._card: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags[tag] += 1
        if tag == "g" and "data-category" in a:
            self.rows.append(a)
        if tag == "rect" and a.get("class") == "bar":
            self.bars.append(a)
        if tag == "div" and a.get("class") == "card":
            self._card = a["data-metric"]
        for name in ("src", "href"):
            if a.get(name):
                self.external.append(a[name])

    def handle_data(self, data: str) -> None:
        if self._card and data.strip():
            self.cards[self._card] = data.strip()
            self._card = None


def test_html_report_is_self_contained_with_chart_and_counts(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = run("audit", "--html", str(out), str(folder))
    assert result.exit_code == 1 and out.exists()
    assert run("audit", "--html", str(out), str(folder)).exit_code == 2  # never overwritten silently
    assert run("audit", "--html", str(out), "--force", str(folder)).exit_code == 1
    parser = _Html()
    parser.feed(out.read_text())
    assert parser.tags["script"] == 0 and parser.tags["link"] == 0 and not parser.external
    assert parser.tags["style"] == 1 and parser.tags["svg"] == 1
    report = json.loads(run("audit", "--json", str(folder)).stdout)
    categories = report["summary"]["by_category"]
    assert {r["data-category"]: int(r["data-count"]) for r in parser.rows} == categories
    assert len(parser.bars) == len(categories)
    widest = max(parser.bars, key=lambda b: int(b["width"]))
    assert widest is parser.bars[0]  # sorted, most findings first
    assert parser.cards["notes"] == "3"
    assert parser.cards["findings"] == f"{report['summary']['findings']:,}"
    assert parser.cards["errors"] == str(report["summary"]["by_severity"]["error"])
    assert parser.tags["details"] == 3


def test_terminal_table_and_unreadable_files(folder: Path) -> None:
    (folder / "latin1.txt").write_bytes("Client: caf\xe9\n".encode("latin-1"))
    result = run("audit", str(folder))
    assert result.exit_code == 2  # one file could not be read; the rest were audited
    out = result.stdout
    for heading in ("By category", "By rule", "Worst notes", "Per clinician", "Per note"):
        assert heading in out
    assert "Audit of 3 note(s)" in out and "not audited:" in out and "latin1.txt" in result.stderr
    assert "Auditing" not in result.stderr  # no progress bar when stderr is not a terminal


def test_workers_give_the_same_report_as_one_process(folder: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    many = tmp_path / "many"
    many.mkdir()
    texts = [SOAP_NOTE, BIRP_NOTE, BROKEN_NOTE]
    for index in range(60):
        base = texts[index % 3].replace("2026-11-2", f"2026-10-{10 + index % 18}T").replace("T", "", 1)
        (many / f"n{index:03d}.md").write_text(base.replace("this week", f"this week ({index})"))
    clinic = load_clinic(None)
    sources = [(str(p), p.read_text()) for p in sorted(many.glob("*.md"))]
    monkeypatch.setattr(runner, "PARALLEL_MIN", 10)
    serial = audit_folder(sources, clinic, jobs=1)
    parallel = audit_folder(sources, clinic, jobs=2)
    assert serial.workers == 1 and parallel.workers == 2
    assert [n.as_dict() for n in parallel.notes] == [n.as_dict() for n in serial.notes]


def test_history_groups_earlier_notes_of_the_same_client(tmp_path: Path) -> None:
    from note_assistant.reports.sources import folder_items

    first = SOAP_NOTE
    second = SOAP_NOTE.replace("2026-11-20", "2026-11-27")
    other = SOAP_NOTE.replace("Avery Quinn", "Someone Else").replace("Dana Reyes", "Other Person")
    items = folder_items([("b.md", second), ("a.md", first), ("c.md", other)])
    assert [n.text for n in items[0].history] == [first]
    assert items[1].history == [] and items[2].history == []


def test_database_audit_shows_what_the_user_may_read(demo_db: Path) -> None:
    dana = json.loads(run("--db", str(demo_db), "audit", "--db", "--as", "dana", "--json").stdout)
    assert dana["source"]["kind"] == "database"
    assert {n["client"] for n in dana["notes"]} == {"Avery Quinn", "Jordan Ellis"}
    assert {n["clinician"] for n in dana["notes"]} == {"Dana Reyes"}
    assert all(n["note_id"] for n in dana["notes"])
    morgan = json.loads(run("audit", "--db", str(demo_db), "--as", "morgan", "--json").stdout)
    # the supervisor sees every client: dana's notes and, since issue #6's demo, sam's too
    assert {n["note_id"] for n in morgan["notes"]} >= {n["note_id"] for n in dana["notes"]}
    refused = run("audit", "--db", str(demo_db), "--as", "admin")
    assert refused.exit_code == 2 and "admin" in refused.stderr
    assert run("audit", "--db", str(demo_db)).exit_code == 2  # --as is required
    from note_assistant.storage import Store

    store = Store(demo_db)
    try:
        reads = [e for e in store.audit_events(action="read") if e["target_type"] == "audit-report"]
        texts = {n["note_id"]: store.note(n["note_id"]).text for n in dana["notes"]}
    finally:
        store.close()
    rules = {f["rule_id"] for n in dana["notes"] for f in n["findings"]}
    assert not rules & {"DOC-NO-DATE", "DOC-NO-TIME", "DOC-NO-DIAGNOSIS"}  # header kept in columns
    for note in dana["notes"]:
        for finding in note["findings"]:
            assert texts[note["note_id"]][finding["start"]:finding["end"]] == finding["text"]
    assert [e["actor"] for e in reads] == ["dana", "morgan"]
    assert reads[0]["detail"]["notes"] == len(dana["notes"])


def test_html_report_renders_in_headless_chromium(folder: Path, tmp_path: Path) -> None:
    """When Chromium is installed, the browser's own DOM has the chart (no script needed)."""
    import shutil
    import subprocess

    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        pytest.skip("no headless Chromium on this machine")
    out = tmp_path / "report.html"
    assert run("audit", "--html", str(out), str(folder)).exit_code == 1
    dom = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", out.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    ).stdout
    parser = _Html()
    parser.feed(dom)
    report = json.loads(run("audit", "--json", str(folder)).stdout)
    assert parser.tags["svg"] == 1 and len(parser.bars) == len(report["summary"]["by_category"])
    assert parser.cards["notes"] == "3"
