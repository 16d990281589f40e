"""Character spans kept by start, asked about without going through them all.

Spans may overlap. A question about an offset or a range looks back from a bisection only as
far as the longest span reaches, so thousands of spans in a pasted note cost no more than a
few each (pairwise questions over them took seconds: risk hits, client quotes).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable


class SpanIndex:
    """``(start, end)`` spans, sorted; :meth:`add` keeps them so."""

    __slots__ = ("spans", "starts", "longest")

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self.spans: list[tuple[int, int]] = sorted(spans)
        self.starts = [start for start, _ in self.spans]
        self.longest = max((end - start for start, end in self.spans), default=0)

    def __bool__(self) -> bool:
        return bool(self.spans)

    def add(self, start: int, end: int) -> None:
        insort(self.spans, (start, end))
        insort(self.starts, start)
        self.longest = max(self.longest, end - start)

    def _back(self, index: int, floor: int):  # noqa: ANN202 - a generator of spans
        """Spans from ``index`` down while they start after ``floor``."""
        while index >= 0 and self.starts[index] > floor:
            yield self.spans[index]
            index -= 1

    def holds(self, offset: int) -> bool:
        """Whether a span has ``start <= offset < end``."""
        return any(end > offset for _, end in
                   self._back(bisect_right(self.starts, offset) - 1, offset - self.longest - 1))

    def holds_span(self, start: int, end: int) -> bool:
        """Whether a span contains ``start..end`` whole."""
        return any(e >= end for _, e in
                   self._back(bisect_right(self.starts, start) - 1, end - self.longest - 1))

    def meeting(self, start: int, end: int) -> list[tuple[int, int]]:
        """The spans overlapping ``start..end``, in order."""
        found = [span for span in self._back(bisect_left(self.starts, end) - 1,
                                              start - self.longest) if span[1] > start]
        found.reverse()
        return found

    def meets(self, start: int, end: int) -> bool:
        """Whether a span overlaps ``start..end``."""
        return any(e > start for _, e in
                   self._back(bisect_left(self.starts, end) - 1, start - self.longest))

    def within(self, start: int, end: int) -> list[tuple[int, int]]:
        """The spans lying inside ``start..end``."""
        lo, hi = bisect_left(self.starts, start), bisect_left(self.starts, end)
        return [span for span in self.spans[lo:hi] if span[1] <= end]
