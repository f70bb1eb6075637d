"""My-progress benchmark: a manager with 20 reports in one cohort of a 15-module program.

Seeds a fresh instance (people, memberships, some reads and roundtable posts
through the store), then times GET /api/progress through the test client as
the manager and as one learner, and prints JSON: p50 and min of several runs.

    .venv/bin/python bench/progress.py [--reports 20] [--modules 15] [--runs 9]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.catalog import bench_catalog, bench_module  # noqa: E402
from comments_server import create_app  # noqa: E402
from comments_server.store import users  # noqa: E402
from comments_server.store.db import connect, write_transaction  # noqa: E402

PROGRAM, COHORT = "bench", "bench-q1"


def catalog(n_modules, starts):
    """One program of n modules (read + roundtable; every third also a plan), one cohort."""
    modules = [bench_module(PROGRAM, i, plan_every=3) for i in range(1, n_modules + 1)]
    cohorts = [{"id": COHORT, "title": "Q1", "starts": starts.isoformat(), "pace": "weekly"}]
    return bench_catalog(PROGRAM, "Bench", modules, cohorts)


def seed(app, reports, n_modules):
    """The manager, their reports (learners of the cohort), each with reads on half the modules."""
    db = connect(app.config["DATABASE"])
    with write_transaction(db):
        manager = users.upsert_user(db, email="manager@example.com", name="Manager")
        learner_ids = []
        for r in range(reports):
            person = users.upsert_user(db, email=f"r{r}@example.com", name=f"Report {r}", manager_id=manager["id"])
            users.set_membership(db, user_id=person["id"], cohort_id=COHORT, role="learner")
            learner_ids.append(person["id"])
        for uid in learner_ids:
            for i in range(1, n_modules // 2 + 1):
                db.execute("INSERT INTO reads (user_id, activity_id, cohort_id, at) VALUES (?, ?, ?, ?)",
                           [uid, f"{PROGRAM}/m{i:02d}/read", COHORT, "2026-01-01T00:00:00.000Z"])
    db.close()
    return manager["id"], learner_ids[0]


def timed(client, url, runs):
    """p50 and min of ``runs`` GETs, in milliseconds."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.get_data(as_text=True)
    return {"p50_ms": round(statistics.median(times), 1), "min_ms": round(min(times), 1)}


def client_for(app, user_id):
    """A test client signed in as ``user_id``."""
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["uid"] = user_id
    return client


def main():
    """Seed, time, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=20)
    parser.add_argument("--modules", type=int, default=15)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = os.path.join(tmp, "site")
        os.makedirs(site)
        with open(os.path.join(site, "catalog.json"), "w") as f:
            json.dump(catalog(args.modules, dt.date.today() - dt.timedelta(weeks=8)), f)
        app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SITE_DIR": site, "RATELIMIT_ENABLED": False,
                          "CATALOG_CHECK_SECONDS": 3600}, instance_path=os.path.join(tmp, "instance"))
        manager_id, learner_id = seed(app, args.reports, args.modules)
        print(json.dumps({
            "reports": args.reports, "modules": args.modules, "runs": args.runs,
            "manager_progress": timed(client_for(app, manager_id), "/api/progress", args.runs),
            "learner_progress": timed(client_for(app, learner_id), "/api/progress", args.runs),
        }, indent=2))


if __name__ == "__main__":
    main()
