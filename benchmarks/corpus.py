"""Synthetic ~400-word progress notes for benchmarks (seeded, no real data)."""

from __future__ import annotations

import random

SUBJECTIVE = [
    "Client reported low mood most days this week and difficulty getting out of bed before noon.",
    "Pt c/o poor sleep, waking at 3am on 4 of 7 nights, and increased irritability at work.",
    "She stated, \"I feel like I'm letting everyone down,\" when describing her role at home.",
    "Client reported two panic attacks at the grocery store, each lasting about ten minutes.",
    "He described drinking on 2 of 7 days, down from 5 last week, and attended one AA meeting.",
    "Reports nightmares 3-4 nights per week, unchanged since last session.",
    "Client noted conflict with her partner about finances and parenting decisions.",
    "I felt irritated when she described her father, and I noticed I wanted to rescue her.",
    "Client reports taking sertraline 50 mg daily as prescribed with mild nausea.",
    "She completed the thought record on three days and brought it to session.",
]
OBJECTIVE = [
    "Casually dressed, good hygiene, cooperative, good eye contact.",
    "Affect constricted and tearful when discussing work; speech normal rate and volume.",
    "Thought process linear and goal directed; no evidence of psychosis; A&Ox4.",
    "PHQ-9 = 16 (last session 19); GAD-7 = 11.",
    "Psychomotor slowing noted; client sat slumped and spoke softly.",
    "Insight fair, judgment fair; denies SI/HI, C-SSRS screen negative.",
]
ASSESSMENT = [
    "Depressive symptoms improving slowly; progress toward objective 1 is partial.",
    "Symptoms remain consistent with F33.1; functional impairment at work continues.",
    "Perhaps her lateness is a way of testing whether I will abandon her like her mother did.",
    "Client engaged well with behavioral activation and shows reasonable expectation of improvement.",
    "Risk assessed as low: no plan or intent, protective factors include children and faith.",
    "Panic frequency decreased from 5 to 2 per week, consistent with the treatment plan.",
]
PLAN = [
    "Continue weekly CBT; next session in one week.",
    "Homework: schedule two pleasant activities and complete one thought record daily.",
    "Refer to psychiatry for medication evaluation; f/u with PCP re: sleep.",
    "Practice paced breathing twice daily and record SUDS before and after.",
    "Review safety plan next session and update crisis contacts.",
]


def note(seed: int, words: int = 400) -> str:
    rng = random.Random(seed)
    parts: dict[str, list[str]] = {"Subjective": [], "Objective": [], "Assessment": [], "Plan": []}
    pools = {"Subjective": SUBJECTIVE, "Objective": OBJECTIVE, "Assessment": ASSESSMENT, "Plan": PLAN}
    shares = {"Subjective": 0.4, "Objective": 0.25, "Assessment": 0.2, "Plan": 0.15}
    for section, share in shares.items():
        budget = int(words * share)
        while budget > 0:
            sentence = rng.choice(pools[section])
            parts[section].append(sentence)
            budget -= len(sentence.split())
    header = (f"---\nclient: Client {seed}\ndate: 2026-11-{1 + seed % 25:02d}\nstart: 10:00\n"
              f"end: 10:50\ncpt: 90834\n---\n")
    return header + "".join(f"{name}: {' '.join(text)}\n" for name, text in parts.items())


def notes(count: int, words: int = 400) -> list[str]:
    return [note(seed, words) for seed in range(count)]
