"""A draft plan is its owner's alone (issue 11): coaches, managers and admins learn neither that it exists
nor when it was written, in the API, the cohort's exports or the dashboard, until the learner submits it."""

from __future__ import annotations

import pytest

from .conftest import COHORT, PLAN, assert_error

PLAN_URL = f"/api/activities/{PLAN}/plan"
EXPORT = f"/api/dashboard/cohorts/{COHORT}/export?what=events&format="
STAFF = ["cora", "mia", "root"]  # the cohort's coach, ana's manager, an admin


@pytest.fixture
def plan_id(as_user):
    """Ana's plan, saved as a draft."""
    r = as_user("ana").post(PLAN_URL, {"body": "Open with what changed at Acme."})
    assert r.status_code == 200, r.get_json()
    return r.get_json()["plan"]["id"]


def _submit(as_user, plan_id):
    r = as_user("ana").post(f"/api/plans/{plan_id}/submit")
    assert r.status_code == 200, r.get_json()


def _plan_rows(as_user, who):
    """The rows of the cohort's event exports (xAPI and CSV) about the plan activity."""
    api = as_user(who)
    statements = api.get(EXPORT + "xapi")
    assert statements.status_code == 200, statements.get_data(as_text=True)
    csv = api.get(EXPORT + "csv").get_data(as_text=True)
    return ([s for s in statements.get_json() if s["object"]["id"].endswith(PLAN)],
            [line for line in csv.splitlines() if PLAN in line])


def _ana_on_dashboard(as_user, who):
    """Ana's row of the cohort matrix as ``who`` sees it: (cell of the plan's module, last activity)."""
    matrix = as_user(who).get(f"/api/dashboard/cohorts/{COHORT}").get_json()["matrix"]
    column = [m["id"] for m in matrix["modules"]].index("sales/plan-a-call")
    row = next(r for r in matrix["rows"] if r["learner"]["name"] == "Ana Learner")
    return row["cells"][column], row["last_activity"]


def test_the_owner_reads_and_edits_her_draft(as_user, plan_id):
    ana = as_user("ana")
    assert ana.get(f"/api/plans/{plan_id}").status_code == 200
    assert ana.get(PLAN_URL).get_json()["plan"]["stage"] == "draft"


@pytest.mark.parametrize("who", STAFF)
def test_staff_cannot_find_a_draft_through_the_api(as_user, plan_id, who):
    api = as_user(who)
    assert_error(api.get(f"/api/plans/{plan_id}"), 404, "No such plan")
    assert_error(api.post(f"/api/plans/{plan_id}/comments", {"body": "Too early"}), 404, "No such plan")
    assert_error(api.post(f"/api/plans/{plan_id}/revision", {"comment": "More"}), 404, "No such plan")
    assert all(p["id"] != plan_id for p in api.get(PLAN_URL).get_json().get("cohort_plans", []))
    assert all(p["id"] != plan_id for p in api.get("/api/progress").get_json().get("waiting_plans", []))
    _submit(as_user, plan_id)
    assert api.get(f"/api/plans/{plan_id}").status_code == 200  # submitted: in sight again


@pytest.mark.parametrize("who", STAFF)
def test_a_draft_is_in_no_export_until_it_is_submitted(as_user, plan_id, who):
    assert _plan_rows(as_user, who) == ([], [])
    _submit(as_user, plan_id)
    statements, lines = _plan_rows(as_user, who)
    verbs = {s["verb"]["id"].rsplit("/", 1)[-1] for s in statements}
    assert {"progressed", "submit"} <= verbs and len(lines) == len(statements)


@pytest.mark.parametrize("who", STAFF)
def test_the_dashboard_shows_a_draft_as_not_started(as_user, plan_id, who):
    assert _ana_on_dashboard(as_user, who) == ("not_started", None)
    _submit(as_user, plan_id)
    cell, last = _ana_on_dashboard(as_user, who)
    assert cell == "in_progress" and last is not None
