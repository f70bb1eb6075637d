"""Fixtures for the server tests: a real app on a file DB in tmp_path, a small catalog, people by role."""

from __future__ import annotations

import json

import pytest
from support.postgres import POSTGRES_SECRET

from comments_server import create_app
from comments_server.store import threads, tokens, users
from comments_server.store.db import connect, write_transaction

HASH_1 = "sha256:" + "1" * 64
HASH_2 = "sha256:" + "2" * 64


def activity(module_id, key, kind, order, prompt=""):
    """Return one catalog activity."""
    return {"id": f"{module_id}/{key}", "key": key, "kind": kind, "order": order,
            "prompt": prompt, "options": {}}


def module(program, slug, order, activities, content_hash=HASH_1):
    """Return one catalog module with a read activity and the given others."""
    mid = f"{program}/{slug}"
    return {
        "id": mid, "slug": slug, "title": slug.replace("-", " ").title(), "order": order,
        "url": f"{program}/{slug}/", "src_path": f"{program}/{slug}.md", "due_days": 7 * order,
        "summary": "", "authors": [], "content_hash": content_hash, "completion": "all",
        "activities": [activity(mid, "read", "read", 0)] + [
            activity(mid, key, kind, i + 1, f"Prompt of {mid}/{key}?")
            for i, (key, kind) in enumerate(activities)],
    }


def make_catalog(*, discovery_hash=HASH_1, with_objections=True):
    """Return a small catalog: sales (two cohorts, two modules) and ops (one cohort, one module)."""
    sales_modules = [module("sales", "discovery-calls", 1,
                            [("roundtable", "roundtable"), ("plan", "plan")], discovery_hash)]
    if with_objections:
        sales_modules.append(module("sales", "objection-handling", 2, [("roundtable", "roundtable")]))
    return {"schema_version": 1, "programs": [
        {"id": "sales", "title": "Consultative selling", "audience": "", "description": "",
         "url": "sales/", "order": 1, "modules": sales_modules, "cohorts": [
             {"id": "sales-a", "title": "", "starts": "2027-01-11", "pace": "weekly"},
             {"id": "sales-b", "title": "", "starts": "2027-04-05", "pace": "weekly"}]},
        {"id": "ops", "title": "Operations", "audience": "", "description": "", "url": "ops/",
         "order": 2, "modules": [module("ops", "basics", 1, [("roundtable", "roundtable")])],
         "cohorts": [{"id": "ops-a", "title": "", "starts": "2027-02-01", "pace": "weekly"}]},
    ]}


def write_catalog(site_dir, catalog):
    """Write catalog.json (and a tiny index page) into a site folder."""
    site_dir.mkdir(parents=True, exist_ok=True)
    (site_dir / "catalog.json").write_text(json.dumps(catalog, indent=2, sort_keys=True))
    (site_dir / "index.html").write_text("<h1>Roundtable test site</h1>")
    (site_dir / "sales" / "discovery-calls").mkdir(parents=True, exist_ok=True)
    (site_dir / "sales" / "discovery-calls" / "index.html").write_text("<h1>Discovery calls</h1>")


# role -> (email, cohort, role in cohort, admin)
PEOPLE = {
    "learner": ("lena.learner@example.com", "sales-a", "learner", False),
    "learner2": ("liam.learner@example.com", "sales-a", "learner", False),
    "other_learner": ("olga.other@example.com", "sales-b", "learner", False),
    "coach": ("carla.coach@example.com", "sales-a", "coach", False),
    "other_coach": ("oscar.coach@example.com", "sales-b", "coach", False),
    "manager": ("mona.manager@example.com", "sales-a", "manager", False),
    "observer": ("otto.observer@example.com", "sales-a", "observer", False),
    "admin": ("ada.admin@example.com", None, None, True),
    "outsider": ("nora.nobody@example.com", None, None, False),
}

AUTHOR = "ana.author@example.com"  # in no cohort; the community and notification catalogs name her
THREAD_URL = "/api/activities/sales/discovery-calls/roundtable/thread"


@pytest.fixture
def site_dir(tmp_path):
    """A site folder holding the small catalog."""
    site = tmp_path / "site"
    write_catalog(site, make_catalog())
    return site


@pytest.fixture
def app_config(tmp_path, site_dir, database_url):
    """The test configuration; tests may change it before asking for ``app``."""
    return {
        "TESTING": True,
        "DATABASE_URL": database_url, **(POSTGRES_SECRET if database_url else {}),
        "SITE_DIR": str(site_dir),
        "RATELIMIT_SIGNIN": "1000/minute",
        "RATELIMIT_WRITES": "1000/minute",
        "CATALOG_CHECK_SECONDS": 0,
    }


@pytest.fixture
def app(tmp_path, app_config):
    """A Roundtable app on a file DB in tmp_path, migrated, catalog synced, people added."""
    app = create_app(app_config, instance_path=str(tmp_path / "instance"))
    add_people(app)
    return app


def add_people(app):
    """Add everyone in PEOPLE; the learners report to the manager."""
    db = connect(app.config["DATABASE"])
    with write_transaction(db):
        manager = users.upsert_user(db, email=PEOPLE["manager"][0], name="Mona Manager")
        for key, (email, cohort, role, admin) in PEOPLE.items():
            name = " ".join(email.split("@")[0].split(".")).title()
            reports = manager["id"] if key.startswith("learner") else None
            person = users.upsert_user(db, email=email, name=name, admin=admin, manager_id=reports)
            if cohort:
                users.set_membership(db, user_id=person["id"], cohort_id=cohort, role=role)
    db.close()


@pytest.fixture
def db(app):
    """A connection to the app's database, for what HTTP cannot show."""
    conn = connect(app.config["DATABASE"])
    yield conn
    conn.close()


class Api:
    """A test client that sends JSON with the session's CSRF token, as the widget's api.js does."""

    def __init__(self, client):
        self.client = client
        self.csrf = client.get("/api/session").json["csrf_token"]

    def get(self, url, **kw):
        return self.client.get(url, **kw)

    def _send(self, method, url, json=None, headers=None):
        headers = {"X-CSRF-Token": self.csrf, **(headers or {})}
        return self.client.open(url, method=method, json=json if json is not None else {},
                                headers=headers)

    def post(self, url, json=None, **kw):
        return self._send("POST", url, json, **kw)

    def patch(self, url, json=None, **kw):
        return self._send("PATCH", url, json, **kw)

    def delete(self, url, json=None, **kw):
        return self._send("DELETE", url, json, **kw)

    def redeem(self, token):
        response = self.post("/api/auth/redeem", {"token": token})
        if response.status_code == 200:
            self.csrf = response.json["csrf_token"]
        return response


def make_token(app, email, minutes=30):
    """Create a sign-in token for a person, as a mailed link would carry."""
    db = connect(app.config["DATABASE"])
    with write_transaction(db):
        token = tokens.add_token(db, user_id=users.get_user(db, email=email)["id"], minutes=minutes)
    db.close()
    return token


@pytest.fixture
def anon(app):
    """An Api client with no one signed in."""
    return Api(app.test_client())


@pytest.fixture
def sign_in(app):
    """Return a function that gives an Api client signed in as a role from PEOPLE."""

    def as_role(role):
        api = Api(app.test_client())
        response = api.redeem(make_token(app, PEOPLE[role][0]))
        assert response.status_code == 200, response.json
        return api

    return as_role


@pytest.fixture
def author(app):
    """Sign in AUTHOR (in no cohort), adding her first."""
    conn = connect(app.config["DATABASE"])
    with write_transaction(conn):
        users.upsert_user(conn, email=AUTHOR, name="Ana Author")
    conn.close()
    api = Api(app.test_client())
    assert api.redeem(make_token(app, AUTHOR)).status_code == 200
    return api


@pytest.fixture
def thread(sign_in, db):
    """The sales-a thread of the discovery-calls roundtable, stored (as a first post stores it), read by its learner."""
    with write_transaction(db):
        threads.store_virtual(db, thread={"activity_id": "sales/discovery-calls/roundtable", "cohort_id": "sales-a"})
    return sign_in("learner").get(THREAD_URL).json["thread"]


def assert_error(response, status, contains=""):
    """Assert the one error shape of the API, and optionally part of its message."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.json
    assert body["ok"] is False
    assert body["status"] == status
    assert body["errors"] and all(isinstance(e, str) and e for e in body["errors"])
    assert body["error"] == "; ".join(body["errors"])
    assert contains.lower() in body["error"].lower()
    return body


def post_comment(api, thread_id, body="A comment", **extra):
    """Post a comment and return its JSON (asserting 201)."""
    response = api.post(f"/api/threads/{thread_id}/comments", {"body": body, **extra})
    assert response.status_code == 201, response.json
    return response.json["comment"]
