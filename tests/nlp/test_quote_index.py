"""The process-content quote index against asking every quote."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from note_assistant.nlp.components.process_content import _holds, _Quotes

SPANS = st.lists(st.tuples(st.integers(0, 200), st.integers(1, 60)).map(lambda p: (p[0], p[0] + p[1])),
                 max_size=30)
RANGE = st.tuples(st.integers(0, 260), st.integers(1, 80)).map(lambda p: (p[0], p[0] + p[1]))


@settings(max_examples=500, deadline=None)
@given(spans=SPANS, window=RANGE, hit=RANGE)
def test_quote_questions_answer_as_asking_every_quote(spans, window, hit):
    quotes = _Quotes(spans)
    start, end = window
    meeting = quotes.meeting(start, end)
    assert meeting == sorted(q for q in spans if q[0] < end and q[1] > start)
    assert quotes.within(start, end) == sorted(q for q in spans if q[0] >= start and q[1] <= end)
    if meeting:
        starts = [s for s, _ in meeting]
        longest = max(e - s for s, e in meeting)
        assert _holds(meeting, starts, longest, *hit) == any(
            s <= hit[0] and hit[1] <= e for s, e in meeting)
