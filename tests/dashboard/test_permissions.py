"""Who sees what on the dashboard, from the outside: every role, including the refusals.

Admins and observers (Obi observes acme-b only) see every cohort; coaches the
cohorts they coach; managers their direct reports only (Mia: Ana and Ben in
acme-a, Ola in acme-b); learners get 403; strangers 401; an id outside the
viewer's scope 404.
"""

from __future__ import annotations

import pytest

from .conftest import COHORT, OTHER

ENDPOINTS = ["/api/dashboard", f"/api/dashboard/cohorts/{COHORT}", "/api/dashboard/programs/acme/health",
             "/api/dashboard/queue", f"/api/dashboard/cohorts/{COHORT}/export?what=matrix&format=csv"]


def names(response):
    """The learner names in a cohort answer's matrix."""
    assert response.status_code == 200, response.json
    return [r["learner"]["name"] for r in response.json["matrix"]["rows"]]


def cohorts_seen(api):
    """The cohort ids on the viewer's dashboard overview."""
    body = api.get("/api/dashboard").json
    return sorted(c["id"] for p in body["programs"] for c in p["cohorts"])


def assert_error(response, status, contains=""):
    """The API's one error shape."""
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.json
    assert body["ok"] is False and body["status"] == status and body["error"] == "; ".join(body["errors"])
    assert contains.lower() in body["error"].lower()


@pytest.mark.parametrize("who", ["root", "obi"])
def test_admins_and_observers_see_every_cohort(scenario, people, who):
    assert cohorts_seen(people[who]) == [COHORT, OTHER]
    assert len(names(people[who].get(f"/api/dashboard/cohorts/{COHORT}"))) == 5
    assert names(people[who].get(f"/api/dashboard/cohorts/{OTHER}")) == ["Ola Other"]
    assert people[who].get("/api/dashboard/queue").status_code == 200


def test_a_coach_sees_the_cohort_they_coach_only(scenario, people):
    cora = people["cora"]
    assert cohorts_seen(cora) == [COHORT]
    assert len(names(cora.get(f"/api/dashboard/cohorts/{COHORT}"))) == 5
    assert_error(cora.get(f"/api/dashboard/cohorts/{OTHER}"), 404)
    assert_error(cora.get(f"/api/dashboard/programs/acme/health?cohort={OTHER}"), 404)
    assert_error(cora.get(f"/api/dashboard/cohorts/{OTHER}/export?what=events&format=xapi"), 404)
    health = cora.get("/api/dashboard/programs/acme/health").json
    assert health["cohorts"] == [COHORT] and health["health"]["learners"] == 5


def test_the_other_coach_sees_nothing_of_this_cohort(scenario, people):
    otto = people["otto"]
    assert cohorts_seen(otto) == [OTHER]
    assert_error(otto.get(f"/api/dashboard/cohorts/{COHORT}"), 404)
    assert all(i["cohort_id"] == OTHER for i in otto.get("/api/dashboard/queue").json["items"])


def test_a_manager_sees_their_reports_only(scenario, people):
    mia = people["mia"]
    assert cohorts_seen(mia) == [COHORT, OTHER]
    answer = mia.get(f"/api/dashboard/cohorts/{COHORT}")
    assert names(answer) == ["Ana Learner", "Ben Learner"] and answer.json["limited_to_reports"] is True
    assert [a["learner"]["name"] for a in answer.json["attention"]] == ["Ben Learner"]
    health = mia.get(f"/api/dashboard/programs/acme/health?cohort={COHORT}").json["health"]
    assert health["learners"] == 2
    assert [p["learner"]["name"] for p in health["participation"]["learners"]] == ["Ana Learner", "Ben Learner"]
    csv = mia.get(f"/api/dashboard/cohorts/{COHORT}/export?what=matrix&format=csv").get_data(as_text=True)
    assert "Ana Learner" in csv and "Cai Learner" not in csv and "Dee Learner" not in csv
    events = mia.get(f"/api/dashboard/cohorts/{COHORT}/export?what=events&format=xapi").json
    assert {e["actor"]["mbox"] for e in events} == {"mailto:ana@example.com", "mailto:ben@example.com"}
    # issue 10: a manager has a to-do list too, of their own reports only (it was a 403 before)
    assert {i["who"] for i in mia.get("/api/dashboard/queue").json["items"]} == {"Ben Learner", "Ola Other"}


def test_max_sees_cai_dee_and_eve(scenario, people):
    assert names(people["max"].get(f"/api/dashboard/cohorts/{COHORT}")) == ["Cai Learner", "Dee Learner", "Eve Late"]
    assert cohorts_seen(people["max"]) == [COHORT]
    assert_error(people["max"].get(f"/api/dashboard/cohorts/{OTHER}"), 404)


@pytest.mark.parametrize("who", ["ana", "ola"])
@pytest.mark.parametrize("url", ENDPOINTS)
def test_learners_are_sent_to_my_progress(scenario, people, who, url):
    assert_error(people[who].get(url), 403, "My progress")


@pytest.mark.parametrize("url", ENDPOINTS)
def test_strangers_must_sign_in(app, url):
    assert_error(app.test_client().get(url), 401)


def test_unknown_cohort_and_program_are_404(scenario, people):
    assert_error(people["root"].get("/api/dashboard/cohorts/nope"), 404)
    assert_error(people["root"].get("/api/dashboard/programs/nope/health"), 404)


def test_export_refuses_a_format_it_does_not_have(scenario, people):
    assert_error(people["root"].get(f"/api/dashboard/cohorts/{COHORT}/export?what=matrix&format=xapi"), 400,
                 "what=")
