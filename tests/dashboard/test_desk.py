"""The dashboard as a desk (issue 10), from outside: every queue item carries an absolute URL that names the
item itself and a stable key; coaches and managers set items aside (dismissed until the item changes,
snoozed until a day of the server's clock); a learner page for the learner's coaches, their manager and
admins only; every cohort of a program side by side for admins; the session says who has a dashboard.

The scenario (conftest.py) stands at 2027-01-25 12:00: Dee's question is open, Ana's latest post has no
reply, Ana's presentation is short of a review, Ben's debrief waits for Mia, Cai, Ben and Eve need attention.
"""

from __future__ import annotations

import re

import pytest

from .conftest import COHORT, M1, M2, OTHER, post, thread_id
from .test_permissions import assert_error

ROOT = "http://rt.test/"  # BASE_URL of the test app


def queue(api):
    """The viewer's queue answer."""
    response = api.get("/api/dashboard/queue")
    assert response.status_code == 200, response.json
    return response.json


def ids(people):
    """``{learner name: user id}`` of both cohorts."""
    out = {}
    for cohort in (COHORT, OTHER):
        for row in people["root"].get(f"/api/dashboard/cohorts/{cohort}").json["matrix"]["rows"]:
            out[row["learner"]["name"]] = row["learner"]["id"]
    return out


def item(items, kind, who=None):
    """The one item of a kind (and person) in a list of queue items."""
    found = [i for i in items if i["kind"] == kind and (who is None or i["who"] == who)]
    assert len(found) == 1, (kind, who, items)
    return found[0]


def send(api, url, body):
    """POST JSON with the CSRF token; return the response whatever its status."""
    return api.client.post(url, json=body, headers={"X-CSRF-Token": "token"})


# --------------------------------------------------------------------------- where each item lives


def test_every_coach_item_opens_the_item_itself(scenario, people):
    items = queue(people["cora"])["items"]
    anchors = {
        "open_question": lambda i: f"{ROOT}acme/welcome/#rt-comment-{i['ref']}",
        "unanswered_post": lambda i: f"{ROOT}acme/welcome/#rt-comment-{i['ref']}",
        "presentation_short": lambda i: f"{ROOT}acme/pitch/#rt-review-{i['ref']}",
        "learner_attention": lambda i: f"{ROOT}dashboard/?cohort={COHORT}&learner={i['ref']}#rt-learner-{i['ref']}",
    }
    assert {i["kind"] for i in items} == set(anchors)
    for i in items:
        assert i["url"] == anchors[i["kind"]](i), i
        assert i["key"] == f"{i['kind']}:{i['cohort_id']}:{i['ref']}"
    assert [i["key"] for i in queue(people["cora"])["items"]] == [i["key"] for i in items]  # stable


def test_an_observer_is_not_sent_to_a_learner_page_they_may_not_open(scenario, people):
    attention = [i for i in queue(people["obi"])["items"] if i["kind"] == "learner_attention"]
    assert attention and all(i["url"] == f"{ROOT}dashboard/" for i in attention)


def test_a_manager_has_the_feedback_waiting_from_them_and_their_reports(scenario, people):
    mia = queue(people["mia"])["items"]
    plan = item(mia, "plan_waiting", "Ben Learner")
    assert plan["url"] == f"{ROOT}acme/plan-a-call/?plan={plan['ref']}#rt-plan-{plan['ref']}"
    assert plan["title"] == "Plan A Call: debrief waiting for feedback"
    assert {(i["kind"], i["who"]) for i in mia} == {("plan_waiting", "Ben Learner"),
                                                   ("learner_attention", "Ben Learner"),
                                                   ("learner_attention", "Ola Other")}
    mx = queue(people["max"])["items"]  # Dee's debrief got Max's feedback: nothing of Mia's reports
    assert {i["who"] for i in mx} == {"Cai Learner", "Eve Late"}
    assert all(i["kind"] == "learner_attention" for i in mx)


def test_the_notification_and_the_queue_name_the_same_place(scenario, people):
    plan = item(queue(people["mia"])["items"], "plan_waiting")
    told = people["mia"].get("/api/notifications").json["notifications"]
    urls = {n["url"] for n in told if n["kind"] == "feedback_waiting"}
    assert plan["url"].removeprefix(ROOT) in urls


# --------------------------------------------------------------------------- dismiss and snooze


def test_a_dismissed_question_returns_when_someone_adds_to_it(scenario, people):
    cora = people["cora"]
    question = item(queue(cora)["items"], "open_question")
    answer = send(cora, "/api/dashboard/queue/dismiss", {"key": question["key"]})
    assert answer.status_code == 200 and answer.json["set_aside"] == {"action": "dismiss", "until": None}
    after = queue(cora)
    assert question["key"] not in {i["key"] for i in after["items"]}
    assert item(after["set_aside"], "open_question")["set_aside"]["action"] == "dismiss"
    assert question["key"] in {i["key"] for i in queue(people["root"])["items"]}  # marks are per person
    post(people["ana"], M1, "Ask about their week first.", parent_id=question["ref"])  # a learner's reply
    back = queue(cora)
    assert question["key"] in {i["key"] for i in back["items"]} and not back["set_aside"]


def test_a_snoozed_item_comes_back_on_its_day(scenario, people, clock):
    cora = people["cora"]
    waiting = item(queue(cora)["items"], "unanswered_post")
    answer = send(cora, "/api/dashboard/queue/snooze", {"key": waiting["key"], "until": "2027-01-27"})
    assert answer.status_code == 200, answer.json
    assert answer.json["set_aside"] == {"action": "snooze", "until": "2027-01-27"}
    clock.at("2027-01-26T23:59")
    assert waiting["key"] not in {i["key"] for i in queue(cora)["items"]}
    clock.at("2027-01-27T00:01")
    assert waiting["key"] in {i["key"] for i in queue(cora)["items"]}


def test_a_dismissed_learner_comes_back_when_they_fall_further_behind(scenario, people, clock):
    cora = people["cora"]
    cai = item(queue(cora)["items"], "learner_attention", "Cai Learner")
    assert send(cora, "/api/dashboard/queue/dismiss", {"key": cai["key"]}).status_code == 200
    clock.at("2027-01-25T23:00")  # hours later, quieter still: the same reasons, still set aside
    assert cai["key"] not in {i["key"] for i in queue(cora)["items"]}
    clock.at("2027-02-02T12:00")  # module 4 (due 02-01) is overdue too now
    assert cai["key"] in {i["key"] for i in queue(cora)["items"]}


def test_a_manager_dismisses_too_and_can_put_it_back(scenario, people):
    mia = people["mia"]
    plan = item(queue(mia)["items"], "plan_waiting")
    assert send(mia, "/api/dashboard/queue/dismiss", {"key": plan["key"]}).status_code == 200
    assert plan["key"] not in {i["key"] for i in queue(mia)["items"]}
    assert send(mia, "/api/dashboard/queue/restore", {"key": plan["key"]}).status_code == 200
    assert plan["key"] in {i["key"] for i in queue(mia)["items"]}
    assert_error(send(mia, "/api/dashboard/queue/restore", {"key": plan["key"]}), 404, "not set aside")


@pytest.mark.parametrize(("until", "status", "message"), [
    ("2027-01-25", 409, "after today (2027-01-25)"), ("2027-01-20", 409, "after today"), ("2027-04-26", 409, "90 days"),
    ("tomorrow", 400, "YYYY-MM-DD"), ("2027-02-30", 400, "YYYY-MM-DD"), (20270128, 400, "YYYY-MM-DD"),
])
def test_a_snooze_date_that_makes_no_sense_is_refused_and_nothing_is_set_aside(scenario, people, until, status,
                                                                               message):
    cora = people["cora"]
    key = item(queue(cora)["items"], "open_question")["key"]
    assert_error(send(cora, "/api/dashboard/queue/snooze", {"key": key, "until": until}), status, message)
    assert key in {i["key"] for i in queue(cora)["items"]} and not queue(cora)["set_aside"]


def test_nobody_sets_aside_what_is_not_in_their_queue(scenario, people):
    cora_key = item(queue(people["cora"])["items"], "open_question")["key"]
    assert_error(send(people["otto"], "/api/dashboard/queue/dismiss", {"key": cora_key}), 404, "No such item")
    assert_error(send(people["max"], "/api/dashboard/queue/dismiss", {"key": cora_key}), 404, "No such item")
    assert_error(send(people["cora"], "/api/dashboard/queue/dismiss", {"key": "open_question:acme-a:999"}), 404)
    assert_error(send(people["ana"], "/api/dashboard/queue/dismiss", {"key": cora_key}), 403, "My progress")
    assert_error(send(people["cora"], "/api/dashboard/queue/dismiss", {"key": cora_key, "extra": 1}), 400,
                 "Unknown field 'extra'")


# --------------------------------------------------------------------------- the learner page


def test_the_coach_opens_a_learner_page_with_links_to_their_work(scenario, people):
    ana = ids(people)["Ana Learner"]
    page = people["cora"].get(f"/api/dashboard/cohorts/{COHORT}/learners/{ana}")
    assert page.status_code == 200, page.json
    body = page.json
    assert body["learner"]["name"] == "Ana Learner" and body["learner"]["manager"] == "Mia Manager"
    assert body["learner"]["url"] == f"{ROOT}dashboard/?cohort={COHORT}&learner={ana}#rt-learner-{ana}"
    statuses = {m["id"]: m["status"] for m in body["modules"]}
    assert statuses == {M1: "complete", M2: "complete", "acme/pitch": "waiting_for_feedback",
                        "acme/wrap-up": "not_started"}
    assert body["completed"] == 2 and body["of"] == 4
    work = {m["id"]: [(w["kind"], w["url"]) for w in m["work"]] for m in body["modules"]}
    plan, presentation = (next(w for m in body["modules"] for w in m["work"] if w["kind"] == k)
                          for k in ("plan", "presentation"))
    assert (("plan", f"{ROOT}acme/plan-a-call/?plan={plan['id']}#rt-plan-{plan['id']}") in work[M2])
    assert (("presentation", f"{ROOT}acme/pitch/#rt-review-{presentation['id']}") in work["acme/pitch"])
    posts = [w for w in work[M1] if w[0] == "post"]
    assert len(posts) == 2 and all(re.fullmatch(rf"{ROOT}acme/welcome/#rt-comment-\d+", u) for _, u in posts)


def test_the_manager_sees_their_reports_plans_but_not_what_only_reviewers_see(scenario, people):
    ana = ids(people)["Ana Learner"]
    body = people["mia"].get(f"/api/dashboard/cohorts/{COHORT}/learners/{ana}").json
    kinds = {w["kind"] for m in body["modules"] for w in m["work"]}
    assert "plan" in kinds and "presentation" not in kinds
    assert people["root"].get(f"/api/dashboard/cohorts/{COHORT}/learners/{ana}").status_code == 200


@pytest.mark.parametrize("who", ["ana", "ben", "otto", "max", "obi"],
                         ids=["the learner", "another learner", "other cohort's coach", "unrelated manager",
                              "observer"])
def test_everyone_else_is_told_the_learner_page_does_not_exist(scenario, people, who):
    ana = ids(people)["Ana Learner"]
    assert_error(people[who].get(f"/api/dashboard/cohorts/{COHORT}/learners/{ana}"), 404, "No such learner")


def test_a_learner_page_outside_the_cohort_or_of_a_non_learner_is_404(scenario, people, app):
    who = ids(people)
    assert_error(people["cora"].get(f"/api/dashboard/cohorts/{OTHER}/learners/{who['Ola Other']}"), 404)
    assert_error(people["cora"].get(f"/api/dashboard/cohorts/{COHORT}/learners/{who['Ola Other']}"), 404)
    coach_id = people["cora"].get("/api/session").json["user"]["id"]
    assert_error(people["root"].get(f"/api/dashboard/cohorts/{COHORT}/learners/{coach_id}"), 404)
    assert_error(app.test_client().get(f"/api/dashboard/cohorts/{COHORT}/learners/{who['Ana Learner']}"), 401)


def test_matrix_names_link_to_the_learner_page_for_those_who_may_open_it(scenario, people):
    rows = people["cora"].get(f"/api/dashboard/cohorts/{COHORT}").json["matrix"]["rows"]
    assert all(r["learner"]["url"].startswith(f"{ROOT}dashboard/?cohort={COHORT}&learner=") for r in rows)
    observed = people["obi"].get(f"/api/dashboard/cohorts/{COHORT}").json["matrix"]["rows"]
    assert observed and all(r["learner"]["url"] is None for r in observed)


# --------------------------------------------------------------------------- a program's cohorts, the session


def test_an_admin_sees_every_cohort_of_the_program_side_by_side(scenario, people):
    body = people["root"].get("/api/dashboard/programs/acme/cohorts").json
    rows = {r["id"]: r for r in body["cohorts"]}
    assert set(rows) == {COHORT, OTHER}
    assert rows[COHORT]["learners"] == 5 and rows[OTHER]["learners"] == 1
    assert rows[COHORT]["attention"] == 3 and rows[OTHER]["attention"] == 1
    assert rows[COHORT]["plans_waiting"] == 1 and rows[OTHER]["plans_waiting"] == 0
    assert people["root"].get("/api/dashboard").json["program_cohorts"] is True


@pytest.mark.parametrize(("who", "status"), [("cora", 404), ("mia", 404), ("ana", 403)])
def test_others_do_not_get_the_program_view(scenario, people, who, status):
    assert_error(people[who].get("/api/dashboard/programs/acme/cohorts"), status)


def test_unknown_program_is_404_for_admins_too(scenario, people):
    assert_error(people["root"].get("/api/dashboard/programs/nope/cohorts"), 404)


@pytest.mark.parametrize(("who", "has"), [("ana", False), ("cora", True), ("mia", True), ("obi", True),
                                          ("root", True)])
def test_the_session_says_whether_the_dashboard_has_anything_for_them(app, people, who, has):
    assert people[who].get("/api/session").json["user"]["dashboard"] is has


def test_the_reply_that_answers_the_question_takes_it_off_even_when_dismissed(scenario, people):
    cora = people["cora"]
    question = item(queue(cora)["items"], "open_question")
    send(cora, "/api/dashboard/queue/dismiss", {"key": question["key"]})
    cora.post(f"/api/threads/{thread_id(cora, M1)}/comments", {"body": "Start with news.", "parent_id": question["ref"]})
    after = queue(cora)
    assert question["key"] not in {i["key"] for i in after["items"] + after["set_aside"]}
