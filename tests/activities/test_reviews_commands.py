"""Peer reviews from the command line: daily escalation, and re-allocation when someone leaves a cohort."""

from __future__ import annotations

import pytest
from support.cli import commands_on

from comments_server.store import reviews, users
from comments_server.web.database import get_db

from .conftest import COHORT, PITCH
from .test_presentations_api import submit_all


@pytest.fixture
def run(app, monkeypatch):
    """Run a server command against the test app's instance folder and site."""
    return commands_on(app, monkeypatch)


def _open_for(app, name):
    """Open (live, not completed) assignments of one reviewer, and every presenter's peer count."""
    with app.app_context():
        db = get_db()
        uid = users.get_user(db, email=f"{name}@example.com")["id"]
        rows = reviews.live_assignments(db, activity_id=PITCH, cohort_id=COHORT)
    peers = {}
    for r in rows:
        if r["role"] == "peer":
            peers[r["presenter_id"]] = peers.get(r["presenter_id"], 0) + 1
    return [r for r in rows if r["reviewer_id"] == uid and r["completed_at"] is None], peers


def test_reviews_escalate_offers_late_presentations_to_more_peers_then_the_coach(run, app, as_user):
    submit_all(as_user, ("ana", "ben"))
    quiet = run("reviews", "escalate", "--today", "2027-01-01")
    assert quiet.exit_code == 0 and "Escalated 0 review assignment(s) in 0 cohort(s)." in quiet.output
    result = run("reviews", "escalate", "--today", "2027-03-01")  # well past the due date
    assert result.exit_code == 0, result.output
    assert f"{PITCH} in {COHORT}:" in result.output
    with app.app_context():
        roles = {r["role"] for r in reviews.live_assignments(get_db(), activity_id=PITCH, cohort_id=COHORT)}
    assert "coach" in roles
    again = run("reviews", "escalate", "--today", "2027-03-01")
    assert "Escalated 0 review assignment(s)" in again.output  # idempotent: a daily cron may rerun it


def test_roster_import_that_makes_a_reviewer_an_observer_reallocates_their_reviews(run, app, as_user, tmp_path):
    submit_all(as_user)
    assert _open_for(app, "dee")[0]
    roster = tmp_path / "roster.csv"
    roster.write_text(f"email,name,cohort,role,manager_email\ndee@example.com,Dee Learner,{COHORT},observer,\n")
    result = run("roster", "import", str(roster))
    assert result.exit_code == 0, result.output
    # no presentation read in between: the import itself moved them
    still_open, peers = _open_for(app, "dee")
    assert still_open == []
    assert set(peers.values()) == {2}


def test_user_remove_takes_a_reviewer_out_and_reallocates_their_reviews(run, app, as_user):
    submit_all(as_user)
    result = run("user", "remove", "dee@example.com", "--cohort", COHORT)
    assert result.exit_code == 0, result.output
    assert "removed from" in result.output
    still_open, peers = _open_for(app, "dee")
    assert still_open == [] and set(peers.values()) == {2}
    with app.app_context():
        assert users.get_role(get_db(), user_id=as_user("dee").id, cohort_id=COHORT) is None


def test_user_remove_of_someone_not_in_the_cohort_fails(run):
    result = run("user", "remove", "mia@example.com", "--cohort", COHORT)
    assert result.exit_code != 0 and "not in cohort" in result.output


def test_reviewers_given_a_departed_reviewers_work_are_told(run, app, as_user):
    """Issue 13: the re-allocation is an action's event, so its notifications (and completion) follow it."""
    submit_all(as_user)

    def told(db):
        return {(r["user_id"], r["url"].rsplit("-", 1)[-1]) for r in db.query(
            "SELECT user_id, url FROM notifications WHERE kind = 'review_allocated'")}

    with app.app_context():
        before = {r["id"] for r in reviews.live_assignments(get_db(), activity_id=PITCH, cohort_id=COHORT)}
        told_before = told(get_db())
    assert run("user", "remove", "dee@example.com", "--cohort", COHORT).exit_code == 0
    with app.app_context():
        db = get_db()
        new = {(r["reviewer_id"], str(r["submission_id"]))
               for r in reviews.live_assignments(db, activity_id=PITCH, cohort_id=COHORT) if r["id"] not in before}
        told_after = told(db)
    assert new and new <= told_after - told_before
