"""The clinical tokenizer: shorthand stays whole, doses and scores split sensibly."""

from __future__ import annotations

import pytest
import spacy

from abbreviations.tokenizer import make_clinical_tokenizer, use_clinical_tokenizer


@pytest.fixture(scope="module")
def nlp():
    return use_clinical_tokenizer(spacy.blank("en"))


def words(nlp, text: str) -> list[str]:
    return [t.text for t in nlp.make_doc(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sertraline 50 mg b.i.d.", ["sertraline", "50", "mg", "b.i.d."]),
        ("pt s/p MVA", ["pt", "s/p", "MVA"]),
        ("c/o HA", ["c/o", "HA"]),
        ("A&Ox4, calm", ["A&Ox4", ",", "calm"]),
        ("f/u in 2 wks", ["f/u", "in", "2", "wks"]),
        ("seen w/o mom", ["seen", "w/o", "mom"]),
        ("w/o.", ["w/o", "."]),
        ("DC'd from unit", ["DC'd", "from", "unit"]),
        ("D/C sertraline", ["D/C", "sertraline"]),
        ("D/C'd today", ["D/C'd", "today"]),
        ("h/o SI", ["h/o", "SI"]),
        ("denies SI/HI.", ["denies", "SI", "/", "HI", "."]),
        ("S.I./H.I.: denied", ["S.I.", "/", "H.I.", ":", "denied"]),
        ("Legal: N/A.", ["Legal", ":", "N/A", "."]),
        ("lives w/mother", ["lives", "w/", "mother"]),
        ("PHQ-9 of 12", ["PHQ-9", "of", "12"]),
        ("GAD-7=9", ["GAD-7", "=", "9"]),
        ("C-SSRS negative", ["C-SSRS", "negative"]),
        ("TF-CBT and CBT-I", ["TF-CBT", "and", "CBT-I"]),
        ("DSM-5-TR and DSM-IV-TR", ["DSM-5-TR", "and", "DSM-IV-TR"]),
        ("PHQ-9-A of 12", ["PHQ-9-A", "of", "12"]),
        ("0.5 mg", ["0.5", "mg"]),
        ("10mg", ["10", "mg"]),
        ("5mL", ["5", "mL"]),
        ("10U", ["10", "U"]),
        ("on 2026-11-26.", ["on", "2026-11-26", "."]),
        ("on 11/26/2026", ["on", "11/26/2026"]),
        ("at 10:30", ["at", "10:30"]),
        ("at 2pm", ["at", "2", "pm"]),
        ("at 10:30am", ["at", "10:30", "am"]),
        ("rated 7/10", ["rated", "7/10"]),
        ("PCP's office", ["PCP", "'s", "office"]),
        ("SSRIs", ["SSRIs"]),
        ("Dr. Smith", ["Dr.", "Smith"]),
        ("don't", ["do", "n't"]),
    ],
)
def test_clinical_tokens(nlp, text, expected):
    assert words(nlp, text) == expected


def test_default_tokenizer_differs_where_it_matters():
    """Guards the test table above: spaCy's own rules split these apart."""
    plain = spacy.blank("en")
    assert [t.text for t in plain("s/p")] != ["s/p"]
    assert [t.text for t in plain("C-SSRS")] != ["C-SSRS"]


def test_cache_warming_changes_nothing(nlp):
    """The wrapper's cache fix gives exactly the wrapped tokenizer's tokens, repeatedly."""
    text = (
        "Dr. Lee saw pt today. Client can't sleep; c/o HA x3d. Sertraline 50mg b.i.d., "
        "f/u 2026-11-26 @ 10:30. PHQ-9 = 14, GAD-7 9, C-SSRS neg. DC'd from IOP w/o issues."
    )
    inner = nlp.tokenizer.tokenizer
    for _ in range(3):
        assert [t.text for t in nlp.make_doc(text)] == [t.text for t in inner(text)]
        assert nlp.make_doc(text).text == text


def test_make_clinical_tokenizer_does_not_modify_nlp():
    nlp = spacy.blank("en")
    before = nlp.tokenizer
    tokenizer = make_clinical_tokenizer(nlp)
    assert nlp.tokenizer is before
    assert [t.text for t in tokenizer("s/p")] == ["s/p"]


def test_language_tokenizer_is_spacys_default_tokenizer():
    """blank_clinical builds spaCy's default English tokenizer itself (its expressions through
    the regex cache); it must split text exactly as spacy.blank("en") does."""
    import json
    from pathlib import Path

    import spacy

    from abbreviations.tokenizer import blank_clinical

    ours = blank_clinical("en").tokenizer.language_tokenizer
    theirs = spacy.blank("en").tokenizer
    data = Path(__file__).parents[2] / "eval" / "data"
    texts = [json.loads(line)["text"] for name in ("process_content.jsonl", "abbreviation_senses.jsonl")
             for line in (data / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    texts += ["Dr. Smith's pt. (don't) e-mail: a@b.com https://x.org 3:30pm $5.00 U.S. 10mg b.i.d."]
    assert len(texts) > 500
    for text in texts:
        assert [t.text for t in ours(text)] == [t.text for t in theirs(text)], text


@pytest.mark.parametrize("run", ["'", "#", "*", "(", ".", "a:", "xy", "https://example.org/a?b="])
def test_long_spaceless_runs_are_cut_and_the_text_kept(nlp, run):
    """A run longer than MAX_CHUNK (spaCy's affix rules are quadratic in it) is cut into
    MAX_CHUNK-character tokens; the rest of the text is tokenized as usual."""
    from abbreviations.tokenizer import MAX_CHUNK

    blob = (run * (3 * MAX_CHUNK))[: 3 * MAX_CHUNK + 7]
    text = f"S: Pt c/o HA.  {blob}\n  O: calm, A&Ox4 "
    doc = nlp.make_doc(text)
    assert doc.text == text
    assert max(len(t.text) for t in doc) <= MAX_CHUNK
    assert [t.text for t in doc][:6] == ["S", ":", "Pt", "c/o", "HA", "."]
    assert [t.text for t in doc if t.text.strip()][-4:] == ["O", ":", "calm", ",", "A&Ox4"][-4:]
    assert "".join(t.text_with_ws for t in doc) == text


def test_text_without_long_runs_is_tokenized_exactly_as_before(nlp):
    """The cut applies only past MAX_CHUNK: the eval corpora tokenize as the wrapped tokenizer
    does (their longest run is far shorter)."""
    import json
    from pathlib import Path

    data = Path(__file__).parents[2] / "eval" / "data"
    texts = [json.loads(line)["text"] for name in ("process_content.jsonl", "abbreviation_senses.jsonl")
             for line in (data / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    inner = nlp.tokenizer.tokenizer
    for text in texts:
        assert [t.text for t in nlp.make_doc(text)] == [t.text for t in inner(text)], text


def test_one_call_leaves_every_chunk_cached():
    """After one call, tokenizing the same text again runs no affix rule: every chunk,
    plain words and special cases alike, is in spaCy's cache (explosion/spaCy#13950)."""
    clinical = make_clinical_tokenizer(spacy.blank("en"))
    inner = clinical.tokenizer
    calls = []
    search = inner.prefix_search

    def counting(text):
        calls.append(text)
        return search(text)

    inner.prefix_search = counting  # (setting it empties spaCy's cache)
    text = ("Dr. Lee saw the client today, and she can't sleep. Mood low, affect flat; "
            "denies SI. Sertraline 50mg b.i.d. Mr. Smith called. Plan: weekly sessions, "
            "homework reviewed.")
    words = [t.text for t in clinical(text)]
    calls.clear()
    assert [t.text for t in inner(text)] == words
    assert calls == []
