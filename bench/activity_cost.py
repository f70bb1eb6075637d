"""Cost of two structured-activity actions (issue 13's closing note), measured through the HTTP API.

1. Giving feedback on a plan (one ``POST /api/plans/<id>/feedback`` by the manager):
   SQL statements on the request's connection and cross-layer calls (a call from a
   function of one room of ``comments_server`` to a function of another, e.g.
   ``store -> notify``), with the calls counted per pair of rooms.
2. Submitting a presentation (``POST /api/activities/<id>/presentation`` with a link)
   in a cohort of ``--learners`` learners of whom half have submitted already:
   statements and wall time, over ``--runs`` successive submissions.

    .venv/bin/python bench/activity_cost.py [--learners 200] [--runs 5]

Prints JSON.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from comments_server import create_app  # noqa: E402
from comments_server.store import users  # noqa: E402
from comments_server.store.db import connect, pooled, write_transaction  # noqa: E402

PROGRAM, COHORT = "bench", "bench-q1"
PLAN, PITCH = f"{PROGRAM}/plan/plan", f"{PROGRAM}/pitch/presentation"


def catalog():
    """A program with a plan module and a presentation module (3 peer reviews), one cohort."""
    def module(slug, order, kind, options):
        mid = f"{PROGRAM}/{slug}"
        return {"id": mid, "slug": slug, "title": slug.title(), "order": order, "url": f"{mid}/",
                "src_path": f"{mid}.md", "due_days": 14 * order, "summary": "", "authors": [],
                "content_hash": f"sha256:{slug}", "completion": "all",
                "activities": [{"id": f"{mid}/read", "key": "read", "kind": "read", "order": 0, "prompt": "",
                                "options": {}},
                               {"id": f"{mid}/{kind}", "key": kind, "kind": kind, "order": 1, "prompt": "Go.",
                                "options": options}]}
    modules = [module("plan", 1, "plan", {"debrief": "How did it go?", "feedback_from": "manager",
                                          "rating_scale": 5}),
               module("pitch", 2, "presentation", {"peer_reviews": 3, "rubric": ["clarity"],
                                                   "formats": ["pdf", "link"]})]
    return {"schema_version": 1, "programs": [{
        "id": PROGRAM, "title": "Bench", "audience": "", "description": "", "url": f"{PROGRAM}/", "order": 1,
        "cohorts": [{"id": COHORT, "title": "Q1", "starts": "2027-01-11", "pace": "weekly"}],
        "modules": modules}]}


def seed(app, learners):
    """A manager, a coach and ``learners`` learners reporting to the manager; returns their ids."""
    db = connect(app.config["DATABASE"])
    with write_transaction(db):
        manager = users.upsert_user(db, email="manager@example.com", name="Manager")
        coach = users.upsert_user(db, email="coach@example.com", name="Coach")
        users.set_membership(db, user_id=coach["id"], cohort_id=COHORT, role="coach")
        ids = []
        for i in range(learners):
            person = users.upsert_user(db, email=f"l{i}@example.com", name=f"Learner {i}",
                                       manager_id=manager["id"])
            users.set_membership(db, user_id=person["id"], cohort_id=COHORT, role="learner")
            ids.append(person["id"])
    db.close()
    return manager["id"], ids


def client_for(app, user_id):
    """A test client signed in as ``user_id`` with CSRF token "t"."""
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["uid"] = user_id
        sess["csrf"] = "t"
    return client


def post(client, url, body):
    """POST JSON with the CSRF header; fail loudly on an error answer."""
    response = client.post(url, json=body, headers={"X-CSRF-Token": "t"})
    assert response.status_code in (200, 201), (url, response.get_json())
    return response.get_json()


class Statements:
    """Count the SQL statements run on this thread's pooled connection while active."""

    def __init__(self, app):
        self.conn = pooled(app.config["DATABASE"]).conn
        self.count = 0

    def _seen(self, _sql):
        self.count += 1

    def __enter__(self):
        self.count = 0
        self.conn.set_trace_callback(self._seen)
        return self

    def __exit__(self, *exc):
        self.conn.set_trace_callback(None)


def _room(module):
    """``comments_server.store.reviews`` -> ``store``; None outside the package."""
    parts = (module or "").split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "comments_server" else None


class CrossLayerCalls:
    """Count calls from a function of one room to a function of another (``sys.setprofile``)."""

    def __init__(self):
        self.pairs = collections.Counter()

    def _profile(self, frame, event, _arg):
        if event != "call" or frame.f_back is None:
            return
        callee = _room(frame.f_globals.get("__name__"))
        caller = _room(frame.f_back.f_globals.get("__name__"))
        if callee and caller and callee != caller:
            self.pairs[f"{caller} -> {callee}"] += 1

    def __enter__(self):
        sys.setprofile(self._profile)
        return self

    def __exit__(self, *exc):
        sys.setprofile(None)

    def total(self):
        return sum(self.pairs.values())


def feedback_cost(app, manager_id, learner_id):
    """Statements and cross-layer calls of the manager's one feedback call on a debriefed plan."""
    learner, manager = client_for(app, learner_id), client_for(app, manager_id)
    plan = post(learner, f"/api/activities/{PLAN}/plan", {"body": "Open with a question."})["plan"]
    post(learner, f"/api/plans/{plan['id']}/submit", {"encounter_at": "2026-01-20T10:00"})  # past: debrief after it
    post(learner, f"/api/plans/{plan['id']}/debrief", {"body": "It went well."})
    url, body = f"/api/plans/{plan['id']}/feedback", {"rating": 4, "comment": "Good opening."}
    with Statements(app) as statements, CrossLayerCalls() as calls:
        post(manager, url, body)
    return {"statements": statements.count, "cross_layer_calls": calls.total(),
            "by_pair": dict(sorted(calls.pairs.items()))}


def presentation_cost(app, learner_ids, runs):
    """Statements and ms of submitting a presentation when half the cohort has submitted already."""
    half = len(learner_ids) // 2
    for uid in learner_ids[:half]:
        post(client_for(app, uid), f"/api/activities/{PITCH}/presentation", {"link": f"https://x.test/{uid}"})
    counts, times = [], []
    for uid in learner_ids[half:half + runs]:
        client = client_for(app, uid)
        with Statements(app) as statements:
            t0 = time.perf_counter()
            post(client, f"/api/activities/{PITCH}/presentation", {"link": f"https://x.test/{uid}"})
            times.append((time.perf_counter() - t0) * 1000)
        counts.append(statements.count)
    return {"learners": len(learner_ids), "submitted_before": half, "runs": runs,
            "statements_p50": int(statistics.median(counts)), "statements": counts,
            "p50_ms": round(statistics.median(times), 1), "min_ms": round(min(times), 1)}


def main():
    """Seed, measure, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = os.path.join(tmp, "site")
        os.makedirs(site)
        with open(os.path.join(site, "catalog.json"), "w") as f:
            json.dump(catalog(), f)
        app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SITE_DIR": site, "RATELIMIT_ENABLED": False,
                          "CATALOG_CHECK_SECONDS": 3600, "BASE_URL": "http://rt.test"},
                         instance_path=os.path.join(tmp, "instance"))
        manager_id, learner_ids = seed(app, args.learners)
        print(json.dumps({"give_feedback": feedback_cost(app, manager_id, learner_ids[0]),
                          "submit_presentation": presentation_cost(app, learner_ids, args.runs)}, indent=2))


if __name__ == "__main__":
    main()
