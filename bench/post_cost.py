"""What posting one comment costs: SQL statements and cross-room calls, printed as JSON.

Builds a one-cohort app on a temporary SQLite file, fills one roundtable
thread with 200 comments through the HTTP API (learners' posts, questions,
a coach's replies), then measures ONE more top-level post by a learner
(POST /api/threads/<id>/comments through Flask's test client):

- ``statements``: every SQL statement the request's connection ran
  (``conn.set_trace_callback``), of them ``in_write`` between BEGIN and COMMIT;
  ``sql_statements`` leaves out sqlite-utils' SAVEPOINT/RELEASE pairs around
  each query and the statements SQLite reports for trigger bodies (the same
  text again) and pragmas: the statements the code itself issues;
- ``cross_room_calls``: Python calls whose caller and callee live in different
  rooms of ``comments_server`` (store, notify, access, actions, domain, web,
  dashboard), counted with ``sys.setprofile`` and broken down per pair
  ("store->notify": 3). Calls into the rooms' own helpers count once per call,
  comprehension frames are skipped; the request plumbing (flask, werkzeug) is
  not a room and does not count. ``store<->notify|access`` is the figure issue
  13 quotes.

- ``timed`` (``--posts N``, default 100): N more learner posts (a mention of the coach in every
  fourth) timed: wall and CPU ms per post, ms per post with the write lock held (BEGIN to COMMIT,
  every write transaction on every connection the app opened, the rate limiter's included) and the
  write transactions per post; then N more under cProfile for the top functions by own time
  (``--top``), each with its share of the profiled time.

Usage: python bench/post_cost.py [--posts 100] [--top 12]
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import json
import pstats
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from comments_server import create_app  # noqa: E402
from comments_server.store import db as db_module  # noqa: E402
from comments_server.store import tokens, users  # noqa: E402
from comments_server.store.db import connect, pooled, write_transaction  # noqa: E402

ACTIVITY = "bench/post-module/roundtable"
ROOMS = ("store", "notify", "access", "actions", "domain", "web", "dashboard")
TEXT = ("I tried the **opening question** from this module with a difficult account this week. "
        "It worked better than expected; next time I will ask about budget owners earlier.")


def catalog():
    """Return a one-program catalog with one roundtable module."""
    mid = "bench/post-module"
    return {"schema_version": 1, "programs": [{
        "id": "bench", "title": "Bench", "audience": "", "description": "", "url": "bench/", "order": 1,
        "modules": [{"id": mid, "slug": "post-module", "title": "Post module", "order": 1,
                     "url": "bench/post-module/", "src_path": "bench/post-module.md", "due_days": 7,
                     "summary": "", "authors": [], "content_hash": "sha256:" + "b" * 64,
                     "completion": "all", "activities": [
                         {"id": ACTIVITY, "key": "roundtable", "kind": "roundtable", "order": 1,
                          "prompt": "How would you open the call?", "options": {}}]}],
        "cohorts": [{"id": "bench-1", "title": "", "starts": "2027-01-11", "pace": "weekly"}]}]}


def build(root):
    """Return (app, {email: signed-in test client with its CSRF token})."""
    site = root / "site"
    site.mkdir()
    (site / "catalog.json").write_text(json.dumps(catalog()))
    (site / "index.html").write_text("bench")
    app = create_app({"TESTING": True, "SITE_DIR": str(site), "RATELIMIT_WRITES": "1000000/minute",
                      "RATELIMIT_SIGNIN": "1000000/minute", "CATALOG_CHECK_SECONDS": 0},
                     instance_path=str(root / "instance"))
    db = connect(app.config["DATABASE"])
    emails = [f"learner{i}@example.com" for i in range(8)] + ["coach@example.com"]
    with write_transaction(db):
        for email in emails:
            person = users.upsert_user(db, email=email, name=email.split("@")[0].title())
            users.set_membership(db, user_id=person["id"], cohort_id="bench-1",
                                 role="coach" if email.startswith("coach") else "learner")
        links = {email: tokens.add_token(db, user_id=users.get_user(db, email=email)["id"], minutes=60)
                 for email in emails}
    db.close()
    clients = {}
    for email, token in links.items():
        client = app.test_client()
        csrf = client.get("/api/session").json["csrf_token"]
        csrf = client.post("/api/auth/redeem", json={"token": token},
                           headers={"X-CSRF-Token": csrf}).json["csrf_token"]
        clients[email] = (client, csrf)
    return app, clients


def post(clients, email, thread_id, body):
    """POST one comment as ``email``; return the response."""
    client, csrf = clients[email]
    response = client.post(f"/api/threads/{thread_id}/comments", json=body, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 201, response.json
    return response


def fill(clients, thread_id):
    """Post 200 comments: learners' posts, questions and a coach reply to every fourth."""
    learners = [e for e in clients if e.startswith("learner")]
    parent = None
    for i in range(200):
        coach = i % 4 == 3
        email = "coach@example.com" if coach else learners[i % len(learners)]
        body = {"body": f"{i}: {TEXT}"}
        if coach and parent:
            body["parent_id"] = parent
        elif i % 8 == 1:
            body["question"] = True
        parent = post(clients, email, thread_id, body).json["comment"]["id"]


def room(filename):
    """Return the room of a source file of comments_server, or None."""
    parts = Path(filename).parts
    if "comments_server" not in parts:
        return None
    rest = parts[parts.index("comments_server") + 1:]
    return rest[0] if rest and rest[0] in ROOMS else None


def measure(app, clients, thread_id):
    """Measure one learner post; return the figures."""
    db = pooled(app.config["DATABASE"])  # the test client's requests run in this thread
    statements, in_write = [], [False, 0]

    def trace(sql):
        statements.append(sql)
        head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
        if head == "BEGIN":
            in_write[0] = True
        if in_write[0]:
            in_write[1] += 1
        if head in ("COMMIT", "ROLLBACK"):
            in_write[0] = False

    pairs = collections.Counter()

    def profile(frame, event, arg):
        if event != "call" or frame.f_code.co_name.startswith("<"):
            return
        callee = room(frame.f_code.co_filename)
        caller_frame = frame.f_back
        while caller_frame is not None and caller_frame.f_code.co_name.startswith("<"):
            caller_frame = caller_frame.f_back  # a comprehension or lambda speaks for its function
        caller = room(caller_frame.f_code.co_filename) if caller_frame else None
        if callee and caller and callee != caller:
            pairs[f"{caller}->{callee}"] += 1

    db.conn.set_trace_callback(trace)
    sys.setprofile(profile)
    try:
        post(clients, "learner1@example.com", thread_id, {"body": f"One more: {TEXT}"})
    finally:
        sys.setprofile(None)
        db.conn.set_trace_callback(None)
    store_pairs = {k: v for k, v in pairs.items() if "store" in k.split("->")
                   and set(k.split("->")) & {"notify", "access"}}
    own = [sql for sql in statements if sql.split(None, 1)[0].upper() not in ("SAVEPOINT", "RELEASE", "--")]
    own = [sql for i, sql in enumerate(own) if i == 0 or sql != own[i - 1] or sql.startswith("SELECT")]
    return {
        "statements": len(statements),
        "sql_statements": len(own),
        "sql_statements_in_write": _in_write(own),
        "statements_in_write_transaction": in_write[1],
        "selects": sum(1 for s in statements if s.lstrip().upper().startswith("SELECT")),
        "cross_room_calls": sum(pairs.values()),
        "store_notify_access_calls": sum(store_pairs.values()),
        "notify_to_store_calls": pairs.get("notify->store", 0),
        "pairs": dict(sorted(pairs.items())),
    }


def _in_write(statements):
    """Count the statements from BEGIN to COMMIT, both included."""
    count, inside = 0, False
    for sql in statements:
        head = sql.split(None, 1)[0].upper()
        inside = inside or head == "BEGIN"
        count += inside
        inside = inside and head not in ("COMMIT", "ROLLBACK")
    return count


OPENED = []  # every SQLite connection the app opens (the request's, the rate limiter's): see main()


def _posts(clients, thread_id, posts, start):
    """Post ``posts`` learner comments (a mention of the coach in every fourth)."""
    learners = [e for e in clients if e.startswith("learner")]
    for i in range(start, start + posts):
        body = {"body": f"{i}: {TEXT}" + (" Thanks @Coach" if i % 4 == 0 else "")}
        post(clients, learners[i % len(learners)], thread_id, body)


def timed(app, clients, thread_id, posts, top):
    """Time ``posts`` learner posts (CPU, wall, write lock held on every connection), then profile as many more."""
    held, begun, transactions = [0.0], {}, [0]

    def trace(conn):
        def on(sql):
            head = sql.lstrip()[:6].upper()
            if head.startswith("BEGIN"):
                begun[conn] = time.perf_counter()
                transactions[0] += 1
            elif head.startswith(("COMMIT", "ROLLBA")) and conn in begun:
                held[0] += time.perf_counter() - begun.pop(conn)
        return on

    conns = []
    for conn in (db.conn for db in OPENED):
        try:
            conn.set_trace_callback(trace(id(conn)))
            conns.append(conn)
        except sqlite3.ProgrammingError:  # closed (build()'s own, the migrations')
            pass
    started = time.perf_counter(), time.process_time()
    try:
        _posts(clients, thread_id, posts, 0)
    finally:
        for conn in conns:
            conn.set_trace_callback(None)
    wall, cpu = time.perf_counter() - started[0], time.process_time() - started[1]
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        _posts(clients, thread_id, posts, posts)
    finally:
        profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(row[2] for row in stats.stats.values()) or 1
    best = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:top]
    return {
        "posts": posts,
        "wall_ms_per_post": round(1000 * wall / posts, 2),
        "cpu_ms_per_post": round(1000 * cpu / posts, 2),
        "write_lock_ms_per_post": round(1000 * held[0] / posts, 3),
        "write_transactions_per_post": round(transactions[0] / posts, 2),
        "top_own_time": [{"function": f"{Path(f).name}:{line}({name})", "share": round(row[2] / total, 3)}
                         for (f, line, name), row in best],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100, help="posts timed and profiled after the counted one")
    parser.add_argument("--top", type=int, default=12, help="functions listed by own time")
    args = parser.parse_args()
    opened = db_module._connect_sqlite
    # every connection counts (the rate limiter keeps its own): remember each one the app opens
    db_module._connect_sqlite = lambda path, **options: OPENED.append(opened(path, **options)) or OPENED[-1]
    with tempfile.TemporaryDirectory() as tmp:
        app, clients = build(Path(tmp))
        client, _ = clients["learner0@example.com"]
        thread_id = client.get(f"/api/activities/{ACTIVITY}/thread").json["thread"]["id"]
        if thread_id is None:  # a thread nobody posted to yet reads as not stored: the first post makes it
            thread_id = client.get(f"/api/activities/{ACTIVITY}/thread").json["thread"]["id"]
        fill(clients, thread_id)
        figures = measure(app, clients, thread_id)
        figures["thread_comments_before_post"] = 200
        if args.posts:
            figures["timed"] = timed(app, clients, thread_id, args.posts, args.top)
        print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
