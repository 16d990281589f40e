"""What payers audit in a progress note (DOMAIN.md section 4): header fields, time vs CPT,
signature, timeliness, named interventions, client response, content in the right section,
medical necessity. Each rule cites its audit id (A1-A18) in the catalogue.

Cue language and the CPT table are data (``data/lexicons/documentation.toml``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from abbreviations import regex_cache
from note_formats import FREE_TEXT
from note_formats.metadata import _KEY_ALIASES  # the header's own alias table, so spans agree
from pydantic import BaseModel, ConfigDict

from ..models import Finding
from .context import CheckContext
from .lexicons import lexicon
from .textspans import WORD, FastPattern, TermIndex, data_toml, fast, heading_span, quoted_spans, sentences, trim

NEEDS_DOC = False
_STRUCTURED_INTERVENTION = "intervention"
_CPT_CODE = re.compile(r"\b\d{4}[0-9FTU]\b")
_ICD10 = re.compile(r"\b[A-TV-Z][0-9][0-9AB](?:\.[0-9A-TV-Z]{1,4})?\b")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CptSpec(_Strict):
    code: str
    min: int
    max: int | None = None
    kind: str

    def fits(self, minutes: int) -> bool:
        return self.min <= minutes and (self.max is None or minutes <= self.max)

    @property
    def range(self) -> str:
        return f"{self.min}+ min" if self.max is None else f"{self.min}-{self.max} min"


class Cues(_Strict):
    long_time: str
    long_reason: str
    long_strong: str
    psychotherapy_time: list[str]
    signature_line: str
    credentials: list[str]
    telehealth_modality: str
    telehealth_text: str
    audio_only: str
    platform: str
    location: str
    response: str
    necessity: str
    plan_in_assessment: str
    quote_min_words: int
    mse_quote_lead: str


class DocLexicon(_Strict):
    cpt: list[CptSpec]
    cues: Cues


def _w(pattern: str, flags: int = re.IGNORECASE) -> FastPattern:
    return fast(pattern, flags)


@dataclass(frozen=True)
class _Compiled:
    cpt: dict[str, CptSpec]
    cues: Cues
    long_time: FastPattern
    long_reason: FastPattern
    long_strong: FastPattern
    psychotherapy_time: list[FastPattern]
    signature: FastPattern
    credentials: frozenset[str]
    tele_modality: FastPattern
    tele_text: FastPattern
    audio_only: FastPattern
    platform: FastPattern
    location: FastPattern
    response: FastPattern
    necessity: FastPattern
    plan_in_assessment: FastPattern
    mse_quote_lead: re.Pattern[str]
    techniques: TermIndex


@functools.cache
def compiled() -> _Compiled:
    lex = DocLexicon.model_validate(data_toml("lexicons", "documentation.toml"))
    c = lex.cues
    return _Compiled(
        cpt={spec.code: spec for spec in lex.cpt}, cues=c,
        long_time=_w(c.long_time), long_reason=_w(c.long_reason), long_strong=_w(c.long_strong),
        psychotherapy_time=[_w(p) for p in c.psychotherapy_time],
        signature=FastPattern(c.signature_line, re.IGNORECASE | re.MULTILINE),
        credentials=frozenset(c.credentials),
        tele_modality=_w(c.telehealth_modality), tele_text=_w(c.telehealth_text),
        audio_only=_w(c.audio_only), platform=_w(c.platform), location=_w(c.location),
        response=_w(c.response), necessity=_w(c.necessity),
        plan_in_assessment=_w(c.plan_in_assessment),
        mse_quote_lead=regex_cache.compile(rf"(?:{c.mse_quote_lead})[\s,:;.-]*$", re.IGNORECASE),
        techniques=TermIndex(lexicon("interventions")),
    )


def header_value_span(ctx: CheckContext, field: str) -> tuple[int, int]:
    """Where the header value of ``field`` (canonical key, e.g. "cpt") is written, else 0..0."""
    limit = max(ctx.parsed.preamble_end, ctx.parsed.front_matter_end)
    for raw_key, value in ctx.parsed.raw_metadata.items():
        if _KEY_ALIASES.get(str(raw_key).strip().lower()) != field or value is None:
            continue
        needle = str(value).strip()
        at = ctx.text.find(needle, 0, limit) if needle else -1
        if at >= 0:
            return at, at + len(needle)
    return 0, 0


def _codes(cpt: str | None) -> list[str]:
    return _CPT_CODE.findall(cpt or "")


def _psychotherapy_minutes(text: str) -> tuple[int, int, int] | None:
    for pattern in compiled().psychotherapy_time:
        m = pattern.search(text)
        if m:
            return int(m.group("minutes")), m.start(), m.end()
    return None


def _time_rules(ctx: CheckContext) -> Iterator[Finding]:
    c, header, text = compiled(), ctx.parsed.header, ctx.text
    minutes = header.minutes
    if (header.start and header.end and header.end < header.start and minutes is not None
            and minutes > int(ctx.profile.option("overnight_max_minutes", 180))):
        # "10:00-09:00" is a slip, not a 23-hour session: say so instead of judging the CPT
        # code and the length against 1,380 minutes
        yield ctx.finding("DOC-TIME-ORDER", *header_value_span(ctx, "end"), section=None,
                          start_time=f"{header.start:%H:%M}", stop_time=f"{header.end:%H:%M}",
                          minutes=minutes)
        return
    if minutes is None:
        yield ctx.finding("DOC-NO-TIME", 0, 0, section=None)
    elif not (header.start and header.end):
        yield ctx.finding("DOC-DURATION-ONLY", *header_value_span(ctx, "duration"), section=None,
                          minutes=minutes)
    codes = _codes(header.cpt)
    specs = [c.cpt[code] for code in codes if code in c.cpt]
    cpt_span = header_value_span(ctx, "cpt")
    for spec in specs:
        used = minutes
        if spec.kind == "add-on":
            stated = _psychotherapy_minutes(text)
            if stated is None:
                yield ctx.finding("DOC-ADDON-NO-PSYCHOTHERAPY-TIME", *cpt_span, section=None,
                                  code=spec.code)
                continue
            used = stated[0]
        if used is None:
            continue
        if used < 16:
            yield ctx.finding("DOC-TIME-NOT-BILLABLE", *cpt_span, section=None, minutes=used,
                              code=spec.code, data={"minutes": used, "code": spec.code})
        elif not spec.fits(used):
            fit = next((s.code for s in c.cpt.values() if s.kind == spec.kind and s.fits(used)), "none")
            yield ctx.finding("DOC-CPT-TIME-MISMATCH", *cpt_span, section=None, code=spec.code,
                              range=spec.range, minutes=used, fit=fit,
                              data={"minutes": used, "code": spec.code, "fits": fit})
    if not specs and minutes is not None and minutes < 16 and not codes:
        yield ctx.finding("DOC-TIME-NOT-BILLABLE", 0, 0, section=None, minutes=minutes,
                          code="psychotherapy", data={"minutes": minutes})
    long_session = (minutes is not None and minutes > 52 and not any(s.kind == "add-on" for s in specs)) \
        or any(s.code in ("90837", "90838") for s in specs)
    if long_session and not _states_reason(text):
        span = cpt_span if cpt_span != (0, 0) else header_value_span(ctx, "start")
        yield ctx.finding("DOC-LONG-SESSION-NO-REASON", *span, section=None,
                          minutes=minutes if minutes is not None else "53+")


def _states_reason(text: str) -> bool:
    c = compiled()
    if c.long_strong.search(text):
        return True
    for start, end in sentences(text):
        if c.long_time.search(text, start, end) and c.long_reason.search(text, start, end):
            return True
    return False


def _header_rules(ctx: CheckContext) -> Iterator[Finding]:
    c, header, text = compiled(), ctx.parsed.header, ctx.text
    if header.date is None:
        yield ctx.finding("DOC-NO-DATE", 0, 0, section=None)
    else:
        date_span = header_value_span(ctx, "date")
        if header.date > ctx.today:
            yield ctx.finding("DOC-FUTURE-DATE", *date_span, section=None,
                              date=header.date.isoformat(), today=ctx.today.isoformat())
        late_days = int(ctx.profile.option("late_entry_days", 3))
        if header.written and (header.written - header.date).days > late_days:
            yield ctx.finding("DOC-LATE-ENTRY", *header_value_span(ctx, "written"), section=None,
                              days=(header.written - header.date).days, limit=late_days,
                              date=header.date.isoformat(), written=header.written.isoformat())
    if not header.diagnosis:
        yield ctx.finding("DOC-NO-DIAGNOSIS", 0, 0, section=None)
    elif not any(_ICD10.search(d) for d in header.diagnosis):
        yield ctx.finding("DOC-DIAGNOSIS-NO-CODE", *header_value_span(ctx, "diagnosis"), section=None)
    if not header.modality:
        yield ctx.finding("DOC-NO-MODALITY", 0, 0, section=None)
    modality = header.modality or ""
    tele = c.tele_modality.search(modality) or c.tele_text.search(text)
    if tele:
        span = header_value_span(ctx, "modality") if c.tele_modality.search(modality) else tele.span()
        audio = bool(c.audio_only.search(modality)) or bool(c.audio_only.search(tele.group(0)))
        if not header.platform and not audio and not c.platform.search(text):
            yield ctx.finding("DOC-TELEHEALTH-NO-PLATFORM", *span, section=ctx.section_key(span[0]))
        if not header.client_location and not c.location.search(text):
            yield ctx.finding("DOC-TELEHEALTH-NO-LOCATION", *span, section=ctx.section_key(span[0]))
    yield from _signature_rules(ctx)


def _credentialed(value: str) -> bool:
    tokens = re.split(r"[\s,;/()]+", value.replace(".", ""))
    return any(t in compiled().credentials for t in tokens)


def _signature_rules(ctx: CheckContext) -> Iterator[Finding]:
    c, header, text = compiled(), ctx.parsed.header, ctx.text
    lines = list(c.signature.finditer(text))
    if not lines and not header.signature:
        if not (header.clinician and header.credentials and _credentialed(header.credentials)):
            # An app-built header naming the clinician and credentials means the app applies the
            # e-signature at signing; a bare text note must carry its own signature line.
            yield ctx.finding("DOC-NO-SIGNATURE", len(text), len(text), section=None)
        return
    signers = [m.group("who") for m in lines] + ([header.signature] if header.signature else [])
    if any(_credentialed(s) for s in signers) or (header.credentials and _credentialed(header.credentials)):
        return
    start, end = (lines[-1].span("who") if lines else header_value_span(ctx, "signature"))
    yield ctx.finding("DOC-SIGNATURE-NO-CREDENTIALS", start, end, section=ctx.section_key(start)
                      if lines else None)


def _format_requires_technique(ctx: CheckContext) -> bool:
    if ctx.fmt is None:
        return False
    return any(
        element.lexicon == "interventions"
        for section in ctx.fmt.sections if section.key == _STRUCTURED_INTERVENTION
        for element in section.elements
    )


def _content_rules(ctx: CheckContext) -> Iterator[Finding]:
    c, parsed, text = compiled(), ctx.parsed, ctx.text
    keys = {s.key for s in parsed.sections}
    structured = _STRUCTURED_INTERVENTION in keys or (ctx.fmt is not None and any(
        s.key == _STRUCTURED_INTERVENTION for s in ctx.fmt.sections))
    body_from = parsed.front_matter_end
    # A4: named techniques.
    if structured:
        section = parsed.section(_STRUCTURED_INTERVENTION)
        if _format_requires_technique(ctx):
            pass  # the format's own required element (FMT-ELEMENT-MISSING) already says it
        elif section is not None and WORD.search(text, section.body_start, section.end) and not any(
            c.techniques.search(text, s.body_start, s.end)
            for s in parsed.sections if s.key == _STRUCTURED_INTERVENTION
        ):
            yield ctx.finding("DOC-INTERVENTION-NOT-NAMED", *trim(text, section.start, section.body_start))
    elif text.strip() and not c.techniques.search(text, body_from):
        yield ctx.finding("DOC-INTERVENTION-NOT-NAMED", *heading_span(parsed, "assessment", "data"))
    # A9: client response.
    if "response" in keys or (ctx.fmt is not None and any(s.key == "response" for s in ctx.fmt.sections)):
        for section in (s for s in parsed.sections if s.key == "response"):
            if WORD.search(text, section.body_start, section.end) and not c.response.search(
                    text, section.body_start, section.end):
                yield ctx.finding("DOC-NO-CLIENT-RESPONSE", *trim(text, section.start, section.body_start))
    elif text.strip() and not c.response.search(text, body_from):
        yield ctx.finding("DOC-NO-CLIENT-RESPONSE", *heading_span(parsed, "assessment", "data", "plan"))
    # Content in the wrong section.
    if parsed.format != FREE_TEXT and "plan" in keys:
        for section in (s for s in parsed.sections if s.key == "assessment"):
            for m in list(c.plan_in_assessment.finditer(text, section.body_start, section.end))[:3]:
                yield ctx.finding("DOC-PLAN-IN-ASSESSMENT", m.start(), m.end(), cue=m.group(0),
                                  phrase=m.group(0))
    for section in (s for s in parsed.sections if s.key == "objective"):
        for start, end in quoted_spans(text[section.body_start:section.end]):
            start, end = start + section.body_start, end + section.body_start
            if len(WORD.findall(text, start, end)) < c.cues.quote_min_words:
                continue
            # The MSE quotes the client by convention: mood in their words, a proverb and its
            # interpretation.
            if c.mse_quote_lead.search(text, max(section.body_start, start - 60), start):
                continue
            yield ctx.finding("DOC-QUOTE-IN-OBJECTIVE", start, end)
    # A8: medical necessity.
    if text.strip() and not c.necessity.search(text, body_from):
        yield ctx.finding("DOC-NO-MEDICAL-NECESSITY", *heading_span(parsed, "assessment", "data", "problem"))


def run(ctx: CheckContext) -> Iterator[Finding]:
    if not ctx.text.strip():
        return
    yield from _header_rules(ctx)
    yield from _time_rules(ctx)
    yield from _content_rules(ctx)
