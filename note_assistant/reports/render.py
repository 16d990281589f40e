"""Audit reports as a terminal table and as CSV."""

from __future__ import annotations

import csv
import io

from .model import SEVERITIES, AuditReport

CSV_COLUMNS = [
    "key", "path", "note_id", "client", "date", "clinician", "format",
    "rule_id", "category", "severity", "line", "column", "section", "message",
]
"""One row per finding; a note without findings has one row with the finding columns empty."""


def to_csv(report: AuditReport) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for note in report.notes:
        base = {"key": note.key, "path": note.path or "", "note_id": note.note_id or "",
                "client": note.client or "", "date": note.date or "", "clinician": note.clinician,
                "format": note.format}
        if not note.findings:
            writer.writerow(base)
        for finding in note.findings:
            writer.writerow({**base, **{k: finding.get(k) for k in CSV_COLUMNS if k in finding}})
    return buffer.getvalue()


def _table(headers: list[str], rows: list[list[object]], right: set[int] | None = None) -> list[str]:
    right = right or set()
    cells = [[str(c) for c in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def fmt(row: list[str]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))).rstrip()

    return [fmt(cells[0]), "  ".join("-" * w for w in widths)] + [fmt(r) for r in cells[1:]]


def _n(value: int) -> str:
    return f"{value:,}"


def _worst_rules(note, shown: int = 3) -> str:  # noqa: ANN001 - a NoteReport
    order = {s: i for i, s in enumerate(SEVERITIES)}
    rules: dict[str, int] = {}
    for finding in note.findings:
        rules[finding["rule_id"]] = min(rules.get(finding["rule_id"], 9), order[finding["severity"]])
    ranked = sorted(rules, key=lambda r: (rules[r], r))
    more = f" (+{len(ranked) - shown})" if len(ranked) > shown else ""
    return ", ".join(ranked[:shown]) + more if ranked else "-"


def to_table(report: AuditReport, *, per_note: bool | None = None, limit: int = 10) -> str:
    summary = report.summary()
    source = report.source
    where = ", ".join(source.get("paths", [])) if source["kind"] == "folder" else source.get("db", "")
    sev = summary["by_severity"]
    lines = [
        f"Audit of {_n(summary['notes'])} note(s) from {where}" + (f" ({report.clinic})" if report.clinic else "")
        + f"; profile {report.profile}",
        f"Findings: {_n(summary['findings'])} ({', '.join(f'{_n(sev[s])} {s}' for s in SEVERITIES)}); "
        f"notes with errors: {_n(summary['notes_with_errors'])}; notes with findings: "
        f"{_n(summary['notes_with_findings'])}",
    ]
    if summary["unreadable"]:
        lines.append(f"Not audited: {summary['unreadable']} file(s) (see below)")
    cats = report.by_category()
    if cats:
        lines += ["", "By category"]
        lines += _table(["category", "findings", "notes"],
                        [[c, _n(v["findings"]), _n(v["notes"])] for c, v in cats.items()], {1, 2})
    rules = report.by_rule()
    if rules:
        lines += ["", f"By rule (top {min(limit, len(rules))} of {len(rules)})"]
        lines += _table(["rule", "category", "severity", "findings", "notes"],
                        [[r["rule_id"], r["category"], r["severity"], _n(r["findings"]), _n(r["notes"])]
                         for r in rules[:limit]], {3, 4})
    worst = report.worst(limit)
    if worst:
        lines += ["", "Worst notes"]
        lines += _table(["note", "client", "date", "clinician", "errors", "warnings", "info"],
                        [[n.key, n.client, n.date, n.clinician, *n.counts.values()] for n in worst], {4, 5, 6})
    clinicians = report.clinicians()
    if clinicians:
        lines += ["", "Per clinician"]
        lines += _table(["clinician", "notes", "findings", "errors", "warnings", "info", "per note", "top category"],
                        [[c["clinician"], _n(c["notes"]), _n(c["findings"]), _n(c["error"]), _n(c["warning"]),
                          _n(c["info"]), f"{c['findings_per_note']:.2f}", c["top_category"] or ""]
                         for c in clinicians], {1, 2, 3, 4, 5, 6})
    show_notes = per_note if per_note is not None else len(report.notes) <= 50
    if show_notes and report.notes:
        lines += ["", "Per note"]
        lines += _table(["note", "format", "errors", "warnings", "info", "worst rules"],
                        [[n.key, n.format, *n.counts.values(), _worst_rules(n)] for n in report.notes],
                        {2, 3, 4})
    elif report.notes:
        lines += ["", "Per-note details: use --json, --csv, --html FILE or --per-note."]
    for bad in report.unreadable:
        lines.append(f"not audited: {bad['path']}: {bad['error']}")
    return "\n".join(lines) + "\n"
