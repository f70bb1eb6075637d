"""Load the real server (granian, several workers, a real SQLite file) and print JSON.

Reads: GET of one roundtable thread holding 200 comments (all on one page, limit=200).
Posts: POST of new comments to another thread. Each at 16 and 64 concurrent
connections, driven by wrk (a Lua script signs the requests with the session
cookie and CSRF token). Peak memory is the summed RSS of the serving process
and workers, sampled every 50 ms.

Usage: python bench/server.py [--workers 4] [--threads 4] [--seconds 8] [--connections 16,64]
       python bench/server.py --database postgresql --servers 2 [...]   (bench/server_pg.py: the SQLite
       single server and N servers on one throwaway PostgreSQL, side by side, with CPU per request)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from comments_server import create_app  # noqa: E402
from comments_server.actions.comments import post_comment  # noqa: E402
from comments_server.store import threads, tokens, users  # noqa: E402
from comments_server.store.db import connect, write_transaction  # noqa: E402

READ_ACTIVITY = "bench/thread-module/roundtable"
POST_ACTIVITY = "bench/post-module/roundtable"
TEXT = ("I tried the **opening question** from this module with a difficult account this week. "
        "It worked better than expected: they talked for ten minutes about what *actually* blocks "
        "them, and I learned more than in the last three calls. Next time I will ask about budget "
        "owners earlier. [notes](https://example.com/notes)")

LUA = r"""
local cookie = os.getenv("BENCH_COOKIE")
local csrf = os.getenv("BENCH_CSRF")
wrk.method = os.getenv("BENCH_METHOD")
wrk.headers["Cookie"] = cookie
if os.getenv("BENCH_ETAG") ~= "" then wrk.headers["If-None-Match"] = os.getenv("BENCH_ETAG") end
if wrk.method == "POST" then
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-CSRF-Token"] = csrf
  wrk.body = os.getenv("BENCH_BODY")
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "socket_errors": %d, "non_2xx_3xx": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""


def catalog(slugs=("thread-module", "post-module")):
    """Return a one-program catalog with one roundtable module per slug (default: one to read, one to post to)."""
    def module(slug, order):
        mid = f"bench/{slug}"
        return {"id": mid, "slug": slug, "title": slug, "order": order, "url": f"bench/{slug}/",
                "src_path": f"bench/{slug}.md", "due_days": 7, "summary": "", "authors": [],
                "content_hash": "sha256:" + "b" * 64, "completion": "all", "activities": [
                    {"id": f"{mid}/roundtable", "key": "roundtable", "kind": "roundtable",
                     "order": 1, "prompt": "How would you open the call?", "options": {}}]}
    return {"schema_version": 1, "programs": [{
        "id": "bench", "title": "Bench", "audience": "", "description": "", "url": "bench/",
        "order": 1, "modules": [module(slug, i) for i, slug in enumerate(slugs, 1)],
        "cohorts": [{"id": "bench-1", "title": "", "starts": "2027-01-11", "pace": "weekly"}]}]}


def prepare(root, **config):
    """Write the site and instance, add people, and fill the read thread with 200 comments."""
    site = root / "site"
    site.mkdir()
    (site / "catalog.json").write_text(json.dumps(catalog()))
    (site / "index.html").write_text("bench")
    app = create_app({"SITE_DIR": str(site), **config}, instance_path=str(root / "instance"))
    db = connect(app.config["DATABASE"])
    with write_transaction(db):
        people = [users.upsert_user(db, email=f"learner{i}@example.com", name=f"Learner {i}")
                  for i in range(8)]
        coach = users.upsert_user(db, email="coach@example.com", name="Coach Carter")
        for person in people:
            users.set_membership(db, user_id=person["id"], cohort_id="bench-1", role="learner")
        users.set_membership(db, user_id=coach["id"], cohort_id="bench-1", role="coach")
    with app.app_context():  # comments.add records completions, whose xAPI ids read the config
        fill_thread(db, [users.get_user(db, user_id=p["id"]) for p in people],
                    users.get_user(db, user_id=coach["id"]))
    with write_transaction(db):
        token = tokens.add_token(db, user_id=people[0]["id"], minutes=60)
    db.close()
    return app, token


def fill_thread(db, learners, coach, *, activity_id=READ_ACTIVITY, count=200):
    """Post ``count`` comments: learners' posts, questions and a coach reply to every fourth."""
    thread_ref = threads.roundtable(db, activity_id=activity_id, cohort_id="bench-1")["id"]
    parent = None
    for i in range(count):
        author = coach if i % 4 == 3 else learners[i % len(learners)]
        row, thread, _ = post_comment(db, viewer=author, thread_ref=thread_ref, body_md=f"{i}: {TEXT}",
                                      parent_id=parent if author is coach else None,
                                      question=i % 8 == 1 and author is not coach)
        thread_ref, parent = thread["id"], row["id"]


def free_port():
    """Return a free local port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(root, port, workers, threads_per_worker, extra_env=None, instance="instance"):
    """Start `roundtable serve` with raised rate limits and wait until it answers (log: root/serve.log, or
    root/INSTANCE.log for another instance folder)."""
    env = {**os.environ, **(extra_env or {}), "ROUNDTABLE_INSTANCE_PATH": str(root / instance),
           "ROUNDTABLE_SITE_DIR": str(root / "site"),
           "ROUNDTABLE_RATELIMIT_WRITES": "1000000/minute",
           "ROUNDTABLE_RATELIMIT_SIGNIN": "1000000/minute"}
    command = [str(Path(sys.executable).with_name("roundtable")), "serve", "--port", str(port),
               "--workers", str(workers), "--threads", str(threads_per_worker), "--quiet"]
    log = root / ("serve.log" if instance == "instance" else f"{instance}.log")
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=open(log, "w"))
    for _ in range(300):
        try:
            requests.get(f"http://127.0.0.1:{port}/api/session", timeout=1)
            return process
        except requests.ConnectionError:
            if process.poll() is not None:
                sys.exit(log.read_text())
            time.sleep(0.1)
    sys.exit("the server did not start")


class MemorySampler(threading.Thread):
    """Sample the summed RSS of a process and its children; keep the peak."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0, True

    @staticmethod
    def _rss_kb(pid):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def _children(self):
        kids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.pid:
                kids.append(int(stat.parent.name))
        return kids

    def run(self):
        while self.running:
            total = sum(self._rss_kb(p) for p in [self.pid, *self._children()])
            self.peak = max(self.peak, total)
            time.sleep(0.05)


def sign_in(base, token):
    """Redeem the token; return (cookie header, csrf token)."""
    http = requests.Session()
    csrf = http.get(base + "/api/session").json()["csrf_token"]
    body = http.post(base + "/api/auth/redeem", json={"token": token},
                     headers={"X-CSRF-Token": csrf}).json()
    cookie = "; ".join(f"{c.name}={c.value}" for c in http.cookies)
    return cookie, body["csrf_token"], http


def wrk(url, connections, seconds, script, env):
    """Run wrk and return its JSON summary with requests/s and ms latencies."""
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
               "-s", str(script), url]
    out = subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True,
                         check=True).stdout
    raw = json.loads(out.strip().splitlines()[-1])
    return {
        "connections": connections,
        "requests": raw["requests"],
        "requests_per_s": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": round(raw["p50_us"] / 1000, 2), "p90_ms": round(raw["p90_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2), "max_ms": round(raw["max_us"] / 1000, 2),
        "errors": raw["socket_errors"] + raw["non_2xx_3xx"],
    }


def main():
    """Prepare, start the server, run the loads and print the JSON report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", default="16,64")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite",
                        help="postgresql: also N servers on one throwaway PostgreSQL, next to SQLite's one server")
    parser.add_argument("--servers", type=int, default=2, help="app servers on PostgreSQL")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    root = Path(tempfile.mkdtemp(prefix="roundtable-bench-"))
    try:
        if args.database == "postgresql":
            from server_pg import side_by_side

            report = side_by_side(root, args)
        else:
            report = run(root, args)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(json.dumps(report, indent=2))


def run(root, args):
    """Run every scenario against a fresh server and return the report."""
    _, token = prepare(root)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(root, port, args.workers, args.threads)
    sampler = MemorySampler(server.pid)
    sampler.start()
    try:
        cookie, csrf, http = sign_in(base, token)
        read_url = f"{base}/api/activities/{READ_ACTIVITY}/thread?limit=200"
        first = http.get(read_url)
        assert len(first.json()["comments"]) == 200, first.text[:300]
        post_thread = http.get(f"{base}/api/activities/{POST_ACTIVITY}/thread").json()["thread"]
        script = root / "bench.lua"
        script.write_text(LUA)
        env = {"BENCH_COOKIE": cookie, "BENCH_CSRF": csrf, "BENCH_ETAG": "",
               "BENCH_BODY": json.dumps({"body": TEXT})}
        connections = [int(c) for c in args.connections.split(",")]
        wrk(read_url, 16, 2, script, {**env, "BENCH_METHOD": "GET"})  # warm-up
        report = scenarios(base, read_url, post_thread, first, script, env, connections, args)
    finally:
        sampler.running = False
        server.terminate()
        server.wait(timeout=15)
    report["server_peak_rss_mb"] = round(sampler.peak / 1024, 1)
    log = (root / "serve.log").read_text().splitlines()
    report["server_log_errors"] = [
        line for line in log if "[ERROR]" in line or "Traceback" in line or "locked" in line][-5:]
    report["load_average_after"] = os.getloadavg()[0]
    return report


def scenarios(base, read_url, post_thread, first, script, env, connections, args):
    """Run reads, conditional reads and posts at each connection count."""
    post_url = f"{base}/api/threads/{post_thread['id']}/comments"
    report = {
        "server": f"roundtable serve (granian), {args.workers} workers x {args.threads} threads",
        "machine_cpus": os.cpu_count(), "load_average_before": os.getloadavg()[0],
        "thread_comments": 200,
        "read_response_bytes": len(first.content), "seconds_per_run": args.seconds,
        "read": [], "read_304": [], "post": [],
    }
    for c in connections:
        report["read"].append(wrk(read_url, c, args.seconds, script, {**env, "BENCH_METHOD": "GET"}))
    etag_env = {**env, "BENCH_METHOD": "GET", "BENCH_ETAG": first.headers["ETag"]}
    for c in connections:
        report["read_304"].append(wrk(read_url, c, args.seconds, script, etag_env))
    for c in connections:
        report["post"].append(wrk(post_url, c, args.seconds, script, {**env, "BENCH_METHOD": "POST"}))
    return report


if __name__ == "__main__":
    main()
