"""Build ``abbreviations/data/general.jsonl`` from the Meta-Inventory source inventories.

Run from the repository root (needs ``../shared/data``; the built file is committed so the
package works without it):

    python -m abbreviations.tools.build_general [--shared PATH] [--out PATH]

What it takes, and why (see ``abbreviations/data/ATTRIBUTION.md``):

* Vanderbilt clinic notes and discharge summaries (CARD): senses with corpus frequencies, which
  become the priors; observed spellings decide case handling; UMLS concept ids, which mark two
  wordings of one meaning (``concept``) so they are not offered as alternatives.
* Stetson sign-out notes: sense proportions from Columbia cross-cover notes.
* Dropped: Wikipedia rows (CC BY-SA share-alike would attach to the whole file), Berman
  (pathology), Columbia obstetrics (out of scope), and every pair the Meta-Inventory retired
  in ``auxiliary/RetiredRecords_Version1.0.0.csv``.

Forms are kept when they are 2-8 characters with a letter and have a clinical sense. Entries are
case-sensitive and list the spellings clinicians were seen to use (``LEE`` is lower extremity
edema, ``Lee`` a name). Forms that are also everyday English words (``act``, ``bed``) keep only
their capitalised spellings, and function words in English or Spanish (``us``, ``la``) are left
to the curated layer, which can ask for cue words.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.lang.es.stop_words import STOP_WORDS as SPANISH_STOP_WORDS

from abbreviations.schema import InventoryEntry

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SHARED = ROOT.parent / "shared" / "data" / "clinical_abbreviation_metainventory"
DEFAULT_OUT = ROOT / "abbreviations" / "data" / "general.jsonl"

VANDERBILT = {
    "Vanderbilt Clinic Notes": "vanderbilt_clinic_notes.txt",
    "Vanderbilt Discharge Sums": "vanderbilt_discharge_sums.txt",
}
STETSON = ("Stetson", "sense_distribution_448.txt")

JUNK_SENSE = re.compile(
    r"typo|initials|not an? (acronym|abbreviation)|unknown|\*\*|^name\b|^null$|^none$|"
    r"should be|misspell|^[^a-z]*$",
    re.IGNORECASE,
)
LATIN = {
    "bis in die": "twice a day", "ter in die": "three times a day",
    "quater in die": "four times a day", "quaque die": "every day", "hora somni": "at bedtime",
    "pro re nata": "as needed", "per os": "by mouth", "nil per os": "nothing by mouth",
    "quaque hora somni": "every night at bedtime", "quaque hora": "every hour",
}
"""Latin glosses some sources list beside their English sense: folded into the English one."""
TRUNCATED = {"total iron binding capacit": "total iron binding capacity"}
"""Senses a source cut short (found by looking for a last word that occurs once and begins a
longer word of another sense): written out."""
UNITS = frozenset(
    "mg mcg g gm kg ml l dl cc cm mm km lb lbs oz mmhg meq mmol iu hr hrs min mins sec secs "
    "wk wks mo mos yr yrs tsp tbsp msec gms kgs".split()
)
"""Units of measure: kept, but in category ``unit`` so a checker can leave them alone."""
TEXTING = frozenset("bc bf gf ur pls thx tho lol idk imo tbh wd".split())
"""Texting shorthand that clinicians and clients write in lower case."""
PIECES = frozenset("na ta ve ll re fe et".split())
"""Lower-case spellings that are pieces of ordinary words after tokenizing (gon-na, I-ve) or
common foreign words ("et al."): these spellings are dropped, capitalised ones (Na, FE) kept."""
TITLES = frozenset("dr mr mrs ms jr st".split())
"""Titles and name parts: not worth expanding, and they collide with names."""
ROMAN = frozenset("ii iii vi vii viii ix xi xii".split())
"""Roman numerals: part of a name ("bipolar II", "class III", "CN XII"), not abbreviations
("IV", intravenous, stays)."""
MIN_PRIOR = 0.01
MAX_SENSES = 4
MAX_FORM_LEN = 8


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return (slug or "sense")[:60].rstrip("-")


def _dictionary() -> tuple[set[str], set[str]]:
    """(everyday English words: frequent in spaCy's lexeme table and in its lemma table,
    every word of the lemma table)."""
    try:
        import spacy_lookups_data
    except ImportError:  # pragma: no cover - build-time only
        sys.exit("build_general needs spacy and spacy-lookups-data")
    data = Path(spacy_lookups_data.__file__).parent / "data"
    prob = json.load(gzip.open(data / "en_lexeme_prob.json.gz"))
    lemmas = json.load(gzip.open(data / "en_lemma_lookup.json.gz"))
    dictionary = set(lemmas) | set(lemmas.values()) | set(STOP_WORDS)
    english = {w for w, p in prob.items() if p >= -11.5 and w.isalpha() and w in dictionary}
    return english | set(SPANISH_STOP_WORDS) | TEXTING, dictionary


def _retired(shared: Path) -> set[tuple[str, str, str]]:
    path = shared / "auxiliary" / "RetiredRecords_Version1.0.0.csv"
    out: set[tuple[str, str, str]] = set()
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="|"):
            out.add((row["Source"], row["NormSF"].lower(), row["LF"].strip().lower()))
    return out


class _Form:
    def __init__(self) -> None:
        self.freqs: dict[str, list[float]] = defaultdict(list)
        self.spellings: dict[str, int] = defaultdict(int)
        self.sources = 0
        #: UMLS concept ids per sense (the Vanderbilt files list them).
        self.cuis: dict[str, set[str]] = defaultdict(set)


def _canonical_sense(sense: str) -> str:
    """``bis in die (twice a day)`` and ``bis in die`` -> ``twice a day``."""
    match = re.fullmatch(r"(.+?)\s*\((.+)\)", sense)
    if match and match.group(1) in LATIN:
        return LATIN[match.group(1)]
    sense = TRUNCATED.get(sense, sense)
    return LATIN.get(sense, sense)


def _read_vanderbilt(shared: Path, retired: set, forms: dict[str, _Form]) -> None:
    for source, filename in VANDERBILT.items():
        seen: set[str] = set()
        with (shared / "sources" / filename).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                norm = row["abbreviation"].strip().lower().replace("_", "/")
                sense = row["sense"].strip().lower()
                key = (source, norm.replace("/", "_"), sense)
                if not norm or JUNK_SENSE.search(sense) or key in retired:
                    continue
                form = forms.setdefault(norm, _Form())
                if norm not in seen:
                    form.sources += 1
                    seen.add(norm)
                canonical = _canonical_sense(sense)
                form.freqs[canonical].append(float(row["frequency"] or 0))
                form.cuis[canonical].update(
                    c.strip().upper() for c in (row.get("CUI") or "").split("|") if c.strip())
                for item in (row["variation"] or "").split("|"):
                    spelling, _, count = item.rpartition("_")
                    if spelling and count.isdigit():
                        form.spellings[spelling.strip(".")] += int(count)


def _read_stetson(shared: Path, retired: set, forms: dict[str, _Form]) -> None:
    source, filename = STETSON
    seen: set[str] = set()
    with (shared / "sources" / filename).open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3:
                continue
            norm, sense, proportion = parts[0].strip().lower(), parts[1].strip().lower(), parts[2]
            if not norm or JUNK_SENSE.search(sense) or (source, norm, sense) in retired:
                continue
            form = forms.setdefault(norm, _Form())
            if norm not in seen:
                form.sources += 1
                seen.add(norm)
            form.freqs[_canonical_sense(sense)].append(float(proportion))


def _near_duplicate(sense: str, kept: dict[str, float]) -> str | None:
    """An already kept sense spelled nearly the same (``anterior-posterior``/``anteroposterior``)."""
    from rapidfuzz import fuzz

    key = re.sub(r"[^a-z0-9]", "", sense)
    for other in kept:
        if fuzz.ratio(key, re.sub(r"[^a-z0-9]", "", other)) >= 90:
            return other
    return None


_NUMBER_WORDS = {
    w: str(n) for n, words in enumerate([
        (), ("one", "first"), ("two", "second"), ("three", "third"), ("four", "fourth"),
        ("five", "fifth"), ("six", "sixth"), ("seven", "seventh"), ("eight", "eighth"),
        ("nine", "ninth"), ("ten", "tenth"), ("eleven", "eleventh"), ("twelve", "twelfth"),
    ]) for w in words
}
#: Words that say nothing about which meaning a wording has.
_FILLER = {"of", "the", "and", "a", "an", "in", "to", "for", "with", "or", "vertebra", "vertebrae"}


def _wording(sense: str, form: str) -> tuple[str, ...]:
    """What a wording says, with the spelling differences of one meaning taken out: numbers
    as digits ("fourth", "4th", "four" -> "4"), the form itself and filler words dropped,
    "-ological" as "-ology", "-iatric" as "-iatry". ``cervical four`` and ``cervical vertebra
    4`` say the same; ``clinic`` and ``clinical`` do not (no stemming beyond this)."""
    out = set()
    for word in re.findall(r"[a-z0-9]+", sense.lower()):
        if word in _FILLER or word == form:
            continue
        ordinal = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", word)
        word = ordinal.group(1) if ordinal else _NUMBER_WORDS.get(word, word)
        for suffix, replacement in (("ological", "ology"), ("iatric", "iatry")):
            if word.endswith(suffix):
                word = word[:-len(suffix)] + replacement
        out.add(word)
    return tuple(sorted(out))


def _concepts(senses: list[str], cuis: dict[str, set[str]], form: str = "") -> dict[str, str]:
    """A concept id for senses that are one meaning worded twice, transitively: they share a
    UMLS concept (``second heart sound`` and ``s2 (heart sound)``; ``umls:<CUI>``) or say the
    same words (:func:`_wording`: ``lumbar 2`` and ``l2 (second lumbar vertebra)``;
    ``wording:<words>`` when no UMLS concept joins them). The others are left out."""
    group = {sense: sense for sense in senses}

    def root(sense: str) -> str:
        while group[sense] != sense:
            sense = group[sense]
        return sense

    wordings = {sense: _wording(sense, form) for sense in senses}
    for i, a in enumerate(senses):
        for b in senses[i + 1:]:
            if cuis.get(a, set()) & cuis.get(b, set()) or (wordings[a] and wordings[a] == wordings[b]):
                group[root(b)] = root(a)
    members: dict[str, list[str]] = defaultdict(list)
    for sense in senses:
        members[root(sense)].append(sense)
    out: dict[str, str] = {}
    for group_senses in members.values():
        if len(group_senses) > 1:
            shared = set.union(*(cuis.get(s, set()) for s in group_senses))
            concept = ("umls:" + min(shared) if shared
                       else "wording:" + "".join(wordings[group_senses[0]])[:30])
            for sense in group_senses:
                out[sense] = concept
    return out


def _entry(norm: str, form: _Form, words: set[str], dictionary: set[str]) -> dict | None:
    letters = norm
    bare = re.sub(r"[^a-z0-9]", "", letters)
    if not (2 <= len(bare) and len(letters) <= MAX_FORM_LEN) or not re.search(r"[a-z]", bare):
        return None
    # average each sense over the sources that list the form, then renormalise
    scores: dict[str, float] = {}
    for sense, values in sorted(form.freqs.items(), key=lambda kv: -sum(kv[1])):
        if re.sub(r"[^a-z0-9]", "", sense) == bare:
            continue  # "cvs" = "cvs": not an expansion
        score = sum(values) / max(form.sources, 1)
        twin = _near_duplicate(sense, scores)
        scores[twin or sense] = scores.get(twin or sense, 0.0) + score
        if twin:
            form.cuis[twin] |= form.cuis.get(sense, set())
    total = sum(scores.values())
    if total <= 0:
        return None
    ranked = sorted(((p / total, s) for s, p in scores.items()), reverse=True)
    ranked = [(p, s) for p, s in ranked if p >= MIN_PRIOR][:MAX_SENSES]
    kept = sum(p for p, _ in ranked)
    concepts = _concepts([s for _, s in ranked], form.cuis, bare)
    senses, ids = [], set()
    for p, sense in ranked:
        sid = _slug(sense)
        while sid in ids:
            sid += "-x"
        ids.add(sid)
        senses.append({"id": sid, "expansion": sense, "prior": round(p / kept, 4),
                       **({"concept": concepts[sense]} if sense in concepts else {})})
    # make priors add up to <= 1 after rounding
    excess = sum(s["prior"] for s in senses) - 1.0
    if excess > 0:
        senses[0]["prior"] = round(senses[0]["prior"] - excess, 4)
    if bare in TITLES or bare in ROMAN:
        return None
    observed = sorted(form.spellings, key=lambda s: -form.spellings[s])
    spellings = [s for s in observed if s.lower().replace(".", "") == letters.replace(".", "")]
    if letters.isalpha() and bare in words:
        upper = [s for s in spellings if s.isupper()]
        if not upper or bare in STOP_WORDS or bare in SPANISH_STOP_WORDS or bare in TEXTING:
            return None  # "US", "RE", "LA": left to the curated layer, which asks for cues
        return {"form": upper[0], **({"variants": upper[1:]} if upper[1:] else {}),
                "case_sensitive": True, "common_word": True, "category": "general",
                "senses": senses}
    category = "unit" if bare in UNITS else "general"
    if not spellings:  # no observed spellings (Stetson): capitals or lower case
        spellings = [letters.upper(), letters] if letters.upper() != letters else [letters]
    # a lower-case spelling that is an English word is that word: "sob", "aids", "lad", "spy";
    # capitalised, it starts a sentence or is a name: "Peg", "Doe", "Dip", "Reg"; a hyphenated
    # spelling of a word is that word in any case: "x-ray", "X-RAY" ("xray")
    # (two letters stay: "bp", "od"; so do units: "mg", "hrs")
    spellings = [s for s in spellings if not (
        (s.islower() and (s in words or s in PIECES))
        or (len(s) >= 3 and category != "unit" and (s.islower() or (s[0].isupper() and s[1:].islower()))
            and s.lower() in dictionary)
        or ("-" in s and s.lower().replace("-", "") in dictionary))]
    if not spellings:
        return None
    # dotted spellings are written with their final period too: "p.o" -> "p.o."
    spellings += [s + "." for s in spellings if "." in s and not s.endswith(".")]
    if letters.isalpha() and len(letters) <= 3 and not any("." in s for s in spellings):
        spellings += [".".join(letters) + ".", ".".join(letters.upper()) + "."]
    spellings = list(dict.fromkeys(spellings))
    # only the spellings clinicians were seen to use: "LEE" is lower extremity edema,
    # "Lee" is a name
    return {"form": spellings[0], **({"variants": spellings[1:]} if spellings[1:] else {}),
            "case_sensitive": True, "category": category, "senses": senses}


def build(shared: Path) -> list[dict]:
    retired = _retired(shared)
    forms: dict[str, _Form] = {}
    _read_vanderbilt(shared, retired, forms)
    _read_stetson(shared, retired, forms)
    words, dictionary = _dictionary()
    entries = []
    for norm in sorted(forms):
        entry = _entry(norm, forms[norm], words, dictionary)
        if entry is not None:
            InventoryEntry.model_validate(entry)  # fail the build, not the app
            entries.append(entry)
    return entries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if not (args.shared / "sources").is_dir():
        print(f"source inventories not found under {args.shared}", file=sys.stderr)
        return 2
    entries = build(args.shared)
    with args.out.open("w", encoding="utf-8") as handle:
        for entry in entries:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
    print(f"wrote {len(entries)} entries to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
