"""Fixtures for the dashboard tests: a program of four modules, two cohorts, people in every role,
a clock the tests set, and a cohort whose known activity is played through the real API.

The browser fixtures (a built site, its port, screenshots) are the shared ones
in tests/support/browser.py; Debian's Chromium is set in tests/conftest.py.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from support.browser import browser_context_args, built_site, server_port, shots  # noqa: F401  (fixtures, by name)
from support.people import SignedInClient, enroll

from comments_server import create_app
from comments_server.domain import timeutil, xapi
from comments_server.web.database import get_db

P = "acme"
COHORT, OTHER = "acme-a", "acme-b"
M1, M2, M3, M4 = (f"{P}/{s}" for s in ("welcome", "plan-a-call", "pitch", "wrap-up"))
RUBRIC = ["clarity", "next step"]
START = "2027-01-04"
TODAY = dt.datetime(2027, 1, 25, 12, 0, tzinfo=dt.timezone.utc)


def _act(module, key, kind, order, **options):
    """One catalog activity."""
    return {"id": f"{module}/{key}", "key": key, "kind": kind, "order": order, "prompt": f"{key}?",
            "options": options}


def _module(mid, order, activities, completion="all"):
    """One catalog module due 7 x order days after the start, with the implicit read first."""
    slug = mid.split("/")[1]
    acts = [_act(mid, "read", "read", 0)] + [_act(mid, key, kind, i + 1, **opts)
                                             for i, (key, kind, opts) in enumerate(activities)]
    return {"id": mid, "slug": slug, "title": slug.replace("-", " ").title(), "order": order,
            "url": f"{P}/{slug}/", "src_path": f"{P}/{slug}.md", "due_days": 7 * order, "summary": "",
            "authors": [], "content_hash": f"sha256:{slug}-1", "completion": completion, "activities": acts}


CATALOG = {"schema_version": 1, "programs": [{
    "id": P, "title": "Acme onboarding", "audience": "", "description": "", "url": f"{P}/", "order": 1,
    "cohorts": [{"id": COHORT, "title": "A", "starts": START, "pace": "weekly"},
                {"id": OTHER, "title": "B", "starts": START, "pace": "weekly"}],
    "modules": [
        _module(M1, 1, [("roundtable", "roundtable", {})]),
        # its roundtable is optional (not in the completion rule): nobody joins it
        _module(M2, 2, [("plan", "plan", {"debrief": "How did it go?", "feedback_from": "manager",
                                          "rating_scale": 5}), ("roundtable", "roundtable", {})],
                completion=[f"{M2}/read", f"{M2}/plan"]),
        _module(M3, 3, [("presentation", "presentation", {"peer_reviews": 2, "rubric": RUBRIC,
                                                          "reviewers_named": False, "formats": ["link"]})]),
        _module(M4, 4, [("roundtable", "roundtable", {})]),
    ]}]}

# email, name, cohort, role, manager email
PEOPLE = [
    ("mia@example.com", "Mia Manager", None, None, None),
    ("max@example.com", "Max Manager", None, None, None),
    ("ana@example.com", "Ana Learner", COHORT, "learner", "mia@example.com"),
    ("ben@example.com", "Ben Learner", COHORT, "learner", "mia@example.com"),
    ("cai@example.com", "Cai Learner", COHORT, "learner", "max@example.com"),
    ("dee@example.com", "Dee Learner", COHORT, "learner", "max@example.com"),
    ("cora@example.com", "Cora Coach", COHORT, "coach", None),
    ("ola@example.com", "Ola Other", OTHER, "learner", "mia@example.com"),
    ("otto@example.com", "Otto Coach", OTHER, "coach", None),
    ("obi@example.com", "Obi Observer", OTHER, "observer", None),
    ("root@example.com", "Root Admin", None, None, None),
]
EVE = ("eve@example.com", "Eve Late", COHORT, "learner", "max@example.com")


class Clock:
    """The server's one clock (timeutil.now and xAPI timestamps), set by the test."""

    def __init__(self):
        self.now = dt.datetime(2027, 1, 4, 9, 0, tzinfo=dt.timezone.utc)

    def at(self, iso):
        """Move the clock to an ISO time ("2027-01-05T09:00")."""
        self.now = dt.datetime.fromisoformat(iso).replace(tzinfo=dt.timezone.utc)
        return self


@pytest.fixture
def clock(monkeypatch):
    """A clock every timestamp the server writes comes from."""
    c = Clock()
    stamp = xapi.timestamp
    monkeypatch.setattr(timeutil, "now", lambda: c.now)
    monkeypatch.setattr(xapi, "timestamp", lambda when=None: stamp(when or c.now))
    return c


@pytest.fixture
def app(tmp_path, clock, database_url):
    """The server on a tmp instance (SQLite, or PostgreSQL for POSTGRES_MODULES) with the catalog synced
    and the people enrolled (not Eve yet)."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "catalog.json").write_text(json.dumps(CATALOG))
    # limits raised, not switched off: RATELIMIT_ENABLED=False sticks to the shared limiter for later tests
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": database_url,
                      "SITE_DIR": str(site), "RATELIMIT_WRITES": "10000/minute",
                      "RATELIMIT_SIGNIN": "10000/minute", "BASE_URL": "http://rt.test", "CATALOG_CHECK_SECONDS": 0,
                      # the scenario plays three weeks: a session signed in on day one must not end idle
                      "SESSION_IDLE_DAYS": 60},
                     instance_path=str(tmp_path / "instance"))
    with app.app_context():
        enroll(get_db(), PEOPLE)
    return app


class Api(SignedInClient):
    """A signed-in JSON client (session cookie + CSRF token), as the widget's api.js talks."""

    def post(self, url, body=None):
        """POST JSON with the CSRF token; assert a 2xx and return the JSON."""
        response = self.client.post(url, json=body or {}, headers={"X-CSRF-Token": "token"})
        assert 200 <= response.status_code < 300, (url, response.status_code, response.json)
        return response.json


@pytest.fixture
def people(app):
    """An Api per person, by first name in lower case (ana, ben, ..., root)."""
    return {email.split("@")[0]: Api(app, email) for email, *_ in PEOPLE}


def thread_id(api, module):
    """The cohort thread id of a module's roundtable, as the viewer's widget reads it."""
    return api.get(f"/api/activities/{module}/roundtable/thread").json["thread"]["id"]


def post(api, module, body, **extra):
    """Post in a module's roundtable; return the comment."""
    return api.post(f"/api/threads/{thread_id(api, module)}/comments", {"body": body, **extra})["comment"]


def save_and_submit(api, clock, when):
    """Save and submit the learner's plan in module 2 (encounter set); return its id."""
    clock.at(when)
    plan = api.post(f"/api/activities/{M2}/plan/plan", {"body": "My plan."})["plan"]
    api.post(f"/api/plans/{plan['id']}/submit", {"encounter_at": "2027-01-11T10:00:00Z"})
    return plan["id"]


def debrief(api, clock, plan_id, when):
    """Debrief a plan at a time."""
    clock.at(when)
    api.post(f"/api/plans/{plan_id}/debrief", {"body": "It went as planned."})


def play_scenario(app, clock, people):
    """Play the cohort's known activity through the API, in time order (test_figures.py says what follows).

    * Module 1 (due 01-11): Ana, Ben, Cai, Dee read; Ana, Ben and Dee post (Dee's post
      is a question, never answered); Cora replies to Ana after 1 hour, to Ben after 24.
    * Module 3 (due 01-25): Ana, Ben and Dee present on 01-08; every allocated
      reviewer except Ben reviews on 01-09 (clarity 2, next step 4). Ana and Dee read it on 01-20.
    * Module 2 (due 01-18): Ana, Cai, Dee read on 01-10, Ben on 01-11. Ana debriefs on 01-12,
      Mia gives feedback 2 days later; Dee debriefs on 01-13, Max answers 8 days later;
      Ben debriefs on 01-15 and still waits. Cai has no plan.
    * Eve joins on 01-12, after the reviewers were allocated, and never does anything.
    """
    ana, ben, cai, dee, cora, mia, mx = (people[k] for k in ("ana", "ben", "cai", "dee", "cora", "mia", "max"))
    clock.at("2027-01-05T09:00")
    for api in (ana, ben, cai, dee):
        api.post(f"/api/activities/{M1}/read/read")
    a_post = post(ana, M1, "I open with a question.")
    b_post = post(ben, M1, "I open with our agenda.")
    post(dee, M1, "How do I open with a cold account?", question=True)
    clock.at("2027-01-05T10:00")
    post(cora, M1, "Good: which question?", parent_id=a_post["id"])
    clock.at("2027-01-06T09:00")
    post(cora, M1, "Try a question first.", parent_id=b_post["id"])
    clock.at("2027-01-08T09:00")
    subs = {name: people[name].post(f"/api/activities/{M3}/presentation/presentation",
                                    {"link": f"https://example.com/{name}"})["submission"]["id"]
            for name in ("ana", "ben", "dee")}
    clock.at("2027-01-09T09:00")
    for name in ("ana", "ben", "cai", "dee"):  # each opens My progress; Ben reviews nothing
        for item in people[name].get("/api/progress").json["to_review"]:
            if name != "ben":
                people[name].post(f"/api/presentations/{item['submission_id']}/reviews",
                              {"scores": {"clarity": 2, "next step": 4}, "comment": "Clear ask."})
    clock.at("2027-01-10T12:00")
    for api in (ana, cai, dee):
        api.post(f"/api/activities/{M2}/read/read")
    ana_plan = save_and_submit(ana, clock, "2027-01-10T13:00")
    dee_plan = save_and_submit(dee, clock, "2027-01-10T14:00")
    clock.at("2027-01-11T08:00")
    ben.post(f"/api/activities/{M2}/read/read")
    ben_plan = save_and_submit(ben, clock, "2027-01-11T09:00")
    clock.at("2027-01-12T08:00")
    with app.app_context():
        enroll(get_db(), [EVE])
    debrief(ana, clock, ana_plan, "2027-01-12T09:00")
    debrief(dee, clock, dee_plan, "2027-01-13T09:00")
    clock.at("2027-01-14T09:00")
    mia.post(f"/api/plans/{ana_plan}/feedback", {"rating": 4, "comment": "Well done."})
    debrief(ben, clock, ben_plan, "2027-01-15T09:00")
    clock.at("2027-01-20T09:00")
    for api in (ana, dee):
        api.post(f"/api/activities/{M3}/read/read")
    post(ana, M1, "Has anyone tried the question ladder?")
    clock.at("2027-01-21T09:00")
    mx.post(f"/api/plans/{dee_plan}/feedback", {"rating": 3, "comment": "Good."})
    clock.at(TODAY.isoformat()[:16])
    return subs


@pytest.fixture
def scenario(app, clock, people):
    """The played scenario: the presentation ids by presenter; the clock stands at TODAY (2027-01-25 12:00)."""
    return play_scenario(app, clock, people)
