"""The planning exercise over the API: every step, every role, and the refusals."""

from __future__ import annotations

import pytest

from comments_server.store import events
from comments_server.web.database import get_db

from .conftest import COACH_PLAN, OTHER_COHORT, PLAN, assert_error

PLAN_URL = f"/api/activities/{PLAN}/plan"


def draft(api, text="Open with what changed; ask about budget.", url=PLAN_URL):
    """Save a draft; return the plan JSON."""
    r = api.post(url, {"body": text})
    assert r.status_code == 200, r.get_json()
    return r.get_json()["plan"]


def through_debrief(api, url=PLAN_URL):
    """Draft, submit with an encounter date, debrief; return the plan id."""
    plan = draft(api, url=url)
    assert api.post(f"/api/plans/{plan['id']}/submit", {"encounter_at": "2026-01-20T10:00"}).status_code == 200
    r = api.post(f"/api/plans/{plan['id']}/debrief", {"body": "They talked for **20 minutes**."})
    assert r.status_code == 200, r.get_json()
    return plan["id"]


def test_the_whole_plan_workflow_with_manager_feedback(as_user, app):
    ana, mia = as_user("ana"), as_user("mia")
    r = ana.get(PLAN_URL)
    assert r.status_code == 200 and r.get_json()["plan"] is None
    assert r.get_json()["can"]["save"] and not r.get_json()["can"]["submit"]
    plan = draft(ana)
    assert plan["stage"] == "draft" and plan["body"].startswith("Open with")
    plan = draft(ana, "Open with what changed; ask about **budget** and timing.")
    assert "<strong>budget</strong>" in plan["body_html"]

    r = ana.post(f"/api/plans/{plan['id']}/submit")
    assert r.get_json()["plan"]["stage"] == "submitted"
    assert r.get_json()["can"] == {"save": False, "submit": False, "set_encounter": True, "debrief": False,
                                   "feedback": False, "request_revision": False, "comment": False}
    r = ana.post(f"/api/plans/{plan['id']}/encounter", {"encounter_at": "2026-01-20T10:00"})
    assert r.get_json()["plan"]["stage"] == "encounter_set"
    assert r.get_json()["plan"]["encounter_at"] == "2026-01-20T10:00"
    r = ana.post(f"/api/plans/{plan['id']}/debrief", {"body": "Went well; I forgot the next step."})
    assert r.get_json()["plan"]["stage"] == "debrief_submitted"

    # the manager sees it waiting, then rates it on the module's scale
    waiting = mia.get("/api/progress").get_json()["manager"]["waiting"]
    assert [(w["id"], w["needs"]) for w in waiting] == [(plan["id"], "feedback")]
    seen = mia.get(f"/api/plans/{plan['id']}").get_json()
    assert seen["plan"]["viewer_relation"] == "manager" and seen["can"]["feedback"]
    assert seen["plan"]["body"] is None and "budget" in seen["plan"]["body_html"]
    r = mia.post(f"/api/plans/{plan['id']}/feedback", {"rating": 4, "comment": "Good plan; **name** the next step."})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["plan"]["stage"] == "feedback_given"

    mine = ana.get(PLAN_URL).get_json()["plan"]
    feedback = [f for f in mine["feedback"] if f["kind"] == "feedback"]
    assert feedback[0]["rating"] == 4 and feedback[0]["scale"] == 5
    assert feedback[0]["giver_name"] == "Mia Manager" and "<strong>name</strong>" in feedback[0]["comment_html"]
    assert [s["action"] for s in mine["steps"]] == ["save", "submit", "set_encounter", "debrief", "feedback"]

    # completion follows, and the manager has nothing left waiting
    module = _module(ana, "sales/plan-a-call")
    assert module["status"] == "complete"
    assert mia.get("/api/progress").get_json()["manager"]["waiting"] == []


def _module(api, module_id):
    """The learner's progress entry for one module."""
    for program in api.get("/api/progress").get_json()["learner"]["programs"]:
        for module in program["modules"]:
            if module["id"] == module_id:
                return module
    raise AssertionError(module_id)


def test_every_learner_step_is_an_xapi_statement(as_user, app):
    ana, mia = as_user("ana"), as_user("mia")
    plan_id = through_debrief(ana)
    mia.post(f"/api/plans/{plan_id}/feedback", {"rating": 5, "comment": "Great."})
    with app.app_context():
        rows = [e for e in events.list_events(get_db()) if e["object"]["id"].endswith("/plan-a-call/plan")
                or e["object"]["id"].endswith("/modules/sales/plan-a-call") or "plan-a-call" in e["object"]["id"]]
    verbs = [e["verb"]["display"]["en-US"] for e in rows]
    assert verbs == ["progressed", "submitted", "scheduled", "submitted", "scored", "completed"]
    scored = rows[4]
    assert scored["actor"]["mbox"] == "mailto:ana@example.com"
    assert scored["result"]["score"] == {"raw": 5, "min": 1, "max": 5, "scaled": 1.0}
    assert scored["context"]["instructor"]["mbox"] == "mailto:mia@example.com"
    grouping = [a["id"] for a in scored["context"]["contextActivities"]["grouping"]]
    assert grouping == ["http://rt.test/xapi/programs/sales", "http://rt.test/xapi/cohorts/sales-q1"]
    assert scored["object"]["id"] == "http://rt.test/xapi/activities/sales/plan-a-call/plan"


def test_manager_requests_a_revision_before_the_encounter(as_user):
    ana, mia = as_user("ana"), as_user("mia")
    plan = draft(ana)
    ana.post(f"/api/plans/{plan['id']}/submit")
    r = mia.post(f"/api/plans/{plan['id']}/revision", {"comment": "Add a question about timing."})
    assert r.get_json()["plan"]["stage"] == "revision_requested"
    mine = ana.get(PLAN_URL).get_json()
    assert mine["can"]["save"] and mine["can"]["submit"]
    assert mine["plan"]["feedback"][0]["kind"] == "revision_request"
    draft(ana, "Now with a timing question.")
    assert ana.post(f"/api/plans/{plan['id']}/submit").get_json()["plan"]["stage"] == "submitted"


def test_coach_comments_on_a_submitted_plan(as_user):
    ana, cora = as_user("ana"), as_user("cora")
    plan = draft(ana)
    # a draft is the learner's alone (issue 11): to the coach it does not exist yet
    assert_error(cora.post(f"/api/plans/{plan['id']}/comments", {"body": "Too early"}), 404, "No such plan")
    ana.post(f"/api/plans/{plan['id']}/submit")
    r = cora.post(f"/api/plans/{plan['id']}/comments", {"body": "Try a *silence* after the question."})
    assert r.status_code == 201
    assert r.get_json()["plan"]["feedback"][0]["kind"] == "comment"
    assert r.get_json()["plan"]["feedback"][0]["role"] == "coach"
    # a coach cannot give the manager's feedback
    through = ana.post(f"/api/plans/{plan['id']}/encounter", {"encounter_at": "2026-01-20"})
    assert through.status_code == 200
    ana.post(f"/api/plans/{plan['id']}/debrief", {"body": "Done."})
    assert_error(cora.post(f"/api/plans/{plan['id']}/feedback", {"rating": 3, "comment": "x"}), 403,
                 "Ana Learner's manager")


def test_feedback_from_coach_module(as_user):
    ana, cora, mia = as_user("ana"), as_user("cora"), as_user("mia")
    plan_id = through_debrief(ana, url=f"/api/activities/{COACH_PLAN}/plan")
    assert_error(mia.post(f"/api/plans/{plan_id}/feedback", {"rating": 3, "comment": "x"}), 403, "coach")
    assert_error(cora.post(f"/api/plans/{plan_id}/feedback", {"rating": 5, "comment": "x"}), 409, "from 1 to 4")
    r = cora.post(f"/api/plans/{plan_id}/feedback", {"rating": 4, "comment": "Well debriefed."})
    assert r.status_code == 200 and r.get_json()["plan"]["stage"] == "feedback_given"


def test_learner_cannot_read_another_learners_plan(as_user):
    ana, ben, ola = as_user("ana"), as_user("ben"), as_user("ola")
    plan = draft(ana)
    ana.post(f"/api/plans/{plan['id']}/submit")
    assert_error(ben.get(f"/api/plans/{plan['id']}"), 404)
    assert_error(ola.get(f"/api/plans/{plan['id']}"), 404)
    assert_error(ben.post(f"/api/plans/{plan['id']}/encounter", {"encounter_at": "2026-01-20"}), 404)
    # ben's own plan URL shows his own (empty) plan, never ana's
    assert ben.get(PLAN_URL).get_json()["plan"] is None


def test_manager_cannot_give_feedback_on_someone_not_their_report(as_user):
    cai, mia, max_ = as_user("cai"), as_user("mia"), as_user("max")
    plan_id = through_debrief(cai)  # cai reports to max
    assert_error(mia.get(f"/api/plans/{plan_id}"), 404)
    assert_error(mia.post(f"/api/plans/{plan_id}/feedback", {"rating": 3, "comment": "x"}), 404)
    assert max_.post(f"/api/plans/{plan_id}/feedback", {"rating": 3, "comment": "ok"}).status_code == 200


@pytest.mark.parametrize(
    ("steps", "action", "body", "message"),
    [
        ([], "debrief", {"body": "x"}, "Set when the encounter happens"),
        ([], "encounter", {"encounter_at": "2026-01-20"}, "Submit the plan before"),
        (["submit"], "debrief", {"body": "x"}, "Set when the encounter happens"),
        (["submit"], "submit", {}, "Only a draft plan"),
    ],
)
def test_steps_out_of_order_are_409_with_a_clear_message(as_user, steps, action, body, message):
    ana = as_user("ana")
    plan = draft(ana)
    for step in steps:
        assert ana.post(f"/api/plans/{plan['id']}/{step}").status_code == 200
    assert_error(ana.post(f"/api/plans/{plan['id']}/{action}", body), 409, message)


def test_feedback_before_debrief_and_twice_are_refused(as_user):
    ana, mia = as_user("ana"), as_user("mia")
    plan = draft(ana)
    ana.post(f"/api/plans/{plan['id']}/submit")
    assert_error(mia.post(f"/api/plans/{plan['id']}/feedback", {"rating": 3, "comment": "x"}), 409,
                 "once the debrief has been submitted")
    plan_id = plan["id"]
    ana.post(f"/api/plans/{plan_id}/encounter", {"encounter_at": "2026-01-20"})
    ana.post(f"/api/plans/{plan_id}/debrief", {"body": "ok"})
    assert mia.post(f"/api/plans/{plan_id}/feedback", {"rating": 3, "comment": "x"}).status_code == 200
    assert_error(mia.post(f"/api/plans/{plan_id}/feedback", {"rating": 3, "comment": "x"}), 409, "already")
    assert_error(ana.post(PLAN_URL, {"body": "late edit"}), 409, "can no longer be edited")


def test_only_the_owner_takes_learner_steps_and_only_learners_plan(as_user):
    ana, mia, cora = as_user("ana"), as_user("mia"), as_user("cora")
    plan = draft(ana)
    assert_error(mia.post(f"/api/plans/{plan['id']}/submit"), 404, "No such plan")  # a draft: out of sight
    ana.post(f"/api/plans/{plan['id']}/submit")
    assert_error(mia.post(f"/api/plans/{plan['id']}/encounter", {"encounter_at": "2027-01-20"}), 403,
                 "Only the learner")
    assert_error(cora.post(PLAN_URL, {"body": "coach plan"}), 403, "Only learners")


@pytest.mark.parametrize(
    ("url_suffix", "body", "status", "message"),
    [
        ("encounter", {"encounter_at": "next tuesday"}, 400, "is not a date"),
        ("encounter", {}, 400, "Missing field 'encounter_at'"),
        ("debrief", {"body": "  "}, 400, "Write something first"),
        ("debrief", {"body": "x", "extra": 1}, 400, "Unknown field 'extra'"),
    ],
)
def test_bad_input_names_the_field(as_user, url_suffix, body, status, message):
    ana = as_user("ana")
    plan = draft(ana)
    ana.post(f"/api/plans/{plan['id']}/submit")
    assert_error(ana.post(f"/api/plans/{plan['id']}/{url_suffix}", body), status, message)


def test_rating_must_be_on_the_modules_scale(as_user):
    ana, mia = as_user("ana"), as_user("mia")
    plan_id = through_debrief(ana)
    for bad in (0, 11, "4", True, 2.5):  # not a rating on any scale (the request's own shape): 400
        assert_error(mia.post(f"/api/plans/{plan_id}/feedback", {"rating": bad, "comment": "x"}), 400,
                     "'rating' must be a whole number")
    # a rating another module could take, off this module's scale (issue 11: schemathesis): 409
    assert_error(mia.post(f"/api/plans/{plan_id}/feedback", {"rating": 6, "comment": "x"}), 409, "from 1 to 5")


def test_csrf_and_sign_in_are_required(app, as_user):
    ana = as_user("ana")
    r = ana.client.post(PLAN_URL, json={"body": "x"})
    assert_error(r, 403, "X-CSRF-Token")
    anonymous = app.test_client()
    assert_error(anonymous.get(PLAN_URL), 401)


def test_unknown_or_wrong_kind_activity_is_404(as_user):
    ana = as_user("ana")
    assert_error(ana.get("/api/activities/sales/nope/plan/plan"), 404)
    assert_error(ana.get("/api/activities/sales/pitch-day/presentation/plan"), 404)


def test_other_cohort_learner_plans_in_their_own_cohort(as_user):
    ola = as_user("ola")
    r = ola.get(PLAN_URL)
    assert r.get_json()["cohort_id"] == OTHER_COHORT


def test_coach_sees_the_cohorts_submitted_plans_not_drafts(as_user):
    ana, ben, cora, ola = as_user("ana"), as_user("ben"), as_user("cora"), as_user("ola")
    submitted = draft(ana)
    ana.post(f"/api/plans/{submitted['id']}/submit")
    draft(ben)  # a draft stays private
    listed = cora.get(PLAN_URL).get_json()["cohort_plans"]
    assert [(p["owner"]["name"], p["stage"]) for p in listed] == [("Ana Learner", "submitted")]
    assert ana.get(PLAN_URL).get_json()["cohort_plans"] == []
    assert ola.get(PLAN_URL).get_json()["cohort_plans"] == []


def test_a_debrief_before_the_encounter_is_refused_saying_when_it_can_be_written(app, as_user):
    """The encounter is in the future by the app's clock: no debrief yet (409, with the time); after it, yes."""
    import datetime as dt

    from comments_server.domain.clock import FixedClock

    clock = app.extensions["clock"] = FixedClock(dt.datetime(2027, 1, 18, 9, 0, tzinfo=dt.timezone.utc))
    ana = as_user("ana")
    plan = draft(ana)
    r = ana.post(f"/api/plans/{plan['id']}/submit", {"encounter_at": "2027-01-20T10:00"})
    assert r.get_json()["plan"]["encounter_passed"] is False
    assert r.get_json()["can"]["debrief"] is False  # the widget offers no debrief form yet
    refused = assert_error(ana.post(f"/api/plans/{plan['id']}/debrief", {"body": "It went well."}), 409,
                           "The encounter is set for 2027-01-20 10:00 (UTC), which has not happened yet")
    assert "write the debrief from 2027-01-20 10:00 on" in refused["error"]
    assert ana.get(f"/api/plans/{plan['id']}").get_json()["plan"]["stage"] == "encounter_set"  # nothing moved
    clock.advance(days=2, hours=2)  # 2027-01-20 11:00: the encounter has happened
    r = ana.get(f"/api/plans/{plan['id']}")
    assert r.get_json()["plan"]["encounter_passed"] is True and r.get_json()["can"]["debrief"] is True
    r = ana.post(f"/api/plans/{plan['id']}/debrief", {"body": "It went well."})
    assert r.status_code == 200 and r.get_json()["plan"]["stage"] == "debrief_submitted"
