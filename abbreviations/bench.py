"""Micro-benchmark: the package's pipeline on ~400-word synthetic progress notes.

    python -m abbreviations.bench [--notes 200] [--words 400] [--json]

Reports p50/p95 milliseconds per note for the tokenizer, each component, the whole pipeline
(``nlp(text)``) and ``expand()``, measured with ``time.perf_counter`` after one warm-up pass
(re-checking a note while it is typed, the product's hot path), plus the first, cold pass.
``pipeline_cpu`` is the same pipeline measured with ``time.process_time`` (CPU time of this
process), which is steadier than wall time on a busy machine.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time

SENTENCES = [
    "Pt reports low mood most days this week and poor sleep, about 5 hrs per night.",
    "Client denies SI/HI, plan or intent; C-SSRS screen negative and safety plan reviewed.",
    "PHQ-9 = {n} (was {m}), GAD-7 {k}; affect constricted, A&Ox4, thought process linear.",
    "Used CBT thought records and MI to explore ambivalence about cutting down ETOH.",
    "Hx of MDD and GAD, s/p IOP in {year}; currently attends NA meetings twice weekly.",
    "Sertraline 100 mg daily per PCP; trazodone 50 mg qhs prn, no SE reported.",
    "Discussed DC planning from PHP and step down to a lower LOC with the CM.",
    "Practiced DBT distress tolerance skills; HW: diary card and two pleasant activities.",
    "Client was D/C'd from the inpatient unit on {date} and f/u with psychiatry is scheduled.",
    "UDS positive for THC; client c/o anxiety when not using and w/o sleep aids.",
    "TP goals reviewed: reduce panic attacks to fewer than 2 per week by {date}.",
    "Mother called CPS last year; ROI signed for school and the IEP team.",
    "Client reports she went to the ED after an OD in {year}; no SA since then.",
    "Plan: continue weekly TF-CBT, RTC in 2 wks, coordinate with LCSW and PMHNP.",
    "She described her week at work, her partner's support, and the walk she took on Sunday.",
    "Therapist reflected the client's values and invited her to notice urges without acting on them.",
    "Risk assessment: protective factors include her children, faith and engagement in treatment.",
    "Insulin 10 U at night and vitamin D 1000 IU daily were listed by the PCP.",
]
PROSE = [
    "Client arrived on time and was casually dressed, with good hygiene and steady eye contact.",
    "She said the week had been hard because her manager criticised her work in front of others.",
    "He described waking several times a night and lying awake worrying about money and rent.",
    "We reviewed the thought record she completed and looked for other ways to read the situation.",
    "Client identified two people she could call when the urges feel strong, and agreed to do so.",
    "Therapist validated his frustration and helped him name the feelings underneath the anger.",
    "She practised paced breathing in session and rated her distress lower afterwards.",
    "Progress toward the goal of returning to work is partial; he applied for two jobs this week.",
    "Client was tearful when talking about her mother's illness but settled by the end of the hour.",
    "Next session is scheduled for next week at the same time, in person at the clinic.",
]


def make_note(rng: random.Random, words: int, dense: bool = False) -> str:
    """A synthetic note; by default one sentence in three is abbreviation-heavy."""
    out: list[str] = []
    count = 0
    while count < words:
        pool = SENTENCES if dense or rng.random() < 1 / 3 else PROSE
        sentence = rng.choice(pool).format(
            n=rng.randint(3, 24), m=rng.randint(3, 24), k=rng.randint(1, 20),
            year=rng.randint(2015, 2025), date=f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
        out.append(sentence)
        count += len(sentence.split())
        if rng.random() < 0.15:
            out.append("\n\n" + rng.choice(["Subjective:", "Objective:", "Assessment:", "Plan:"]) + "\n")
    return " ".join(out)


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"p50_ms": round(statistics.median(ordered) * 1000, 3),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 3)}


def run(notes: int = 200, words: int = 400, seed: int = 7, dense: bool = False) -> dict:
    from .api import expand
    from .pipeline import build_pipeline

    rng = random.Random(seed)
    texts = [make_note(rng, words, dense) for _ in range(notes)]
    nlp = build_pipeline()
    cold = []
    for text in texts:
        start = time.perf_counter()
        nlp(text)
        cold.append(time.perf_counter() - start)
    stages: dict[str, list[float]] = {"tokenizer": [], **{name: [] for name in nlp.pipe_names},
                                      "pipeline": [], "pipeline_cpu": [], "expand": []}
    for text in texts:
        start = time.perf_counter()
        doc = nlp.make_doc(text)
        stages["tokenizer"].append(time.perf_counter() - start)
        for name, component in nlp.pipeline:
            start = time.perf_counter()
            doc = component(doc)
            stages[name].append(time.perf_counter() - start)
        start, cpu = time.perf_counter(), time.process_time()
        nlp(text)
        stages["pipeline"].append(time.perf_counter() - start)
        stages["pipeline_cpu"].append(time.process_time() - cpu)
        start = time.perf_counter()
        expand(text)
        stages["expand"].append(time.perf_counter() - start)
    docs = [nlp(t) for t in texts]
    report = {"notes": notes, "words_per_note": words, "dense": dense,
              "mean_tokens": round(statistics.mean(len(d) for d in docs)),
              "mean_abbreviations": round(statistics.mean(len(d._.abbreviations) for d in docs), 1),
              "mean_do_not_use": round(statistics.mean(len(d._.do_not_use) for d in docs), 1),
              "cold_pipeline": _percentiles(cold)}
    report.update({name: _percentiles(samples) for name, samples in stages.items()})
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the abbreviations pipeline.")
    parser.add_argument("--notes", type=int, default=200)
    parser.add_argument("--words", type=int, default=400)
    parser.add_argument("--dense", action="store_true", help="only abbreviation-heavy sentences")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    report = run(args.notes, args.words, dense=args.dense)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{report['notes']} notes of ~{report['words_per_note']} words: on average "
          f"{report['mean_tokens']} tokens, {report['mean_abbreviations']} abbreviations, "
          f"{report['mean_do_not_use']} Do-Not-Use hits; milliseconds per note")
    for name, value in report.items():
        if isinstance(value, dict):
            print(f"  {name:28} p50 {value['p50_ms']:7.3f}   p95 {value['p95_ms']:7.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
