"""Note header metadata: front matter (``---`` YAML or ``+++`` TOML) and ``Key: value`` lines.

Values are read leniently: a value that cannot be understood is reported as a problem (the
checks turn problems into findings) and never raises.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib

from pydantic import BaseModel, ConfigDict, Field

_KEY_ALIASES: dict[str, str] = {
    "client": "client", "client name": "client", "patient": "client", "name": "client",
    "client id": "client",
    "date": "date", "date of service": "date", "dos": "date", "session date": "date",
    "service date": "date",
    "start": "start", "start time": "start", "time in": "start", "begin": "start",
    "end": "end", "end time": "end", "stop": "end", "stop time": "end", "time out": "end",
    "duration": "duration", "length": "duration", "minutes": "duration",
    "cpt": "cpt", "cpt code": "cpt", "service code": "cpt", "billing code": "cpt",
    "format": "format", "note format": "format",
    "clinician": "clinician", "provider": "clinician", "therapist": "clinician",
    "rendering provider": "clinician",
    "credentials": "credentials",
    "modality": "modality", "service type": "modality", "session type": "modality",
    "diagnosis": "diagnosis", "diagnoses": "diagnosis", "dx": "diagnosis", "icd-10": "diagnosis",
    "icd10": "diagnosis",
    "platform": "platform", "telehealth platform": "platform",
    "client location": "client_location", "location": "client_location",
    "part2": "part2", "part 2": "part2",
    "written": "written", "entry date": "written", "written on": "written",
    "signed": "signature", "signature": "signature", "electronically signed by": "signature",
}
_KEY_ALIASES.update({canonical: canonical for canonical in set(_KEY_ALIASES.values())})
_KEY_ALIASES["duration_minutes"] = "duration"

_HEADER_LINE = re.compile(r"^[ \t]*(?:[-*][ \t]+)?\**(?P<key>[A-Za-z][A-Za-z0-9 ./-]{0,30}?)\**[ \t]*:[ \t]*(?P<value>.+?)[ \t]*$", re.M)
_ICD10 = re.compile(r"\b[A-TV-Z][0-9][0-9AB](?:\.[0-9A-TV-Z]{1,4})?\b")


class NoteHeader(BaseModel):
    """The header fields payers expect on every progress note (DOMAIN.md section 2)."""

    model_config = ConfigDict(extra="forbid")

    client: str | None = None
    date: dt.date | None = None
    start: dt.time | None = None
    end: dt.time | None = None
    duration_minutes: int | None = None
    cpt: str | None = None
    format: str | None = None
    clinician: str | None = None
    credentials: str | None = None
    modality: str | None = None
    diagnosis: list[str] = Field(default_factory=list)
    platform: str | None = None
    client_location: str | None = None
    part2: bool = False
    written: dt.date | None = None
    signature: str | None = None

    @property
    def minutes(self) -> int | None:
        """Session length: start/stop when both are known, else the stated duration."""
        if self.start and self.end:
            begin = dt.datetime.combine(dt.date.min, self.start)
            finish = dt.datetime.combine(dt.date.min, self.end)
            delta = int((finish - begin).total_seconds() // 60)
            return delta if delta >= 0 else delta + 24 * 60
        return self.duration_minutes


def read_front_matter(text: str) -> tuple[int, dict[str, object], list[str]]:
    """(offset where the body starts, raw metadata, problems)."""
    body = text[1:] if text.startswith("\ufeff") else text
    skip = len(text) - len(body)
    for fence, kind in (("---", "yaml"), ("+++", "toml")):
        first = re.match(rf"{re.escape(fence)}[ \t]*\r?\n", body)
        if not first:
            continue
        close = re.compile(rf"^{re.escape(fence)}[ \t]*(?:\r?\n|\Z)", re.M).search(body, first.end())
        if not close:
            return 0, {}, [f"front matter opened with {fence} but never closed"]
        inner = body[first.end() : close.start()]
        data, problem = _load(inner, kind)
        return skip + close.end(), data, [problem] if problem else []
    return 0, {}, []


# One "key: value" line whose value YAML reads as a plain string (no quotes, flow collections,
# anchors, tags, comments, block scalars or nested "key: value"), as nearly every note has.
_PLAIN_YAML_LINE = re.compile(
    r"(?P<key>[A-Za-z_][A-Za-z0-9_ -]*?)[ ]*:"
    r"(?:[ ]+(?P<value>[A-Za-z0-9_(.$/+=~]{_C}*?(?::[^ {_X}]{_C}*?)*))?[ ]*".format(
        # any printable character but "#" (a comment) and ":" (only "a:b"-style colons are kept)
        _C=r"[^#:\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]",
        _X=r"#:\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff"),
)


def _plain_yaml(inner: str) -> dict[str, str] | None:
    """What YAML's BaseLoader reads from front matter made only of plain ``key: value`` lines,
    without loading PyYAML (a tenth of a note's check); None for anything else."""
    data: dict[str, str] = {}
    for line in inner.split("\n"):
        if not line.strip():
            continue
        match = _PLAIN_YAML_LINE.fullmatch(line)
        if match is None:
            return None
        data[match.group("key")] = match.group("value") or ""
    return data or None


def _load(inner: str, kind: str) -> tuple[dict[str, object], str | None]:
    try:
        if kind == "yaml" and (plain := _plain_yaml(inner)) is not None:
            data = plain
        elif kind == "toml":
            data = tomllib.loads(inner)
        else:
            import yaml  # lazy: only notes with YAML front matter pay for it

            loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)  # libyaml when present: 10x faster
            data = yaml.load(inner, Loader=loader)  # BaseLoader: every value a string
    except Exception as exc:  # noqa: BLE001 - any parser error is a user problem, reported
        line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return {}, f"front matter is not valid {kind.upper()}: {line}"
    if data is None:
        return {}, None
    if not isinstance(data, dict):
        return {}, f"front matter must be key: value pairs, not {type(data).__name__}"
    return {str(k).strip().lower(): v for k, v in data.items()}, None


def _header_key(match: re.Match[str]) -> str | None:
    """The header field a ``Key: value`` line names (``Date of service`` -> ``date``), if any."""
    return _KEY_ALIASES.get(re.sub(r"\s+", " ", match.group("key").strip().lower()))


def header_from_lines(preamble: str) -> dict[str, object]:
    """``Date: 2026-11-20`` style lines written above the first section heading."""
    found: dict[str, object] = {}
    for match in _HEADER_LINE.finditer(preamble):
        key = _header_key(match)
        if key and key not in found:
            found[key] = match.group("value")
    return found


def without_header_lines(text: str) -> str:
    """``text`` without the ``Key: value`` lines :func:`header_from_lines` reads as the header
    (what a free-text note says besides its header)."""
    return _HEADER_LINE.sub(lambda m: "" if _header_key(m) else m.group(0), text)


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.replace("-", "").isascii():
        try:
            return dt.date.fromisoformat(text)  # YYYY-MM-DD, most notes: no strptime
        except ValueError:
            pass
    for pattern in ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%d %B %Y", "%B %d, %Y", "%b %d, %Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"cannot read date {text!r} (use YYYY-MM-DD)")


def _time(value: object) -> dt.time:
    if isinstance(value, dt.time):
        return value.replace(tzinfo=None)
    text = str(value).strip().lower().replace(".", "")
    if len(text) == 5 and text[2] == ":" and text[:2].isdigit() and text[3:].isdigit() and text.isascii():
        try:
            return dt.time(int(text[:2]), int(text[3:]))  # HH:MM, most notes: no strptime
        except ValueError:
            pass
    for pattern in ("%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M%p", "%I %p", "%I%p", "%H%M"):
        try:
            return dt.datetime.strptime(text, pattern).time()
        except ValueError:
            continue
    raise ValueError(f"cannot read time {value!r} (use HH:MM)")


def _minutes(value: object) -> int:
    match = re.match(r"^\s*(\d{1,3})\s*(?:min(?:ute)?s?|m)?\s*$", str(value), re.I)
    if not match:
        raise ValueError(f"cannot read duration {value!r} (use minutes, e.g. 50)")
    return int(match.group(1))


def _diagnoses(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value]
    codes: list[str] = []
    for item in items:
        text = str(item)
        found = _ICD10.findall(text)
        codes.extend(found if found else [text.strip()])
    return [c for c in codes if c]


_CONVERTERS = {
    "date": _date, "written": _date, "start": _time, "end": _time, "duration": _minutes,
    "diagnosis": _diagnoses,
}


def normalize_metadata(raw: dict[str, object]) -> tuple[NoteHeader, list[str]]:
    """Map raw keys (any alias, any case) onto :class:`NoteHeader`, reporting bad values."""
    values: dict[str, object] = {}
    problems: list[str] = []
    for raw_key, value in raw.items():
        key = _KEY_ALIASES.get(str(raw_key).strip().lower(), None)
        if key is None or value is None or (isinstance(value, str) and not value.strip()):
            continue
        try:
            if key in _CONVERTERS:
                converted = _CONVERTERS[key](value)
            elif key == "part2":
                converted = str(value).strip().lower() in ("true", "yes", "1", "y")
            else:
                converted = str(value).strip()
        except ValueError as exc:
            problems.append(f"{raw_key}: {exc}")
            continue
        values["duration_minutes" if key == "duration" else key] = converted
    return NoteHeader(**values), problems
