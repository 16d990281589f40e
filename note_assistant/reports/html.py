"""The audit report as one self-contained HTML file: inline CSS, an inline SVG bar chart of
findings by category, no scripts, no fonts or styles from anywhere else."""

from __future__ import annotations

from html import escape

from .model import SEVERITIES, AuditReport

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:70rem;color:#1d2330;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d7dbe3;padding-bottom:.2rem}
.meta{color:#5a6272;margin:0}.cards{display:flex;flex-wrap:wrap;gap:.75rem;margin:1rem 0}
.card{border:1px solid #d7dbe3;border-radius:6px;padding:.5rem .9rem;min-width:7rem}
.card b{display:block;font-size:1.4rem}.card span{color:#5a6272;font-size:.85rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e7e9ee;vertical-align:top}
th{background:#f3f5f8;font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.error{color:#b42318;font-weight:600}.warning{color:#9a6700}.info{color:#175cd3}
details{border:1px solid #e7e9ee;border-radius:6px;margin:.4rem 0;padding:.3rem .6rem}summary{cursor:pointer}
svg text{font:12px system-ui,sans-serif;fill:#1d2330}
@media print{details{break-inside:avoid}details:not([open]) table{display:none}}
"""
_BAR_COLOURS = ["#3b6fd8", "#d8663b", "#2f9e6b", "#9b59b6", "#c9a227", "#d83b6f", "#3bb1d8", "#7a8699", "#5a3bd8"]


def bar_chart(counts: dict[str, int], *, title: str = "Findings by category") -> str:
    """A horizontal bar chart as inline SVG (one ``<rect class="bar">`` per category)."""
    if not counts:
        return '<p class="meta">No findings.</p>'
    label_w, bar_w, row_h = 190, 420, 26
    height = row_h * len(counts) + 10
    biggest = max(counts.values()) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-title" '
        f'width="{label_w + bar_w + 80}" height="{height}" viewBox="0 0 {label_w + bar_w + 80} {height}">',
        f'<title id="chart-title">{escape(title)}</title>',
    ]
    for index, (category, count) in enumerate(counts.items()):
        y = 5 + index * row_h
        width = max(2, round(bar_w * count / biggest))
        colour = _BAR_COLOURS[index % len(_BAR_COLOURS)]
        parts.append(
            f'<g class="row" data-category="{escape(category)}" data-count="{count}">'
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end">{escape(category)}</text>'
            f'<rect class="bar" x="{label_w}" y="{y + 3}" width="{width}" height="{row_h - 8}" rx="3" fill="{colour}">'
            f"<title>{escape(category)}: {count}</title></rect>"
            f'<text x="{label_w + width + 6}" y="{y + 16}">{count:,}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _table(headers: list[str], rows: list[list[object]], numeric: set[int] = frozenset(), cls: str = "") -> str:
    head = "".join(f'<th class="n">{escape(h)}</th>' if i in numeric else f"<th>{escape(h)}</th>" for i, h in enumerate(headers))
    body = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            text = "" if value is None else (f"{value:,}" if isinstance(value, int) else str(value))
            attr = ' class="n"' if i in numeric else ""
            if headers[i] == "severity" and text in SEVERITIES:
                attr = f' class="{text}"'
            cells.append(f"<td{attr}>{escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cls_attr = f' class="{cls}"' if cls else ""
    return f"<table{cls_attr}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def to_html(report: AuditReport) -> str:
    summary = report.summary()
    sev = summary["by_severity"]
    source = report.source
    where = ", ".join(source.get("paths", [])) if source["kind"] == "folder" else source.get("db", "")
    title = "Documentation audit" + (f": {report.clinic}" if report.clinic else "")
    cards = [
        ("notes", summary["notes"]), ("findings", summary["findings"]), ("errors", sev["error"]),
        ("warnings", sev["warning"]), ("info", sev["info"]), ("notes with errors", summary["notes_with_errors"]),
    ]
    out = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">{escape(where)} · profile {escape(report.profile)} · generated '
        f"{escape(report.generated_at.strftime('%Y-%m-%d %H:%M UTC'))}</p>",
        '<div class="cards">' + "".join(
            f'<div class="card" data-metric="{escape(name)}"><b>{value:,}</b><span>{escape(name)}</span></div>'
            for name, value in cards) + "</div>",
        '<h2 id="categories">Findings by category</h2>',
        bar_chart({c: v["findings"] for c, v in report.by_category().items()}),
        _table(["category", "findings", "notes"],
               [[c, v["findings"], v["notes"]] for c, v in report.by_category().items()], {1, 2}, "categories"),
        '<h2 id="rules">Findings by rule</h2>',
        _table(["rule", "category", "severity", "findings", "notes"],
               [[r["rule_id"], r["category"], r["severity"], r["findings"], r["notes"]] for r in report.by_rule()],
               {3, 4}, "rules"),
        '<h2 id="worst">Worst notes</h2>',
        _table(["note", "client", "date", "clinician", "errors", "warnings", "info"],
               [[n.key, n.client, n.date, n.clinician, *n.counts.values()] for n in report.worst()],
               {4, 5, 6}, "worst"),
        '<h2 id="clinicians">Per clinician</h2>',
        _table(["clinician", "notes", "findings", "errors", "warnings", "info", "per note", "top category"],
               [[c["clinician"], c["notes"], c["findings"], c["error"], c["warning"], c["info"],
                 f"{c['findings_per_note']:.2f}", c["top_category"]] for c in report.clinicians()],
               {1, 2, 3, 4, 5, 6}, "clinicians"),
        '<h2 id="notes">Per note</h2>',
    ]
    for note in report.notes:
        counts = note.counts
        label = f"{note.key} — {note.format}, {counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info"
        rows = [[f["line"], f["severity"], f["rule_id"], f["section"], f["message"]] for f in note.findings]
        inner = _table(["line", "severity", "rule", "section", "message"], rows, {0}) if rows else '<p class="meta">No findings.</p>'
        out.append(f'<details class="note"><summary>{escape(label)}</summary>{inner}</details>')
    if report.unreadable:
        out.append('<h2 id="unreadable">Not audited</h2>')
        out.append(_table(["file", "problem"], [[u["path"], u["error"]] for u in report.unreadable]))
    out.append("</body></html>")
    return "\n".join(out) + "\n"
