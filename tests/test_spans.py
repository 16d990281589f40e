"""``SpanIndex`` (risk hits and denials, client quotes, quoted text) against asking every span."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from note_assistant.spans import SpanIndex

SPANS = st.lists(st.tuples(st.integers(0, 200), st.integers(1, 60)).map(lambda p: (p[0], p[0] + p[1])),
                 max_size=30)
RANGE = st.tuples(st.integers(0, 260), st.integers(1, 80)).map(lambda p: (p[0], p[0] + p[1]))


@settings(max_examples=500, deadline=None)
@given(spans=SPANS, window=RANGE, hit=RANGE)
def test_quote_questions_answer_as_asking_every_quote(spans, window, hit):
    quotes = SpanIndex(spans)
    start, end = window
    meeting = quotes.meeting(start, end)
    assert meeting == sorted(q for q in spans if q[0] < end and q[1] > start)
    assert quotes.within(start, end) == sorted(q for q in spans if q[0] >= start and q[1] <= end)
    if meeting:
        assert SpanIndex(meeting).holds_span(*hit) == any(
            s <= hit[0] and hit[1] <= e for s, e in meeting)


@settings(max_examples=300, deadline=None)
@given(spans=st.lists(st.tuples(st.integers(0, 200), st.integers(1, 40)), max_size=30),
       probe=st.tuples(st.integers(0, 240), st.integers(1, 40)))
def test_span_index_answers_as_asking_every_span(spans, probe):
    """read_risk's way of keeping denials (any) and hits (never overlapping), added one by one."""
    held, kept, apart = SpanIndex(), [], SpanIndex()
    for start, size in spans:
        held.add(start, start + size)
        kept.append((start, start + size))
        if not apart.meets(start, start + size):
            apart.add(start, start + size)  # the way read_risk keeps hits: never overlapping
    start, end = probe[0], probe[0] + probe[1]
    assert held.holds(start) == any(s <= start < e for s, e in kept)
    separate = list(apart.spans)
    assert apart.meets(start, end) == any(s < end and start < e for s, e in separate)
    assert held.meets(start, end) == any(s < end and start < e for s, e in kept)
