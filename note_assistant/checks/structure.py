"""Format rules: required sections present and not trivial, required elements, header readable."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from note_formats import FREE_TEXT, RequiredElement
from note_formats.metadata import without_header_lines

from ..models import Finding
from .context import CheckContext
from .lexicons import lexicon

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'/-]*")


def run(ctx: CheckContext) -> Iterator[Finding]:
    parsed, text = ctx.parsed, ctx.text
    for problem in parsed.problems:
        yield ctx.finding("FMT-HEADER-UNREADABLE", 0, parsed.front_matter_end, problem=problem)
    if parsed.format == FREE_TEXT or ctx.fmt is None:
        if without_header_lines(text[parsed.front_matter_end:]).strip():
            yield ctx.finding("FMT-FREE-TEXT", 0, 0, section=None)
        else:  # nothing after the header: nothing to sign (an error, so signing stops)
            yield ctx.finding("FMT-EMPTY-NOTE", 0, 0, section=None)
        return
    fmt = ctx.fmt
    seen: set[str] = set()
    for section in parsed.sections:
        if section.key in seen:
            spec = fmt.section(section.key)
            yield ctx.finding("FMT-REPEATED-SECTION", section.start, section.body_start,
                              section_title=spec.title)
        seen.add(section.key)
    for spec in fmt.sections:
        if spec.key not in seen:
            if spec.required:
                yield ctx.finding("FMT-MISSING-SECTION", len(text), len(text), section=spec.key,
                                  format=fmt.name, section_title=spec.title, prompt=spec.prompt)
            continue
        body = parsed.body(spec.key)
        first = parsed.section(spec.key)
        words = len(_WORD.findall(body))
        if words == 0:
            yield ctx.finding("FMT-EMPTY-SECTION", first.start, first.body_start,
                              section_title=spec.title, prompt=spec.prompt)
            continue
        if words < spec.min_words:
            yield ctx.finding("FMT-SHORT-SECTION", first.start, first.body_start,
                              section_title=spec.title, words=words, min_words=spec.min_words,
                              prompt=spec.prompt)
        for element in spec.elements:
            if not element_present(element, body):
                finding = ctx.finding("FMT-ELEMENT-MISSING", first.start, first.body_start,
                                      section_title=spec.title, description=element.description,
                                      example=spec.example, data={"element": element.id})
                update = {"severity": element.severity}
                if element.source:
                    update["source"] = element.source
                yield finding.model_copy(update=update)


@functools.lru_cache(maxsize=128)
def _element_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    alternation = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9])(?:{alternation})(?![A-Za-z0-9])", re.IGNORECASE)


def element_present(element: RequiredElement, body: str) -> bool:
    terms = tuple(element.any_terms) + (tuple(lexicon(element.lexicon)) if element.lexicon else ())
    return bool(terms) and _element_pattern(terms).search(body) is not None
