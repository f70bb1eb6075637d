"""Dashboard benchmark: 5,000 learners in 50 cohorts over 40 modules with about a million events.

Seeds a fresh instance in bulk (sqlite-utils insert_all, not HTTP), then times
the real Flask endpoints through the test client as an admin and prints JSON:
p50 of several runs for the cohort matrix and the program health view, cached
(nothing changed since the last answer) and fresh (one new event in the
cohort, so its snapshot is recomputed), plus the database size.

    .venv/bin/python bench/dashboard.py [--learners 5000] [--cohorts 50] [--modules 40] [--runs 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.catalog import bench_catalog, bench_module  # noqa: E402
from comments_server import create_app  # noqa: E402
from comments_server.store.db import connect  # noqa: E402

ADL = "http://adlnet.gov/expapi/verbs/"
PROGRAM = "bench"


def catalog(n_modules, n_cohorts, start):
    """A program of n modules (read + roundtable; every 10th also a plan) and n cohorts a week apart."""
    modules = [bench_module(PROGRAM, i, plan_every=10) for i in range(1, n_modules + 1)]
    cohorts = [{"id": f"c{k:02d}", "title": f"Cohort {k}", "starts": (start + dt.timedelta(weeks=k)).isoformat(),
                "pace": "weekly"} for k in range(n_cohorts)]
    return bench_catalog(PROGRAM, "Bench program", modules, cohorts)


def iso(moment):
    """ISO 8601 UTC with milliseconds and a Z."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


class Seeder:
    """Bulk rows for people, records and events, written with insert_all."""

    def __init__(self, db, cat, learners, rng):
        """Collect rows for ``learners`` spread over the catalog's cohorts."""
        self.db, self.cat, self.rng = db, cat, rng
        self.per_cohort = learners // len(cat["programs"][0]["cohorts"])
        self.modules = cat["programs"][0]["modules"]
        self.rows = {t: [] for t in ("reads", "comments", "completions", "events", "submissions", "feedback")}
        self.next_comment = 1

    def people(self):
        """Users: an admin, a coach and a manager per cohort, and the learners."""
        users, members = [{"id": 1, "email": "admin@bench", "name": "Admin", "admin": 1, "created": "2026-01-01"}], []
        uid = 2
        for cohort in self.cat["programs"][0]["cohorts"]:
            coach, manager = uid, uid + 1
            users += [{"id": coach, "email": f"coach{uid}@bench", "name": f"Coach {uid}", "admin": 0,
                       "created": "2026-01-01"},
                      {"id": manager, "email": f"mgr{uid}@bench", "name": f"Manager {uid}", "admin": 0,
                       "created": "2026-01-01"}]
            members += [{"user_id": coach, "cohort_id": cohort["id"], "role": "coach"}]
            for n in range(self.per_cohort):
                lid = uid + 2 + n
                users.append({"id": lid, "email": f"l{lid}@bench", "name": f"Learner {lid}", "admin": 0,
                              "manager_id": manager, "created": "2026-01-01"})
                members.append({"user_id": lid, "cohort_id": cohort["id"], "role": "learner"})
            uid += 2 + self.per_cohort
        self.db.table("users").insert_all(users, batch_size=2000)
        self.db.table("memberships").insert_all(members, batch_size=2000)
        return members

    def threads(self):
        """One roundtable thread per module and cohort."""
        rows, self.thread_of = [], {}
        for cohort in self.cat["programs"][0]["cohorts"]:
            for m in self.modules:
                tid = len(rows) + 1
                rows.append({"id": tid, "activity_id": f"{m['id']}/roundtable", "cohort_id": cohort["id"],
                             "kind": "roundtable", "created": "2026-01-01", "version": 0})
                self.thread_of[(m["id"], cohort["id"])] = tid
        self.db.table("threads").insert_all(rows, batch_size=2000)

    def learner(self, uid, cohort, coach, now):
        """One learner's records: modules done in order up to a random point, plus views."""
        starts = dt.datetime.fromisoformat(cohort["starts"]).replace(tzinfo=dt.timezone.utc)
        due_now = max(0, (now - starts).days // 7)
        done = min(len(self.modules), max(0, due_now + self.rng.randint(-4, 2)))
        for i, m in enumerate(self.modules[:done + 1]):
            at = starts + dt.timedelta(days=7 * i + self.rng.randint(0, 8), hours=self.rng.randint(8, 18))
            if at > now:
                break
            self.module(uid, cohort["id"], m, at, complete=i < done, coach=coach)
        for _ in range(140):  # page views and the like: the bulk of a real log
            at = starts + dt.timedelta(minutes=self.rng.randint(0, max(1, int((now - starts).total_seconds() // 60))))
            m = self.rng.choice(self.modules[:max(1, done)])
            self.event(uid, cohort["id"], "experienced", f"{m['id']}/read", min(at, now))

    def module(self, uid, cohort_id, m, at, complete, coach):
        """Reads, a post (sometimes answered by the coach), a plan, completions and their events."""
        self.rows["reads"].append({"user_id": uid, "activity_id": f"{m['id']}/read", "cohort_id": cohort_id,
                                   "at": iso(at)})
        self.event(uid, cohort_id, "experienced", f"{m['id']}/read", at)
        if not complete:
            return
        post = self.comment(self.thread_of[(m["id"], cohort_id)], uid, at + dt.timedelta(hours=1))
        self.event(uid, cohort_id, "commented", f"{m['id']}/roundtable", at + dt.timedelta(hours=1))
        if self.rng.random() < 0.3:
            reply_at = at + dt.timedelta(hours=self.rng.randint(2, 90))
            self.comment(self.thread_of[(m["id"], cohort_id)], coach, reply_at, parent=post)
        if any(a["kind"] == "plan" for a in m["activities"]):
            self.plan(uid, cohort_id, m, at)
        finished = at + dt.timedelta(days=1)
        for aid in [a["id"] for a in m["activities"]] + [m["id"]]:
            self.rows["completions"].append({"user_id": uid, "cohort_id": cohort_id, "activity_id": aid,
                                             "scope": "module" if aid == m["id"] else "activity",
                                             "at": iso(finished)})
        self.event(uid, cohort_id, "completed", m["id"], finished)

    def plan(self, uid, cohort_id, m, at):
        """A plan with its feedback given."""
        sid = len(self.rows["submissions"]) + 1
        self.rows["submissions"].append({
            "id": sid, "activity_id": f"{m['id']}/plan", "user_id": uid, "cohort_id": cohort_id, "kind": "plan",
            "stage": "feedback_given", "created": iso(at), "updated": iso(at), "submitted_at": iso(at),
            "debrief_at": iso(at + dt.timedelta(hours=3))})
        self.rows["feedback"].append({"submission_id": sid, "giver_id": uid, "role": "manager", "kind": "feedback",
                                      "rating": 4, "scale": 5,
                                      "created": iso(at + dt.timedelta(hours=3 + self.rng.randint(1, 120)))})

    def comment(self, thread_id, author, at, parent=None):
        """A comment row; returns its id."""
        cid = self.next_comment
        self.next_comment += 1
        self.rows["comments"].append({"id": cid, "thread_id": thread_id, "parent_id": parent, "author_id": author,
                                      "body_md": "A post.", "body_html": "<p>A post.</p>", "created": iso(at),
                                      "revision": ""})
        return cid

    def event(self, uid, cohort_id, verb, object_id, at):
        """An event row in the shape store/completions.add_statement writes."""
        self.rows["events"].append({
            "timestamp": iso(at), "user_id": uid, "cohort_id": cohort_id,
            "actor": json.dumps({"objectType": "Agent", "name": f"Learner {uid}", "mbox": f"mailto:l{uid}@bench"}),
            "verb": json.dumps({"id": ADL + verb, "display": {"en-US": verb}}),
            "object": json.dumps({"objectType": "Activity", "id": f"https://bench.invalid/xapi/activities/{object_id}"}),
            "result": None, "context": json.dumps({"extensions": {"urn:roundtable:cohort": cohort_id}})})

    def flush(self):
        """Write every collected row in bulk."""
        self.rows["reads"] = list({(r["user_id"], r["activity_id"]): r for r in self.rows["reads"]}.values())
        for table in ("submissions", "feedback", "reads", "comments", "completions", "events"):
            self.db.table(table).insert_all(self.rows[table], batch_size=5000)
        self.db.execute("""UPDATE comments SET reply_count = (SELECT COUNT(*) FROM comments r
                           WHERE r.parent_id = comments.id)""")
        self.db.conn.commit()


def seed(app, args, now):
    """Fill the instance's database; return the number of events."""
    db = connect(app.config["DATABASE"])
    db.execute("PRAGMA synchronous = OFF")  # a throwaway database: no need to wait for the disk
    rng = random.Random(5)
    s = Seeder(db, app.config["BENCH_CATALOG"], args.learners, rng)
    members = s.people()
    s.threads()
    coach_of = {m["cohort_id"]: m["user_id"] for m in members if m["role"] == "coach"}
    cohorts = {c["id"]: c for c in app.config["BENCH_CATALOG"]["programs"][0]["cohorts"]}
    for m in members:
        if m["role"] == "learner":
            s.learner(m["user_id"], cohorts[m["cohort_id"]], coach_of[m["cohort_id"]], now)
    s.flush()
    n = db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    db.close()
    return n


def timed(client, url, runs, before=None):
    """p50 wall and CPU milliseconds of GET url over runs (calling ``before`` ahead of each run).

    CPU time is reported too because a shared machine's load inflates wall time.
    """
    wall, cpu = [], []
    for _ in range(runs):
        if before:
            before()
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return {"wall_p50_ms": round(statistics.median(wall), 1), "cpu_p50_ms": round(statistics.median(cpu), 1)}


def instance(tmp, args, now):
    """An empty instance in the folder ``tmp`` on the bench catalog of ``args``' sizes: (app, catalog)."""
    cat = catalog(args.modules, args.cohorts, (now - dt.timedelta(weeks=args.modules + 6)).date())
    site = os.path.join(tmp, "site")
    os.makedirs(site)
    with open(os.path.join(site, "catalog.json"), "w") as f:
        json.dump(cat, f)
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SITE_DIR": site, "RATELIMIT_ENABLED": False,
                      "CATALOG_CHECK_SECONDS": 3600, "BENCH_CATALOG": cat},
                     instance_path=os.path.join(tmp, "instance"))
    return app, cat


def main():
    """Seed a throwaway instance, time the endpoints, print the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--cohorts", type=int, default=50)
    parser.add_argument("--modules", type=int, default=40)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    now = dt.datetime.now(dt.timezone.utc)
    with tempfile.TemporaryDirectory() as tmp:
        app, cat = instance(tmp, args, now)
        t0 = time.perf_counter()
        events = seed(app, args, now)
        seed_s = round(time.perf_counter() - t0, 1)
        print(json.dumps(measure(app, args, cat, events, seed_s), indent=2))


def measure(app, args, cat, events, seed_s):
    """Time the endpoints and describe the database."""
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["uid"] = 1
    cohort = cat["programs"][0]["cohorts"][len(cat["programs"][0]["cohorts"]) // 2]["id"]
    matrix = f"/api/dashboard/cohorts/{cohort}"
    health = f"/api/dashboard/programs/{PROGRAM}/health"
    db = connect(app.config["DATABASE"])

    def touch():
        """One new event in the cohort: its snapshot must be recomputed."""
        db.execute("INSERT INTO events (timestamp, user_id, cohort_id, actor, verb, object) VALUES "
                   "('2026-01-01T00:00:00.000Z', NULL, ?, '{}', '{}', '{}')", [cohort])
        db.conn.commit()

    t0 = time.perf_counter()
    client.get(health)
    first_health_ms = round((time.perf_counter() - t0) * 1000, 1)
    out = {
        "learners": args.learners, "cohorts": args.cohorts, "modules": args.modules, "events": events,
        "seed_seconds": seed_s, "runs": args.runs,
        "cohort_matrix": timed(client, matrix, args.runs),
        "cohort_matrix_after_a_new_event": timed(client, matrix, args.runs, before=touch),
        "program_health": timed(client, health, args.runs),
        "program_health_after_a_new_event_in_one_cohort": timed(client, health, args.runs, before=touch),
        "program_health_first_ms_all_cohorts_computed": first_health_ms,
        "program_health_first_call_of_the_next_day": next_day(app, client, health),
        "db_bytes": os.path.getsize(app.config["DATABASE"]),
        "load_average": os.getloadavg()[0],
    }
    db.close()
    return out


def next_day(app, client, url, top=10):
    """Move the app's clock on by a day and time the first call (every cohort's snapshot is of yesterday).

    Wall and CPU ms of that one call, and the top functions by own time under cProfile in a
    second day's first call (the profiler slows it; the share is what it shows).
    """
    import cProfile
    import pstats

    from comments_server.domain.clock import FixedClock

    moment = dt.datetime.now(dt.timezone.utc)
    app.extensions["clock"] = FixedClock(moment + dt.timedelta(days=1))
    t0, c0 = time.perf_counter(), time.process_time()
    assert client.get(url).status_code == 200
    out = {"wall_ms": round((time.perf_counter() - t0) * 1000, 1), "cpu_ms": round((time.process_time() - c0) * 1000, 1)}
    app.extensions["clock"] = FixedClock(moment + dt.timedelta(days=2))
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(url)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(row[2] for row in stats.stats.values()) or 1
    out["top_own_time"] = [{"function": f"{os.path.basename(f)}:{line}({name})", "share": round(row[2] / total, 3)}
                           for (f, line, name), row in sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:top]]
    out["summaries_agree_with_the_matrix"] = summaries_agree(app, moment.date() + dt.timedelta(days=2))
    return out


def summaries_agree(app, today):
    """Whether each cohort's summary (worked out from undated counts) equals the summary of its dated snapshot
    (each learner's cells): a check that the fast path gives the same figures, not a timing."""
    from comments_server.dashboard import service
    from comments_server.domain import figures
    from comments_server.store import dashboard as store

    with app.app_context():
        db = connect(app.config["DATABASE"])
        cohorts = store.cohorts_with_programs(db, cohort_ids=[c["id"] for c in app.config["BENCH_CATALOG"]
                                                              ["programs"][0]["cohorts"]])
        same = all(orjson_equal(service.snapshot(db, cohort=c, today=today, part="summary"),
                                figures.summarize(service.snapshot(db, cohort=c, today=today), today=today))
                   for c in cohorts)
        db.close()
    return same


def orjson_equal(a, b):
    """Equal as the API would send them (JSON)."""
    import orjson

    return orjson.dumps(a) == orjson.dumps(b)


if __name__ == "__main__":
    main()
