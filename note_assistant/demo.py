"""The embedded demo clinic: synthetic clients, plans, notes and accounts. No real patient data."""

from __future__ import annotations

import datetime as dt

from note_formats import detect_format

from .models import (
    Client, Diagnosis, Goal, Intervention, Objective, Problem, Role, TreatmentPlan, User,
)
from .services import NoteService
from .storage import Store

#: Demo accounts. The demo database has no passwords: the sign-in screen says so.
DEMO_USERS = [
    User(id="u-dana", username="dana", display_name="Dana Reyes", role=Role.clinician, credentials="LCSW"),
    User(id="u-morgan", username="morgan", display_name="Morgan Lee", role=Role.supervisor, credentials="PhD"),
    User(id="u-sam", username="sam", display_name="Sam Patel", role=Role.trainee,
         credentials="MSW intern", supervisor_id="u-morgan"),
    User(id="u-admin", username="admin", display_name="Clinic Admin", role=Role.admin),
]


def _plan(client_id: str, start: dt.date, diagnoses: list[Diagnosis], problems: list[Problem]) -> TreatmentPlan:
    return TreatmentPlan(
        id=f"plan-{client_id}", client_id=client_id, start_date=start,
        review_due=start + dt.timedelta(days=90), diagnoses=diagnoses, problems=problems,
    )


def _clients(today: dt.date) -> list[tuple[Client, TreatmentPlan, list[tuple[int, str]]]]:
    ago = lambda days: today - dt.timedelta(days=days)  # noqa: E731
    avery = Client(id="cl-avery", name="Avery Quinn", date_of_birth=dt.date(1991, 4, 2),
                   clinician_id="u-dana", diagnoses=["F33.1"])
    avery_plan = _plan("cl-avery", ago(60), [Diagnosis(code="F33.1", description="Major depressive disorder, recurrent, moderate")], [
        Problem(id="p1", description="Depressed mood and withdrawal", goals=[
            Goal(id="g1", description="Reduce depressive symptoms", objectives=[
                Objective(id="o1", description="PHQ-9 below 10", criterion="PHQ-9 < 10",
                          target_date=ago(-90), interventions=[
                              Intervention(id="i1", name="cognitive restructuring", modality="CBT", frequency="weekly", provider="therapist"),
                              Intervention(id="i2", name="behavioral activation", modality="CBT", frequency="weekly", provider="therapist"),
                          ]),
                Objective(id="o2", description="Attend 2 social activities per week",
                          criterion="2 social activities per week", target_date=ago(-60),
                          interventions=[Intervention(id="i3", name="activity scheduling", modality="CBT", frequency="weekly", provider="therapist")]),
            ]),
        ]),
    ])
    avery_notes = [
        (21, "Subjective: Client reported low mood most days and staying in bed on weekends. "
             "Stated she skipped a friend's dinner.\nObjective: Casually dressed, affect constricted, "
             "speech slow. PHQ-9 = 18.\nAssessment: Moderate depressive symptoms; progress toward "
             "objective o1 not yet evident. Denies SI/HI; C-SSRS screen negative, risk low.\n"
             "Plan: Continue weekly CBT. Homework: schedule two pleasant activities. Next session in one week."),
        (14, "Subjective: Client reported going for two walks and one coffee with a coworker. "
             "Mood \"a bit better\".\nObjective: Affect brighter, good eye contact. PHQ-9 = 15.\n"
             "Assessment: Improving; behavioral activation helping; partial progress toward o1 and o2. "
             "Denies SI; risk low.\nPlan: Continue behavioral activation; thought record 3 times. "
             "Next session in one week."),
    ]
    jordan = Client(id="cl-jordan", name="Jordan Ellis", date_of_birth=dt.date(1985, 9, 17),
                    clinician_id="u-dana", diagnoses=["F41.0"])
    jordan_plan = _plan("cl-jordan", ago(100), [Diagnosis(code="F41.0", description="Panic disorder")], [
        Problem(id="p1", description="Panic attacks at work", goals=[
            Goal(id="g1", description="Manage panic without avoidance", objectives=[
                Objective(id="o1", description="Reduce panic attacks from 5 to 1 per week",
                          criterion="1 panic attack per week", target_date=ago(-30),
                          interventions=[Intervention(id="i1", name="interoceptive exposure", modality="CBT", frequency="weekly", provider="therapist")]),
            ]),
        ]),
    ])
    jordan_notes = [
        (10, "Behavior: Client arrived on time, reported 3 panic attacks this week, fewer than last week.\n"
             "Intervention: Interoceptive exposure (spinning, breath holding) and review of the exposure hierarchy.\n"
             "Response: Completed three trials; SUDS fell from 70 to 30.\n"
             "Plan: Daily exposure practice; next session in one week."),
    ]
    riley = Client(id="cl-riley", name="Riley Brooks", date_of_birth=dt.date(2003, 1, 30),
                   clinician_id="u-sam", diagnoses=["F43.10"])
    riley_plan = _plan("cl-riley", ago(20), [Diagnosis(code="F43.10", description="Post-traumatic stress disorder, unspecified")], [
        Problem(id="p1", description="Trauma-related nightmares and avoidance", goals=[
            Goal(id="g1", description="Reduce trauma symptoms", objectives=[
                Objective(id="o1", description="PCL-5 below 33", criterion="PCL-5 < 33", target_date=ago(-120),
                          interventions=[Intervention(id="i1", name="cognitive processing therapy", modality="CPT", frequency="weekly", provider="therapist")]),
                Objective(id="o2", description="Nightmares 2 or fewer nights per week", criterion="<= 2 nights/week",
                          target_date=ago(-90), interventions=[]),
            ]),
        ]),
    ])
    return [(avery, avery_plan, avery_notes), (jordan, jordan_plan, jordan_notes), (riley, riley_plan, [])]


def has_demo_data(store: Store) -> bool:
    return store.db["users"].count > 0


def create_demo(store: Store, today: dt.date | None = None, *, supervision: bool = False) -> dict[str, int]:
    """Fill an empty database with the demo clinic; returns counts of what was made.

    ``supervision=True`` (the ``demo`` command) adds Sam's notes in review: one co-signed,
    one returned once and resubmitted, one new, so Morgan's queue shows the loop.
    """
    today = today or dt.date.today()
    for user in DEMO_USERS:
        store.add_user(user)
    made = {"users": len(DEMO_USERS), "clients": 0, "notes": 0}
    for client, plan, notes in _clients(today):
        store.add_client(client)
        store.save_plan(plan)
        made["clients"] += 1
        author = store.user(client.clinician_id)
        service = NoteService(store, author)
        for days_ago, text in notes:
            note = service.create_draft(
                client.id, detect_format(text), text, today - dt.timedelta(days=days_ago),
                start_time=dt.time(10, 0), end_time=dt.time(10, 45), cpt="90834",
                modality="individual", diagnosis=client.diagnoses,
            )
            if author.role != Role.trainee:
                service.sign(note.id)
            made["notes"] += 1
    if supervision:
        made["notes"] += _supervision_loop(store, today)
    return made


#: Sam's (trainee) notes for Riley: one co-signed, one returned once and resubmitted, one new.
_SAM_NOTES = [
    (16, "Subjective: Client reported nightmares on 5 nights this week and avoiding the bus "
         "route near the accident site.\nObjective: Alert and oriented, affect anxious, speech "
         "normal. PCL-5 = 46.\nAssessment: PTSD symptoms persist; no progress yet toward o2. "
         "Denies SI/HI; risk low.\nPlan: Begin cognitive processing therapy next session; "
         "psychoeducation handout given. Next session in one week."),
    (9, "Subjective: Client said the week was bad and she was manipulative with her roommate.\n"
        "Objective: Client seemed fine.\nAssessment: Client is noncompliant with homework. "
        "Denies SI/HI; risk low.\nPlan: Continue cognitive processing therapy. Next session in "
        "one week."),
    (2, "Subjective: Client reported nightmares on 3 nights this week, down from 5, and rode "
        "the bus once with moderate distress.\nObjective: Alert, affect less anxious, good eye "
        "contact. PCL-5 = 38.\nAssessment: Improving; partial progress toward o1 and o2 with "
        "cognitive processing therapy. Denies SI/HI; risk low.\nPlan: Continue weekly cognitive "
        "processing therapy; impact statement homework. Next session in one week."),
]
_SAM_REVISION = (
    "Subjective: Client reported a difficult week with two arguments with her roommate.\n"
    "Objective: Alert and oriented; affect irritable, speech normal; completed 1 of 3 "
    "worksheets. PCL-5 = 42.\nAssessment: Some progress toward o2 (nightmares 4 nights, "
    "down from 5) with cognitive processing therapy; homework completion is limited by "
    "avoidance. Denies SI/HI; risk low.\nPlan: Continue cognitive processing therapy; review "
    "the stuck-points log. Next session in one week."
)


def _supervision_loop(store: Store, today: dt.date) -> int:
    """Morgan's queue: a co-signed note, a returned-and-resubmitted one, and a new one."""
    from .services.review import ReviewService

    sam, morgan = store.user("u-sam"), store.user("u-morgan")
    notes, trainee, supervisor = NoteService(store, sam), ReviewService(store, sam), \
        ReviewService(store, morgan)
    made = []
    for days_ago, text in _SAM_NOTES:
        made.append(notes.create_draft(
            "cl-riley", "soap", text, today - dt.timedelta(days=days_ago),
            start_time=dt.time(14, 0), end_time=dt.time(14, 50), cpt="90834",
            modality="individual", diagnosis=["F43.10"]))
    first, returned, fresh = made
    trainee.submit(first.id, today=today)
    supervisor.cosign(first.id, ratings={"completeness": 3, "plan-linkage": 2,
                                         "objectivity": 3, "risk-documentation": 4})
    trainee.submit(returned.id, today=today)
    supervisor.comment_on(returned.id, "manipulative", "Stigmatizing: describe the behaviour "
                          "(what she said or did) instead of labelling it.")
    supervisor.comment_on(returned.id, "Client seemed fine.", "Not objective: what did you "
                          "observe (affect, speech, engagement)?")
    supervisor.return_for_revision(returned.id, ratings={"objectivity": 1, "completeness": 2},
                                   summary="Rewrite S and O objectively; link to objective o2.")
    notes.update_draft(returned.id, text=_SAM_REVISION)
    trainee.submit(returned.id, today=today)
    from .services.findings import FindingService

    checks = FindingService(store, sam)
    for finding in checks.check(fresh.id, today=today).findings:
        if finding.rule_id == "DOC-NO-MEDICAL-NECESSITY":
            checks.dismiss(fresh.id, finding, "Functional impairment is documented in the "
                           "intake assessment and the current treatment plan.")
    trainee.submit(fresh.id, today=today)
    return len(made)
