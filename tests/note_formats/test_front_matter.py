"""Front matter made of plain ``key: value`` lines is read without PyYAML; whatever that fast
path accepts, YAML's BaseLoader (what the parser otherwise uses) must read the same way."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from note_formats.metadata import _plain_yaml, read_front_matter

LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
# Letters plus every character with a meaning in YAML, line breaks YAML knows and controls.
TRICKY = "ab Z09_ -:#\"'[]{},?&*!|>%@`~.=$/()\t\r\x85\u2028\ufeff\x07é"
KEYS = st.text(alphabet="abcXY_- 1:#", min_size=0, max_size=6)
# Mostly ordinary characters, so that many values pass the fast path, each special one often
# enough to meet every position (" #" comment, "b: c", a leading "-"...).
VALUES = st.lists(st.sampled_from(list("abc 1 x y ") + list(TRICKY)), max_size=12).map("".join)
LINES = st.builds(lambda k, sep, v: f"{k}{sep}{v}", KEYS, st.sampled_from([": ", ":", " : ", ":  "]), VALUES)


def _yaml(inner: str):
    try:
        data = yaml.load(inner, Loader=LOADER)
    except yaml.YAMLError:
        return "error"
    return data


@settings(max_examples=3000, deadline=None)
@given(st.lists(LINES, min_size=1, max_size=4))
def test_fast_path_reads_what_yaml_reads(lines):
    inner = "\n".join(lines)
    fast = _plain_yaml(inner)
    if fast is not None:
        assert _yaml(inner) == fast, inner


@pytest.mark.parametrize("inner", [
    "client: Client 1\ndate: 2026-11-02\nstart: 10:00\nend: 10:50\ncpt: 90834",
    "Client Location : home, Ohio\nduration: 53 min\n\ndiagnosis: F41.1",
    "a:\nb: x?y\nc: b -c\nc: last wins",
])
def test_everyday_front_matter_takes_the_fast_path(inner):
    assert _plain_yaml(inner) is not None
    assert _plain_yaml(inner) == _yaml(inner)


@pytest.mark.parametrize("inner", [
    'client: "Quoted Name"', "diagnosis:\n  - F41.1\n  - F32.1", "note: see plan # later",
    "a: b: c", "tags: [x, y]", "a: x\r\nb: y", "client: x\n bad: indent",
])
def test_anything_else_goes_to_yaml(inner):
    assert _plain_yaml(inner) is None


def test_a_note_reads_the_same_either_way():
    text = "---\nclient: Client 7\ndate: 2026-11-02\nstart: 10:00\n---\nS: ok\n"
    offset, data, problems = read_front_matter(text)
    assert (data, problems) == ({"client": "Client 7", "date": "2026-11-02", "start": "10:00"}, [])
    assert text[offset:] == "S: ok\n"


@settings(max_examples=2000, deadline=None)
@given(st.one_of(
    st.text(alphabet="0123456789-:/ ", min_size=4, max_size=11),
    st.builds("{:04d}-{:02d}-{:02d}".format, st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32)),
    st.builds("{:02d}:{:02d}".format, st.integers(0, 25), st.integers(0, 61)),
))
@example("2026-11-02")
@example("2026-02-30")
@example("0000-01-01")
@example("10:50")
@example("24:00")
@example("9:30")
def test_date_and_time_fast_paths_agree_with_strptime(text):
    """ISO dates and HH:MM times skip strptime; the answer (or the refusal) must not change."""
    import datetime as dt

    from note_formats import metadata

    def slow(parse, patterns):
        for pattern in patterns:
            try:
                return parse(pattern)
            except ValueError:
                continue
        return "refused"

    def fast(convert):
        try:
            return convert(text)
        except ValueError:
            return "refused"

    date_patterns = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%d %B %Y", "%B %d, %Y", "%b %d, %Y")
    assert fast(metadata._date) == slow(lambda p: dt.datetime.strptime(text.strip(), p).date(),
                                        date_patterns)
    time_text = text.strip().lower().replace(".", "")
    time_patterns = ("%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M%p", "%I %p", "%I%p", "%H%M")
    assert fast(metadata._time) == slow(lambda p: dt.datetime.strptime(time_text, p).time(),
                                        time_patterns)
