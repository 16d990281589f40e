"""``set_scopes`` against the plain reading of its rule (every modifier looks at every hit),
on random sentences of hits."""

from __future__ import annotations

from bisect import bisect_left
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from note_assistant.nlp.components.context import _SCOPED, _covers, set_scopes
from note_assistant.nlp.components.matcher import Hit


def reference(hits, sent_start, sent_end, word_starts):
    """Each modifier scans all scope ends; each cancellable one asks every earlier hit."""
    terminators = [h for h in hits if h.cue is not None and h.cue.direction == "TERMINATE"
                   and not h.quoted]
    for hit in hits:
        cue = hit.cue
        if cue is None or cue.direction not in _SCOPED or hit.quoted:
            continue
        ends = terminators + [h for h in hits if h.category in cue.terminated_by and not h.quoted]
        lo, hi = hit.start, hit.end
        if cue.direction in ("FORWARD", "BIDIRECTIONAL"):
            hi = min([sent_end] + [t.start for t in ends if t.start >= hit.end])
            if cue.max_scope is not None:
                i = bisect_left(word_starts, hit.end) + cue.max_scope
                if i < len(word_starts):
                    hi = min(hi, word_starts[i])
        if cue.direction in ("BACKWARD", "BIDIRECTIONAL"):
            lo = max([sent_start] + [t.end for t in ends if t.end <= hit.start])
            if cue.max_scope is not None:
                i = bisect_left(word_starts, hit.start) - cue.max_scope
                if i >= 0:
                    lo = max(lo, word_starts[i])
        hit.scope = (lo, hi)
    for hit in hits:
        if hit.scope is not None and hit.cue is not None and hit.cue.cancelled_by:
            if any(other.start < hit.start and other.category in hit.cue.cancelled_by
                   and _covers(other, hit) for other in hits):
                hit.scope = None


CATEGORIES = ["HEDGE", "BELIEF", "COMMA", "NEG", "END"]


@st.composite
def sentences(draw):
    hits = []
    for _ in range(draw(st.integers(0, 25))):
        start = draw(st.integers(0, 80))
        category = draw(st.sampled_from(CATEGORIES))
        direction = "TERMINATE" if category == "END" else draw(
            st.sampled_from(["FORWARD", "BACKWARD", "BIDIRECTIONAL", "NONE"]))
        cue = None if draw(st.integers(0, 9)) == 0 else SimpleNamespace(
            id=category, direction=direction,
            terminated_by=draw(st.sampled_from([[], ["COMMA"], ["COMMA", "HEDGE"]])),
            cancelled_by=["HEDGE"] if category == "BELIEF" else draw(st.sampled_from([[], ["NEG"]])),
            max_scope=draw(st.sampled_from([None, 2, 5])))
        hit = Hit(start, start + draw(st.integers(1, 12)), category, cue)
        hit.quoted = draw(st.integers(0, 9)) == 0
        hits.append(hit)
    hits.sort(key=lambda h: (h.start, -h.end))
    return hits


@settings(max_examples=500, deadline=None)
@given(hits=sentences())
def test_same_scopes_as_every_modifier_looking_at_every_hit(hits):
    word_starts = list(range(0, 100, 4))
    twins = [Hit(h.start, h.end, h.category, h.cue) for h in hits]
    for twin, hit in zip(twins, hits):
        twin.quoted = hit.quoted
    set_scopes(hits, 0, 100, word_starts)
    reference(twins, 0, 100, word_starts)
    assert [h.scope for h in hits] == [t.scope for t in twins]
