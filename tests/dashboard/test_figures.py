"""The exact figures the dashboard shows for the played scenario (conftest.play_scenario).

Dates: the cohort starts Monday 2027-01-04; module n is due 7n days later
(01-11, 01-18, 01-25, 02-01) and opens when the module before it is due.
Today is 2027-01-25 12:00, so modules 1 and 2 are past their due date.
"""

from __future__ import annotations

import pytest

from comments_server.domain.completion import module_progress
from comments_server.store import completions
from comments_server.store import dashboard as store
from comments_server.web.database import get_db

from .conftest import COHORT, M1, M2, M3, M4

C, W, P, O, N = "complete", "waiting_for_feedback", "in_progress", "overdue", "not_started"


@pytest.fixture
def cohort(scenario, people):
    """The cohort view as an admin sees it."""
    response = people["root"].get(f"/api/dashboard/cohorts/{COHORT}")
    assert response.status_code == 200, response.json
    return response.json


@pytest.fixture
def health(scenario, people):
    """Program health of the cohort as an admin sees it."""
    response = people["root"].get(f"/api/dashboard/programs/acme/health?cohort={COHORT}")
    assert response.status_code == 200, response.json
    return response.json["health"]


def test_matrix_statuses_per_learner_and_module(cohort):
    rows = {r["learner"]["name"]: r["cells"] for r in cohort["matrix"]["rows"]}
    assert [m["id"] for m in cohort["matrix"]["modules"]] == [M1, M2, M3, M4]
    assert rows == {
        "Ana Learner": [C, C, W, N],  # Ben never reviewed her pitch: 1 of 2 reviews
        "Ben Learner": [C, W, P, N],  # debrief waiting for Mia; owes a peer review
        "Cai Learner": [O, O, P, N],  # read module 1 but never posted; no plan; reviewed peers
        "Dee Learner": [C, C, C, N],
        "Eve Late": [O, O, N, N],
    }
    assert cohort["matrix"]["counts"] == {C: 6, P: 2, W: 2, O: 4, N: 6}


def test_attention_list_with_reasons_in_order(cohort):
    got = [(a["learner"]["name"], [r["text"] for r in a["reasons"]]) for a in cohort["attention"]]
    assert got == [
        ("Ben Learner", ["No activity for 10 days",
                         "Plan in Plan A Call waiting for manager feedback for 10 days",
                         "1 peer review not given"]),
        ("Cai Learner", ["Behind schedule by 2 modules", "No activity for 15 days"]),
        ("Eve Late", ["Behind schedule by 2 modules", "No activity since the cohort started 21 days ago"]),
    ]


def test_learners_doing_well(cohort):
    assert [(w["learner"]["name"], w["completed"], w["of"]) for w in cohort["doing_well"]] == [
        ("Dee Learner", 3, 4), ("Ana Learner", 2, 4)]


def test_module_completion_rates_and_median_days(health):
    got = {m["id"]: (m["complete"], m["completion_rate"], m["due_completion_rate"], m["median_days_to_complete"])
           for m in health["modules"]}
    assert got == {
        M1: (3, 0.6, 0.6, 1.38),  # Ana, Ben, Dee complete with their post on 01-05 09:00 (1.375 days after 01-04)
        M2: (2, 0.4, 0.4, 6.88),  # Ana 3.375 and Dee 10.375 days after it opened on 01-11
        # Dee presented on 01-08 and had her reviews on 01-09: her work counts as reading (issue 10),
        # so she completed 8.625 days before the module opened on 01-18 (not when she marked it read, 01-20)
        M3: (1, 0.2, None, -8.62),
        M4: (0, 0.0, None, None),
    }
    assert health["completion_rate"] == 0.5  # 5 of 10 learner-modules past their due date


def test_funnel_and_revisions(health):
    assert [(f["started"], f["complete"], f["drop_off"]) for f in health["funnel"]] == [
        (5, 3, 0), (5, 2, 1), (4, 1, 1), (0, 0, 1)]
    welcome = health["modules"][0]["revisions"]
    assert welcome == [{"revision": "sha256:welcome-1", "learners": 5, "complete": 3, "completion_rate": 0.6,
                        "median_days_to_complete": 1.38}]


def test_participation_response_and_feedback(health):
    assert [(p["learner"]["name"], p["posts"], p["roundtables_joined"])
            for p in health["participation"]["learners"]] == [
        ("Ana Learner", 2, 1), ("Ben Learner", 1, 1), ("Dee Learner", 1, 1), ("Cai Learner", 0, 0),
        ("Eve Late", 0, 0)]
    assert health["participation"]["median_posts"] == 1
    # Cora: 1 hour to Ana, 24 hours to Ben; Dee's question and Ana's second post wait
    assert health["coach_response"] == {"posts": 4, "answered": 2, "unanswered": 2, "median_hours": 12.5}
    assert health["feedback_turnaround"] == {"manager": {"count": 2, "median_days": 5.0}}  # 2 and 8 days
    joined = {m["id"]: (m["roundtable_joined"], m["roundtable_due_join_rate"]) for m in health["modules"]}
    assert joined == {M1: (3, 0.6), M2: (0, 0.0), M3: (None, None), M4: (0, None)}


def test_rubric_distribution_per_criterion(health):
    assert [(r["criterion"], r["counts"], r["mean"], r["presenters"], r["low_share"]) for r in health["rubric"]] == [
        ("clarity", {"2": 5}, 2.0, 3, 1.0), ("next step", {"4": 5}, 4.0, 3, 0.0)]


def test_hints_ranked_with_evidence(health):
    assert [(h["kind"], h["subject"], h["severity"]) for h in health["hints"]] == [
        ("quiet_roundtable", M2, 1.0),
        ("low_rubric", f"{M3}/presentation#clarity", 1.0),
        ("slow_feedback", "manager", 0.6667),
    ]
    assert health["hints"][2]["evidence"] == (
        "Median 5.0 days from debrief to manager feedback over 2 plans; the target is 3 days.")


def test_thresholds_come_from_configuration(app, scenario, people):
    app.config.update(DASHBOARD_COMPLETION_GAP=0.1, DASHBOARD_COACH_REPLY_TARGET_HOURS=10,
                      DASHBOARD_FEEDBACK_TARGET_DAYS=6)
    hints = people["root"].get(f"/api/dashboard/programs/acme/health?cohort={COHORT}").json["health"]["hints"]
    assert [(h["kind"], h["subject"], h["severity"]) for h in hints] == [
        ("quiet_roundtable", M2, 1.0),
        ("low_rubric", f"{M3}/presentation#clarity", 1.0),
        ("slow_coach_reply", "coach", 0.25),   # median 12.5 h against 10 h
        ("low_completion", M2, 0.1),           # 40% against 50% across the program
    ]


def test_coach_queue_oldest_first_with_age(scenario, people):
    items = people["cora"].get("/api/dashboard/queue").json["items"]
    assert [(i["kind"], i["who"], i["age_days"]) for i in items] == [
        ("learner_attention", "Eve Late", 21),
        ("open_question", "Dee Learner", 20),
        ("presentation_short", "Ana Learner", 17),
        ("learner_attention", "Cai Learner", 15),
        ("learner_attention", "Ben Learner", 10),
        ("unanswered_post", "Ana Learner", 5),
    ]
    assert items[2]["title"] == "Presentation in Pitch: 1 of 2 reviews"


def test_a_reply_takes_the_post_off_the_queue_and_the_cache_follows(scenario, people, clock):
    cora = people["cora"]
    before = cora.get("/api/dashboard/queue").json["items"]
    question = next(i for i in before if i["kind"] == "open_question")
    thread = cora.get(f"/api/activities/{M1}/roundtable/thread").json["thread"]["id"]
    cora.post(f"/api/threads/{thread}/comments", {"body": "Start with their news.", "parent_id": question["ref"]})
    after = cora.get("/api/dashboard/queue").json["items"]
    assert "open_question" not in {i["kind"] for i in after}
    health = people["root"].get(f"/api/dashboard/programs/acme/health?cohort={COHORT}").json["health"]
    assert health["coach_response"]["answered"] == 3


def test_bulk_records_agree_with_issue_4_per_learner(app, scenario):
    """store.dashboard.cohort_records is the bulk twin of store.completions.records_for."""
    with app.app_context():
        db = get_db()
        modules = store.program_modules(db, program_id="acme")
        bulk = store.cohort_records(db, cohort_id=COHORT, modules=modules)
        for uid in completions.cohort_members(db, cohort_id=COHORT, role="learner"):
            for m in modules:
                one = completions.records_for(db, user_id=uid, cohort_id=COHORT, module=m)
                assert module_progress(m, bulk[uid][m["id"]]) == module_progress(m, one), (uid, m["id"])


def test_snapshots_are_reused_until_a_record_changes(scenario, people, monkeypatch):
    from comments_server.dashboard import service

    builds = []
    real = service.build
    monkeypatch.setattr(service, "build", lambda db, **kw: builds.append(kw["cohort"]["id"]) or real(db, **kw))
    root = people["root"]
    root.get(f"/api/dashboard/cohorts/{COHORT}")
    root.get(f"/api/dashboard/cohorts/{COHORT}")
    root.get(f"/api/dashboard/programs/acme/health?cohort={COHORT}")
    assert builds.count(COHORT) <= 1  # at most once: the scenario's last read may already have cached it
    builds.clear()
    people["ana"].post(f"/api/activities/{M4}/read/read")  # a new record: the cohort's version moves on
    assert people["root"].get(f"/api/dashboard/cohorts/{COHORT}").json["matrix"]["rows"][0]["cells"][3] == P
    assert builds == [COHORT]
