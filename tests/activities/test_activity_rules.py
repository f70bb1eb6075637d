"""Issue 13, slice B: each activity rule refused from outside (404 out of sight, 403 in sight),
GETs that do not write, one transaction per action, completion for the learners an event concerns."""

from __future__ import annotations

import pytest
from support.statements import action_transactions, traced

from comments_server.access.rules import actions as rule_names
from comments_server.actions import progress
from comments_server.actions.bus import BUS
from comments_server.domain.events import activities as events
from comments_server.store import completions, reviews, users
from comments_server.store.db import is_postgres
from comments_server.web.database import get_db

from .conftest import COHORT, PITCH, PLAN, assert_error

PLAN_URL = f"/api/activities/{PLAN}/plan"
PITCH_URL = f"/api/activities/{PITCH}/presentation"
GOOD = {"clarity": 4, "customer focus": 5, "next step": 3}
WRITES = ("BEGIN", "INSERT", "UPDATE", "DELETE", "REPLACE")


def statements(app):
    """Collect the SQL the server runs (the test client serves in this thread), on either engine."""
    return traced(app.config["DATABASE"])


def writes(seen):
    """The statements that write or open a write transaction."""
    return [s for s in seen if s.upper().startswith(WRITES)]


def plan_at_debrief(as_user):
    """Ana's plan, submitted with its encounter and debriefed; return its id."""
    ana = as_user("ana")
    plan = ana.post(PLAN_URL, {"body": "Open with a question."}).get_json()["plan"]
    ana.post(f"/api/plans/{plan['id']}/submit", {"encounter_at": "2026-01-20T10:00"})
    ana.post(f"/api/plans/{plan['id']}/debrief", {"body": "It went well."})
    return plan["id"]


def presentations(as_user, names=("ana", "ben", "cai")):
    """Each learner named submits a link; return {name: presentation id}."""
    return {n: as_user(n).post(PITCH_URL, {"link": f"https://slides.example.com/{n}"}).get_json()["submission"]["id"]
            for n in names}


# --------------------------------------------------------------------------- the rules, from outside


def test_every_activity_rule_is_registered():
    assert {"activity.see", "activity.take_part", "submission.see", "plan.see", "plan.step", "plan.feedback",
            "plan.comment", "presentation.see", "presentation.review", "presentation.feedback", "review.rate",
            "dashboard.see", "dashboard.queue", "dashboard.cohort"} <= set(rule_names())


def test_plan_rules_answer_404_out_of_sight_and_403_in_sight(as_user):
    plan_id = plan_at_debrief(as_user)
    ola, cai, mia, cora = as_user("ola"), as_user("cai"), as_user("mia"), as_user("cora")
    # out of sight: a learner of the other cohort, a learner of the same cohort
    for outsider in (ola, cai):
        assert_error(outsider.post(f"/api/plans/{plan_id}/debrief", {"body": "x"}), 404, "No such plan.")
        assert_error(outsider.post(f"/api/plans/{plan_id}/feedback", {"rating": 3, "comment": "x"}), 404,
                     "No such plan.")
        assert_error(outsider.post(f"/api/plans/{plan_id}/comments", {"body": "x"}), 404, "No such plan.")
    # in sight, not allowed
    assert_error(mia.post(f"/api/plans/{plan_id}/encounter", {"encounter_at": "2026-01-21"}), 403,
                 "Only the learner who wrote this plan can do that.")
    assert_error(cora.post(f"/api/plans/{plan_id}/feedback", {"rating": 3, "comment": "x"}), 403,
                 "Only Ana Learner's manager can give feedback on this plan.")
    assert_error(as_user("ana").post(f"/api/plans/{plan_id}/comments", {"body": "x"}), 403,
                 "Only the cohort's coaches and the learner's manager can comment on a plan.")


def test_presentation_rules_answer_404_out_of_sight_and_403_in_sight(app, as_user):
    ids = presentations(as_user)
    with app.app_context():
        rows = reviews.live_assignments(get_db(), activity_id=PITCH, cohort_id=COHORT)
        reviewer_id = next(r["reviewer_id"] for r in rows if r["submission_id"] == ids["ana"] and r["role"] == "peer")
        reviewer = users.get_user(get_db(), user_id=reviewer_id)["email"].split("@")[0]
    ana, ola = as_user("ana"), as_user("ola")
    assert_error(ana.post(f"/api/presentations/{ids['ana']}/reviews", {"scores": GOOD, "comment": "x"}), 403,
                 "You cannot review your own presentation.")
    assert_error(ola.post(f"/api/presentations/{ids['ana']}/reviews", {"scores": GOOD, "comment": "x"}), 404,
                 "No such presentation.")
    # an allocated reviewer sees the presentation but not the presenter's feedback page
    assert as_user(reviewer).get(f"/api/presentations/{ids['ana']}").status_code == 200
    assert_error(as_user(reviewer).get(f"/api/presentations/{ids['ana']}/feedback"), 404, "No such presentation.")
    review = as_user(reviewer).post(f"/api/presentations/{ids['ana']}/reviews", {"scores": GOOD, "comment": "Good."})
    review_id = review.get_json()["review"]["id"]
    assert_error(as_user(reviewer).post(f"/api/reviews/{review_id}/helpfulness", {"rating": 4}), 403,
                 "Only the presenter can rate how helpful a review was.")
    assert_error(ola.post(f"/api/reviews/{review_id}/helpfulness", {"rating": 4}), 404, "No such review.")
    assert ana.post(f"/api/reviews/{review_id}/helpfulness", {"rating": 4}).status_code == 200


def test_taking_part_is_for_learners_of_the_cohort(as_user):
    assert_error(as_user("cora").post(PITCH_URL, {"link": "https://x.test/c"}), 403,
                 "Only learners of the cohort take part in this activity.")
    assert_error(as_user("mia").post(PLAN_URL, {"body": "x"}), 403,  # a manager sees her reports' cohort
                 "Only learners of the cohort take part in this activity.")
    assert_error(as_user("ola").post(f"{PLAN_URL}?cohort={COHORT}", {"body": "x"}), 404,
                 "Not found: you are not in a cohort of this program.")


# --------------------------------------------------------------------------- reads do not write


def test_presentation_and_plan_reads_do_not_write(app, as_user):
    ids = presentations(as_user, ("ana", "ben"))
    plan_id = plan_at_debrief(as_user)
    as_user("cora")  # signed in before the reads are watched: a sign-in records its session (a write)
    with statements(app) as seen:
        for url in (PITCH_URL, f"/api/presentations/{ids['ana']}", f"/api/presentations/{ids['ana']}/feedback",
                    PLAN_URL, f"/api/plans/{plan_id}", "/api/progress"):
            assert as_user("ana").get(url).status_code == 200, url
        assert as_user("cora").get(PITCH_URL).status_code == 200
    assert writes(seen) == []


def test_a_plan_submitted_with_its_encounter_is_one_transaction(app, as_user):
    ana = as_user("ana")
    plan = ana.post(PLAN_URL, {"body": "Open with a question."}).get_json()["plan"]
    with statements(app) as seen:
        r = ana.post(f"/api/plans/{plan['id']}/submit", {"encounter_at": "2026-01-20T10:00"})
    assert r.get_json()["plan"]["stage"] == "encounter_set"
    begin = "BEGIN" if is_postgres(app.config["DATABASE"]) else "BEGIN IMMEDIATE"  # SQLite's takes the write lock
    assert [t[0] for t in action_transactions(seen)] == [begin]


# --------------------------------------------------------------------------- completion follows the events


def test_completion_follows_every_event_that_changes_a_record():
    recomputes = {progress.recompute_owner, progress.recompute_review, progress.recompute_allocated,
                  progress.recompute_actor}
    for event in (events.PlanSaved, events.PlanStepTaken, events.PlanFeedbackGiven, events.ReviewersAllocated,
                  events.ReviewAdded, events.ModuleRead, events.ReflectionSaved):
        assert recomputes & set(BUS.subscribers(event)), event


def test_a_presentation_recomputes_only_the_learners_it_concerns(app, as_user, monkeypatch):
    presentations(as_user, ("ben", "cai"))
    seen = []
    real = completions.recompute_many
    monkeypatch.setattr(completions, "recompute_many",
                        lambda db, **kw: seen.append(set(kw["user_ids"])) or real(db, **kw))
    presentations(as_user, ("ana",))
    with app.app_context():
        db = get_db()
        ana = users.get_user(db, email="ana@example.com")["id"]
        learners = set(completions.cohort_members(db, cohort_id=COHORT, role="learner"))
        mine = {r["reviewer_id"] for r in reviews.live_assignments(db, activity_id=PITCH, cohort_id=COHORT)
                if r["presenter_id"] == ana}
    assert len(seen) == 1 and ana in seen[0] and mine & learners <= seen[0]
    assert seen[0] <= learners


@pytest.mark.parametrize("kind", ["roundtable", "forum"])
def test_recompute_after_post_keeps_its_signature(app, kind):
    """Slice A's comment follow-up calls it as ``recompute_after_post(db, user_id=..., thread=...)``."""
    with app.app_context():
        db = get_db()
        uid = users.get_user(db, email="ana@example.com")["id"]
        thread = {"kind": kind, "activity_id": "sales/discovery/roundtable", "cohort_id": COHORT}
        state = completions.recompute_after_post(db, user_id=uid, thread=thread)
    assert (state is not None) == (kind == "roundtable")


def test_a_catalog_change_to_a_completion_rule_recomputes_its_learners(app, as_user):
    """No safety net on dashboard reads: the catalog sync itself brings completion rows in step."""
    import json
    import os

    from .conftest import CATALOG, READ

    as_user("ana").post(f"/api/activities/{READ}/read")
    with app.app_context():
        ana = users.get_user(get_db(), email="ana@example.com")["id"]
        assert "sales/pitch-day" not in completions.completed_ids(get_db(), user_id=ana, cohort_id=COHORT)
    catalog = json.loads(json.dumps(CATALOG))
    pitch = next(m for m in catalog["programs"][0]["modules"] if m["id"] == "sales/pitch-day")
    pitch["completion"] = [READ]
    with open(os.path.join(app.config["SITE_DIR"], "catalog.json"), "w") as f:
        json.dump(catalog, f)
    with app.app_context():
        app.extensions["roundtable_catalog"].sync_now(get_db())
        assert "sales/pitch-day" in completions.completed_ids(get_db(), user_id=ana, cohort_id=COHORT)


# --------------------------------------------------------------------------- request contracts (web/api/models_activities.py)


@pytest.mark.parametrize(("suffix", "body", "message"), [
    ("feedback", {"rating": 3, "comment": 7}, "Write something first: 'comment' must be non-empty Markdown text."),
    ("feedback", {"rating": 3}, "Missing field 'comment'."),
    ("revision", {"comment": "x" * 20001}, "'comment' is too long: at most"),
    ("submit", {"encounter_at": 20270120}, "'encounter_at' must be a date or date-time like 2027-01-20T10:00."),
    ("comments", {"body": "x", "rating": 3}, "Unknown field 'rating'."),
])
def test_plan_contracts_answer_the_sentences_the_api_always_gave(as_user, suffix, body, message):
    plan = as_user("ana").post(PLAN_URL, {"body": "Open with a question."}).get_json()["plan"]
    who = as_user("ana") if suffix == "submit" else as_user("mia")
    assert_error(who.post(f"/api/plans/{plan['id']}/{suffix}", body), 400, message)


def test_activity_contracts_for_reads_reviews_and_ratings(as_user):
    ids = presentations(as_user, ("ana", "ben"))
    assert_error(as_user("ana").post(f"/api/activities/{PITCH.rsplit('/', 1)[0]}/read/read", {"x": 1}), 400,
                 "Unknown field 'x'.")
    assert_error(as_user("cora").post(f"/api/presentations/{ids['ana']}/reviews", {"comment": "x"}), 400,
                 "Missing field 'scores'.")
    for bad in ("4", True, 0):
        assert_error(as_user("ana").post("/api/reviews/1/helpfulness", {"rating": bad}), 400,
                     "'rating' must be a whole number from 1 to 5.")
