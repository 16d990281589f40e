"""The spaCy side: factories in anyone's pipeline, sentence boundaries, cheap import."""

from __future__ import annotations

import subprocess
import sys

import spacy

import abbreviations.components  # noqa: F401  (registers the factories, as the entry point would)
from abbreviations import build_pipeline
from abbreviations.extensions import register_extensions


def test_factories_work_in_a_plain_blank_pipeline():
    nlp = spacy.blank("en")
    nlp.add_pipe("abbreviations_expander", config={"window": 8})
    nlp.add_pipe("abbreviations_do_not_use")
    doc = nlp("Client denies SI; lithium 300 mg QD.")
    assert [(a.form, a.category) for a in doc._.abbreviations] == [
        ("SI", "risk"), ("mg", "unit"), ("QD", "dosing")]
    assert [h.rule_id for h in doc._.do_not_use] == ["DNU-QD"]
    assert nlp.get_pipe_config("abbreviations_expander")["window"] == 8


def test_component_configs_hold_only_scalars():
    nlp = build_pipeline()
    for name in nlp.pipe_names:
        for value in nlp.get_pipe_config(name).values():
            assert isinstance(value, str | int | float | bool), (name, value)


def test_extra_paths_config_loads_house_shorthand(tmp_path):
    path = tmp_path / "house.jsonl"
    path.write_text('{"form": "WRC", "category": "clinic", "senses": [{"id": "w", "expansion": '
                    '"wellness recovery center", "prior": 1}]}\n', encoding="utf-8")
    nlp = spacy.blank("en")
    nlp.add_pipe("abbreviations_expander", config={"extra_paths": str(path)})
    assert [a.expansion for a in nlp("At the WRC.")._.abbreviations] == ["wellness recovery center"]


def test_sections_from_doc_extension():
    nlp = build_pipeline()
    doc = nlp.make_doc("MI noted.")
    doc._.section_spans = [(0, 9, "intervention")]
    for _, component in nlp.pipeline:
        doc = component(doc)
    assert doc._.abbreviations[0].expansion == "motivational interviewing"


def test_sentences_do_not_break_at_abbreviation_periods():
    doc = build_pipeline()("Take sertraline b.i.d. with food. Pt. was seen by Dr. Lee today.\nPlan: f/u in 2 wks.")
    assert [s.text.strip() for s in doc.sents] == [
        "Take sertraline b.i.d. with food.",
        "Pt. was seen by Dr. Lee today.",
        "Plan: f/u in 2 wks.",
    ]


def test_pipeline_is_built_once():
    assert build_pipeline() is build_pipeline()
    assert build_pipeline().pipe_names == [
        "abbreviations_senter", "abbreviations_expander", "abbreviations_do_not_use"]


def test_extensions_register_idempotently():
    register_extensions()
    register_extensions()
    doc = spacy.blank("en")("x")
    assert doc._.abbreviations is None and doc._.do_not_use is None and doc._.section_spans is None


def test_importing_the_package_is_cheap():
    code = ("import sys, abbreviations\n"
            "heavy = [m for m in ('spacy', 'pydantic', 'textual', 'numpy') if m in sys.modules]\n"
            "print(heavy)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_benchmark_runs_and_reports_percentiles():
    from abbreviations.bench import run

    report = run(notes=5, words=120)
    assert report["notes"] == 5 and report["mean_abbreviations"] > 0
    for stage in ("tokenizer", "abbreviations_expander", "abbreviations_do_not_use", "pipeline"):
        assert 0 < report[stage]["p50_ms"] <= report[stage]["p95_ms"]
