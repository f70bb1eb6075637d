"""Fixtures for the structured-activity API tests: an app on a tmp instance with a
small catalog, a cohort of people in every role, and a JSON client per person."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from support.browser import screenshotter
from support.live import LiveServer, free_port, run_cli
from support.people import SignedInClient, enroll

from comments_server import create_app
from comments_server.web.database import get_db

P = "sales"
PLAN = "sales/plan-a-call/plan"
COACH_PLAN = "sales/coach-plan/plan"
PITCH = "sales/pitch-day/presentation"
REFLECTION = "sales/pitch-day/reflection"
READ = "sales/pitch-day/read"
RUBRIC = ["clarity", "customer focus", "next step"]
COHORT = "sales-q1"
OTHER_COHORT = "sales-q2"


def _act(module, key, kind, order, prompt="", **options):
    """One catalog activity."""
    return {"id": f"{module}/{key}", "key": key, "kind": kind, "order": order, "prompt": prompt,
            "options": options}


def _module(slug, order, due_days, activities, completion="all"):
    """One catalog module, with the implicit read first."""
    mid = f"{P}/{slug}"
    acts = [_act(mid, "read", "read", 0)] + [_act(mid, *a[:2], i + 1, *a[2:3], **(a[3] if len(a) > 3 else {}))
                                             for i, a in enumerate(activities)]
    return {"id": mid, "slug": slug, "title": slug.replace("-", " ").title(), "order": order,
            "url": f"{P}/{slug}/", "src_path": f"{P}/{slug}.md", "due_days": due_days, "summary": "",
            "authors": [], "content_hash": f"sha256:{slug}", "completion": completion,
            "activities": acts}


PLAN_OPTIONS = {"debrief": "How did it go?", "feedback_from": "manager", "rating_scale": 5}
CATALOG = {
    "schema_version": 1,
    "programs": [{
        "id": P, "title": "Consultative selling", "audience": "", "description": "", "url": f"{P}/",
        "order": 1,
        "cohorts": [{"id": COHORT, "title": "Q1", "starts": "2027-01-11", "pace": "weekly"},
                    {"id": OTHER_COHORT, "title": "Q2", "starts": "2027-04-05", "pace": "weekly"}],
        "modules": [
            _module("plan-a-call", 1, 14, [("plan", "plan", "Plan your next call.", PLAN_OPTIONS)],
                    completion=[f"{P}/plan-a-call/plan"]),
            _module("coach-plan", 2, 21, [("plan", "plan", "Plan a one-to-one.",
                                           {**PLAN_OPTIONS, "feedback_from": "coach", "rating_scale": 4})]),
            _module("pitch-day", 3, 28, [
                ("presentation", "presentation", "Present your pitch.",
                 {"peer_reviews": 2, "rubric": RUBRIC, "reviewers_named": False,
                  "formats": ["pdf", "pptx", "odp", "mp4", "webm", "link"]}),
                ("reflection", "reflection", "What will you do differently?"),
            ]),
            _module("discovery", 4, 35, [("roundtable", "roundtable", "How do you open?")]),
        ],
    }],
}

# email, name, cohort, role, manager email
PEOPLE = [
    ("mia@example.com", "Mia Manager", None, None, None),
    ("max@example.com", "Max Manager", None, None, None),
    ("ana@example.com", "Ana Learner", COHORT, "learner", "mia@example.com"),
    ("ben@example.com", "Ben Learner", COHORT, "learner", "mia@example.com"),
    ("cai@example.com", "Cai Learner", COHORT, "learner", "max@example.com"),
    ("dee@example.com", "Dee Learner", COHORT, "learner", "max@example.com"),
    ("cora@example.com", "Cora Coach", COHORT, "coach", None),
    ("ola@example.com", "Ola Other", OTHER_COHORT, "learner", "mia@example.com"),
    ("otto@example.com", "Otto Coach", OTHER_COHORT, "coach", None),
    ("root@example.com", "Root Admin", None, None, None),
]


@pytest.fixture
def app(tmp_path, database_url):
    """The server on a tmp instance (SQLite, or PostgreSQL for POSTGRES_MODULES), the catalog synced, the people enrolled."""
    return make_app(tmp_path, DATABASE_URL=database_url)


def make_app(tmp_path, **config):
    """The app of the ``app`` fixture, with ``config`` on top.

    Rate limits are raised rather than switched off, so the limiter stays exercised
    (each app has its own limiter: settings do not leak between apps).
    """
    site = tmp_path / "site"
    site.mkdir()
    (site / "catalog.json").write_text(json.dumps(CATALOG))
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "SITE_DIR": str(site),
                      "RATELIMIT_WRITES": "10000/minute", "RATELIMIT_SIGNIN": "10000/minute",
                      "BASE_URL": "http://rt.test", **config},
                     instance_path=str(tmp_path / "instance"))
    with app.app_context():
        enroll(get_db(), PEOPLE)
    return app


class Api(SignedInClient):
    """A signed-in JSON client: sends the CSRF token and JSON; returns the response."""

    def _send(self, method, url, body=None, **kw):
        headers = {"X-CSRF-Token": "token", **kw.pop("headers", {})}
        if body is not None and "data" not in kw:
            kw["json"] = body
        response = self.client.open(url, method=method, headers=headers, **kw)
        return response

    def post(self, url, body=None, **kw):
        """POST JSON (``{}`` by default); return the response."""
        return self._send("POST", url, {} if body is None and "data" not in kw else body, **kw)

    def put(self, url, body=None, **kw):
        """PUT JSON; return the response."""
        return self._send("PUT", url, body, **kw)


@pytest.fixture
def as_user(app):
    """``as_user("ana")`` -> an Api client signed in as ana@example.com."""
    cache = {}

    def make(name):
        if name not in cache:
            cache[name] = Api(app, f"{name}@example.com")
        return cache[name]

    return make


def assert_error(response, status, text=None):
    """The canonical error shape, with a message containing ``text``."""
    assert response.status_code == status, response.get_json()
    body = response.get_json()
    assert body["ok"] is False and body["status"] == status
    assert body["error"] == "; ".join(body["errors"])
    if text:
        assert text in body["error"], body["error"]
    return body


# --------------------------------------------------------------------------- browser tests
# The real server and a built site of this folder's own program (tests/support/live.py);
# Chromium is set in tests/conftest.py.

FIXTURE_PROGRAM = Path(__file__).resolve().parent / "fixture_program"
BROWSER_PEOPLE = [  # email, name, cohort, role, manager_email
    ("max@example.com", "Max Manager", "skills-cohort", "manager", ""),
    ("lea@example.com", "Lea Learner", "skills-cohort", "learner", "max@example.com"),
    ("liam@example.com", "Liam Learner", "skills-cohort", "learner", "max@example.com"),
    ("lou@example.com", "Lou Learner", "skills-cohort", "learner", ""),
    ("cora@example.com", "Cora Coach", "skills-cohort", "coach", ""),
]


@pytest.fixture(scope="session")
def activity_port():
    """The port of the activity server, known before the build (site_url)."""
    return free_port()


@pytest.fixture(scope="session")
def activity_site(tmp_path_factory, activity_port):
    """Build the activity fixture program once with `roundtable build`."""
    program = tmp_path_factory.mktemp("activity-program") / "fixture_program"
    shutil.copytree(FIXTURE_PROGRAM, program)
    with open(program / "mkdocs.yml", "a") as f:
        f.write(f"site_url: http://127.0.0.1:{activity_port}/\n")
    run_cli("build", env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, cwd=program)
    return program / "site"


@pytest.fixture
def activity_server(activity_site, tmp_path_factory, activity_port):
    """A fresh real server (`roundtable serve`) with the activity roster."""
    server = LiveServer(activity_site, tmp_path_factory.mktemp("activity-instance"), activity_port).start()
    try:
        server.add_people(BROWSER_PEOPLE)
        yield server
    finally:
        server.stop()


@pytest.fixture
def shots(output_path):
    """Save a full-page screenshot under this test's folder in test-results/ (as the page is scrolled)."""
    return screenshotter(output_path, scroll_to_top=False)
