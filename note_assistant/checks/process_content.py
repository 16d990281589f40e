"""Process-content rules: sentences that belong in the psychotherapy note (45 CFR 164.501).

The spaCy component ``note_assistant_process_content`` finds the sentences (rules as data in
``note_assistant/nlp/data/process_content``); this family turns its results into findings. Each
finding spans the whole sentence, which is what the TUI moves to the psychotherapy note with one
key; ``cue`` is the text that fired and ``data`` names the sub-category, the cue rule and the
decision.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..models import Finding
from .context import CheckContext

NEEDS_DOC = True


def results_for(ctx: CheckContext) -> list[dict[str, Any]]:
    """The component's results for this note; the same analysis runs on the text when there is
    no Doc or the pipeline lacks the component."""
    doc = ctx.doc
    results = None
    if doc is not None and doc.has_extension("process_content"):
        results = doc._.process_content
    if results is None:
        from ..nlp.components.process_content import default_detector
        from ..nlp.components.sentences import default_splitter

        sections = [(s.body_start, s.end, s.key) for s in ctx.parsed.sections]
        results = default_detector().analyse(
            ctx.text, default_splitter().spans(ctx.text, sections)
        )
    return results


def explain(result: dict[str, Any]) -> str:
    """What fired, for the message: the rule's cue, or that the sentence classifier guessed
    (its probability, and the hint cue its finding points at), so a clinician can tell a rule's
    reason from a statistical guess."""
    if result["decision"] == "model":
        return (f"a guess by the sentence classifier, {result['score']:.2f}, "
                f"near \"{result['cue']}\"")
    return f"cue \"{result['cue']}\""


def run(ctx: CheckContext) -> Iterator[Finding]:
    # The classifier's near misses are far less precise on real notes than the rules' findings
    # (README, "How well it works"): a profile can keep the rules' findings only.
    classifier = ctx.profile.option("process_content_classifier", True)
    for result in results_for(ctx):
        if not classifier and result["decision"] == "model":
            continue
        start, end = result["sentence_start"], result["sentence_end"]
        yield ctx.finding(
            result["rule_id"], start, end,
            cue=result["cue"],
            why=explain(result),
            data={
                "subcategory": result["subcategory"],
                "sentence_start": start,
                "sentence_end": end,
                "cue_start": result["cue_start"],
                "cue_end": result["cue_end"],
                "cue_rule": result["cue_rule"],
                "decision": result["decision"],
                **({"score": result["score"]} if "score" in result else {}),
                "also": list(result["also"]),
            },
        )
