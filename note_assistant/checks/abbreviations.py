"""Abbreviation findings from the pipeline's ``doc._.abbreviations`` and ``doc._.do_not_use``.

* ``ABBR-AMBIGUOUS`` (warning): the context does not settle the sense; the finding lists the
  alternatives with their confidence instead of guessing silently.
* ``ABBR-EXPANSION`` (info): a known abbreviation and its expansion, for client-facing "open
  notes" copies. Off in the default profile (it is noise in a batch audit); a clinic profile can
  turn it on, and when it is off these findings are not even built.
* Do-Not-Use hits carry their own rule ids (``DNU-*`` from the Joint Commission list, ``ISMP-*``
  from ISMP's error-prone list), messages and replacements from ``abbreviations/data``.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..models import Finding
from .catalogue import rule
from .context import CheckContext

NEEDS_DOC = True

_SOURCES = {"TJC": "Joint Commission Do Not Use list", "ISMP": "ISMP error-prone abbreviations"}


def _alternatives(abbreviation) -> list[dict[str, object]]:  # noqa: ANN001
    return [{"expansion": a.expansion, "confidence": round(a.confidence, 3)} for a in abbreviation.alternatives]


def run(ctx: CheckContext) -> Iterator[Finding]:
    doc = ctx.doc
    if doc is None:
        return
    for hit in doc._.do_not_use or []:
        yield Finding(
            rule_id=hit.rule_id, category="do-not-use", severity=hit.severity,
            start=hit.start, end=hit.end, section=ctx.section_key(hit.start),
            text=ctx.text[hit.start:hit.end], message=hit.message, suggestion=hit.replacement,
            cue=hit.text, source=_SOURCES.get(hit.source, hit.source),
            data={"replacement": hit.replacement},
        )
    expansions = ctx.profile.enabled("ABBR-EXPANSION", rule("ABBR-EXPANSION").category)
    for abbreviation in doc._.abbreviations or []:
        if abbreviation.is_definition or not (abbreviation.ambiguous or expansions):
            continue
        data = {
            "expansion": abbreviation.expansion, "confidence": round(abbreviation.confidence, 3),
            "alternatives": _alternatives(abbreviation), "sense_id": abbreviation.sense_id,
            "inventory": abbreviation.source,
        }
        if abbreviation.ambiguous:
            options = [f"{abbreviation.expansion} ({abbreviation.confidence:.0%})"]
            options += [f"{a['expansion']} ({a['confidence']:.0%})" for a in data["alternatives"][:3]]
            yield ctx.finding(
                "ABBR-AMBIGUOUS", abbreviation.start, abbreviation.end, cue=abbreviation.text,
                data=data, abbreviation=abbreviation.text, options=" or ".join(options),
                expansion=abbreviation.expansion,
            )
        else:
            yield ctx.finding(
                "ABBR-EXPANSION", abbreviation.start, abbreviation.end, cue=abbreviation.text,
                data=data, abbreviation=abbreviation.text, expansion=abbreviation.expansion,
                confidence=f"{abbreviation.confidence:.0%}", inventory=abbreviation.source,
            )
