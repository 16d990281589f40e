"""``drop_contained`` against the plain all-pairs reading of its rule, on random hits."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from note_assistant.nlp.components.context import drop_contained
from note_assistant.nlp.components.matcher import Hit


def reference(hits: list[Hit]) -> list[Hit]:
    """Every earlier hit is asked whether it contains the hit (the rule as documented)."""
    kept = []
    for i, hit in enumerate(hits):
        if hit.cue is None:
            kept.append(hit)
            continue
        inside = any(
            other.cue is not None and hit.end <= other.end
            and other.end - other.start > hit.end - hit.start
            and (other.cue.direction == "PSEUDO"
                 or ((other.is_modifier or other.start < hit.start) if hit.is_modifier
                     else other.category == hit.category))
            for other in hits[:i]
        )
        if not inside:
            kept.append(hit)
    return kept


def make(start: int, size: int, category: str, kind: str) -> Hit:
    direction = {"modifier": "FORWARD", "pseudo": "PSEUDO"}.get(kind, "NONE")
    cue = None if kind == "computed" else SimpleNamespace(id=f"{category}-{kind}", direction=direction)
    return Hit(start, start + size, category, cue)


HITS = st.lists(
    st.builds(make, st.integers(0, 60), st.integers(1, 25), st.sampled_from("ABC"),
              st.sampled_from(["modifier", "target", "computed", "pseudo"])),
    max_size=40,
).map(lambda hits: sorted(hits, key=lambda h: (h.start, -h.end)))


@settings(max_examples=500, deadline=None)
@given(hits=HITS)
def test_same_hits_as_asking_every_earlier_hit(hits):
    assert drop_contained(hits) == reference(hits)


class Counting(Hit):
    """A hit that counts how often its end is read."""

    __slots__ = ()
    reads = 0

    @property
    def end(self) -> int:
        Counting.reads += 1
        return Hit.end.__get__(self)

    @end.setter
    def end(self, value: int) -> None:
        Hit.end.__set__(self, value)


def test_many_hits_in_one_sentence_are_not_compared_pairwise():
    """8,000 one-character cue hits ('????...') took 9 s when every pair was compared: the
    work must grow with the hits, not with their pairs."""
    cue = SimpleNamespace(id="q", direction="FORWARD")
    hits = [Counting(i, i + 1, "A", cue) for i in range(2_000)]
    hits.insert(5, Counting(5, 35, "A", SimpleNamespace(id="t", direction="NONE")))
    Counting.reads = 0
    kept = drop_contained(hits)
    assert len(kept) == len(hits) - 29  # the 29 modifiers inside the target, after its start
    assert Counting.reads < 20 * len(hits)  # all pairs would be ~2,000,000 reads
