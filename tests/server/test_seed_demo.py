"""The demo seed on the sample catalog (programs.yml + content/), read through the API as each printed role."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from comments_server import create_app
from comments_server.ops.seed import seed_demo
from comments_server.store.db import connect
from generator.catalog import write_catalog
from generator.loader import load_project
from generator.quiz import write_keys

from .conftest import Api

REPO = Path(__file__).resolve().parents[2]
COUNTED = ("users", "memberships", "comments", "threads", "submissions", "submission_steps", "feedback",
           "reviews", "review_assignments", "reflections", "reads", "completions", "events", "forum_topics",
           "blog_posts", "wiki_pages", "wiki_revisions", "author_questions", "notifications", "quiz_attempts")


@pytest.fixture
def demo(tmp_path):
    """An app on the sample catalog, seeded once; (app, links by role, seconds the seed took)."""
    project = load_project(REPO, REPO / "programs.yml", REPO / "content")
    assert project.catalog.programs, project.problems
    site = tmp_path / "site"
    site.mkdir()
    write_keys(project.catalog, site)  # as the build does, before the catalog
    write_catalog(project.catalog, site)
    (site / "index.html").write_text("<h1>Roundtable</h1>")
    app = create_app({"TESTING": True, "SITE_DIR": str(site), "RATELIMIT_SIGNIN": "1000/minute",
                      "RATELIMIT_WRITES": "1000/minute", "CATALOG_CHECK_SECONDS": 0},
                     instance_path=str(tmp_path / "instance"))
    started = time.monotonic()
    links = seed_demo(app, "http://example.test")
    seconds = time.monotonic() - started
    return app, {role: link for role, _name, _email, link in links}, seconds


def signed_in(app, link):
    """A test client signed in with a printed link."""
    api = Api(app.test_client())
    assert api.redeem(link.split("token=")[1]).status_code == 200
    return api


def counts(app):
    """Row counts of every table the seed writes."""
    db = connect(app.config["DATABASE"])
    try:
        return {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in COUNTED}
    finally:
        db.close()


def test_seed_is_fast(demo):
    _app, _links, seconds = demo
    assert seconds < 10


def test_learner_has_a_complete_module_and_one_waiting_for_feedback(demo):
    app, links, _ = demo
    body = signed_in(app, links["learner"]).get("/api/progress").json
    onboarding = next(p for p in body["learner"]["programs"] if p["id"] == "onboarding")
    statuses = {m["id"]: m["status"] for m in onboarding["modules"]}
    assert statuses["onboarding/how-we-work"] == "complete"
    assert statuses["onboarding/first-one-to-one"] == "waiting_for_feedback"
    # an earlier plan with the manager's feedback, in the second program the learner takes
    sales = next(p for p in body["learner"]["programs"] if p["id"] == "sales")
    plan_feedback = [f for m in sales["modules"] for f in m["feedback"] if f["kind"] == "plan"]
    assert plan_feedback and plan_feedback[0]["items"][0]["role"] == "manager"
    # the presentation's reviews, with averages per criterion
    shown = [f for m in onboarding["modules"] for f in m["feedback"] if f["kind"] == "presentation"]
    assert shown and shown[0]["count"] >= 2 and all(v is not None for v in shown[0]["averages"].values())
    assert body["to_review"], "one peer review is left for the learner to give"


def test_manager_sees_the_plan_waiting(demo):
    app, links, _ = demo
    learner_name = signed_in(app, links["learner"]).get("/api/session").json["user"]["name"]
    waiting = signed_in(app, links["manager"]).get("/api/progress").json["manager"]["waiting"]
    mine = [w for w in waiting if w["owner"]["name"] == learner_name]
    assert mine and mine[0]["needs"] == "feedback"


def test_coach_queue_and_attention(demo):
    app, links, _ = demo
    coach = signed_in(app, links["coach"])
    items = coach.get("/api/dashboard/queue").json["items"]
    kinds = {i["kind"] for i in items}
    assert {"open_question", "unanswered_post"} <= kinds
    cohort = coach.get("/api/dashboard/cohorts/onboarding-2026-11").json
    assert cohort["attention"] and cohort["attention"][0]["reasons"]
    assert cohort["attention"][0]["learner"]["name"] and cohort["attention"][0]["reasons"][0]["text"]
    assert cohort["doing_well"]


def test_the_sample_quiz_gives_the_dashboard_per_question_figures(demo):
    app, links, _ = demo
    body = signed_in(app, links["admin"]).get("/api/dashboard/programs/sales/health").json
    figures = {q["question_id"]: q for q in body["quiz_questions"]}
    assert figures["q2"]["learners"] == 3
    assert figures["q2"]["first_right"] < figures["q2"]["best_right"] == 1.0  # missed at first, learned after
    assert body["quiz_questions"][0]["question_id"] == "q2"  # the most missed first


def test_forums_blog_wiki_and_author_question(demo):
    app, links, _ = demo
    learner = signed_in(app, links["learner"])
    for board in ("onboarding", "everyone"):
        topics = learner.get(f"/api/forums/boards/{board}").json["topics"]
        assert topics, board
    db = connect(app.config["DATABASE"])
    try:
        assert db.execute("SELECT MAX(revision) FROM wiki_pages").fetchone()[0] == 2
        thread = db.execute("SELECT thread_id FROM author_questions").fetchone()[0]
        authors = db.execute("SELECT COUNT(DISTINCT author_id) FROM comments WHERE thread_id = ?",
                             [thread]).fetchone()[0]
        assert authors == 2  # the learner asked, the module's author answered
    finally:
        db.close()


def test_seeding_twice_changes_no_counts(demo):
    app, _links, _ = demo
    before = counts(app)
    seed_demo(app, "http://example.test")
    assert counts(app) == before


def test_seeded_history_is_shown_in_site_but_not_mailed(demo):
    app, links, _ = demo
    coach = signed_in(app, links["coach"])
    assert coach.get("/api/notifications").json["notifications"]  # the bell has something to show
    db = connect(app.config["DATABASE"])
    try:
        pending = db.execute("SELECT COUNT(*) FROM outbox WHERE status != 'sent'").fetchone()[0]
    finally:
        db.close()
    assert pending == 0  # the worker starting with the demo mails nobody about the seeded weeks
