"""The audit report: one entry per note, and the summaries over the whole set."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")
UNKNOWN_CLINICIAN = "(unknown)"


@dataclass
class NoteReport:
    """One audited note: where it came from, who wrote it, and its findings."""

    key: str
    """The file path (folder audits) or the note id (database audits)."""
    path: str | None
    note_id: str | None
    client: str | None
    date: str | None
    clinician: str
    format: str
    findings: list[dict[str, Any]] = field(default_factory=list)
    """``check --json`` finding objects (rule_id, category, severity, line, column, ...)."""

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f["severity"] == severity)

    @property
    def counts(self) -> dict[str, int]:
        return {s: self.count(s) for s in SEVERITIES}

    @property
    def rank(self) -> tuple[int, int, int, int]:
        """Worse first: errors, then warnings, then infos, then total."""
        c = self.counts
        return (c["error"], c["warning"], c["info"], len(self.findings))

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "path": self.path, "note_id": self.note_id, "client": self.client,
            "date": self.date, "clinician": self.clinician, "format": self.format,
            "counts": self.counts, "findings": self.findings,
        }


@dataclass
class AuditReport:
    notes: list[NoteReport]
    source: dict[str, Any]
    """``{"kind": "folder", "paths": [...]}`` or ``{"kind": "database", "db": ...}``."""
    profile: str
    clinic: str = ""
    unreadable: list[dict[str, str]] = field(default_factory=list)
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    seconds: float = 0.0
    workers: int = 1

    # summaries ---------------------------------------------------------------------------
    def all_findings(self):  # noqa: ANN201
        for note in self.notes:
            yield from note.findings

    def by_severity(self) -> dict[str, int]:
        counts = Counter(f["severity"] for f in self.all_findings())
        return {s: counts.get(s, 0) for s in SEVERITIES}

    def by_category(self) -> dict[str, dict[str, int]]:
        """category -> {"findings": n, "notes": notes with at least one}, most findings first."""
        findings: Counter[str] = Counter()
        notes: Counter[str] = Counter()
        for note in self.notes:
            cats = Counter(f["category"] for f in note.findings)
            findings.update(cats)
            notes.update(cats.keys())
        return {c: {"findings": n, "notes": notes[c]} for c, n in sorted(findings.items(), key=lambda kv: (-kv[1], kv[0]))}

    def by_rule(self) -> list[dict[str, Any]]:
        rows: dict[str, dict[str, Any]] = {}
        for note in self.notes:
            seen: set[str] = set()
            for f in note.findings:
                row = rows.setdefault(f["rule_id"], {"rule_id": f["rule_id"], "category": f["category"],
                                                     "severity": Counter(), "findings": 0, "notes": 0})
                row["findings"] += 1
                row["severity"][f["severity"]] += 1
                if f["rule_id"] not in seen:
                    row["notes"] += 1
                    seen.add(f["rule_id"])
        out = []
        for row in rows.values():
            row["severity"] = row["severity"].most_common(1)[0][0]
            out.append(row)
        return sorted(out, key=lambda r: (-r["findings"], r["rule_id"]))

    def worst(self, limit: int = 10) -> list[NoteReport]:
        flagged = [n for n in self.notes if n.findings]
        return sorted(flagged, key=lambda n: (tuple(-x for x in n.rank), n.key))[:limit]

    def clinicians(self) -> list[dict[str, Any]]:
        groups: dict[str, list[NoteReport]] = defaultdict(list)
        for note in self.notes:
            groups[note.clinician].append(note)
        rows = []
        for name in sorted(groups, key=lambda n: (n == UNKNOWN_CLINICIAN, n.lower())):
            notes = groups[name]
            counts = Counter(f["severity"] for n in notes for f in n.findings)
            total = sum(counts.values())
            top = Counter(f["category"] for n in notes for f in n.findings).most_common(1)
            rows.append({
                "clinician": name, "notes": len(notes), "findings": total,
                **{s: counts.get(s, 0) for s in SEVERITIES},
                "notes_with_errors": sum(1 for n in notes if n.count("error")),
                "findings_per_note": round(total / len(notes), 2) if notes else 0.0,
                "top_category": top[0][0] if top else None,
            })
        return rows

    def summary(self) -> dict[str, Any]:
        severity = self.by_severity()
        return {
            "notes": len(self.notes), "unreadable": len(self.unreadable),
            "findings": sum(severity.values()), "by_severity": severity,
            "notes_with_findings": sum(1 for n in self.notes if n.findings),
            "notes_with_errors": sum(1 for n in self.notes if n.count("error")),
            "by_category": {c: v["findings"] for c, v in self.by_category().items()},
        }

    def as_dict(self) -> dict[str, Any]:
        """The ``--json`` document (schema ``note-assistant/audit-report``, version 1)."""
        return {
            "schema": "note-assistant/audit-report", "version": 1,
            "generated_at": self.generated_at.isoformat(timespec="seconds"),
            "source": self.source, "clinic": self.clinic, "profile": self.profile,
            "summary": self.summary(),
            "categories": self.by_category(),
            "rules": self.by_rule(),
            "worst_notes": [
                {"key": n.key, "client": n.client, "date": n.date, "clinician": n.clinician, **n.counts,
                 "findings": len(n.findings)} for n in self.worst()
            ],
            "clinicians": self.clinicians(),
            "notes": [n.as_dict() for n in self.notes],
            "unreadable": self.unreadable,
        }
