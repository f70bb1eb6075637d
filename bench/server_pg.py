"""`bench/server.py --database postgresql --servers N`: SQLite's one server next to N servers on PostgreSQL.

Both set-ups get the same seed (bench/server.py's ``prepare``: a 200-comment
thread to read, another to post to) and the same wrk runs: thread read and
post at each connection count. With N servers the connections are split
evenly and N wrk processes run at once, one per server (what a load balancer
would do); requests and requests/s are summed, p50 and p99 are the worst of
the N. CPU per request is the utime + stime of every app server's process tree
(bench/request_cpu.py's ``cpu_seconds``) over the run divided by the requests;
PostgreSQL's own CPU (the postmaster and its backends) is reported apart.
Memory: the peak RSS of each server's tree, and per process (master and
workers). PostgreSQL is a throwaway 15 cluster (tests/support/postgres.py)
whose bench database keeps ``synchronous_commit`` on, as in production.
"""

from __future__ import annotations

import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from request_cpu import cpu_seconds
from server import LUA, POST_ACTIVITY, READ_ACTIVITY, TEXT, MemorySampler, free_port, prepare, sign_in, \
    start_server, wrk

SECRET = "bench-secret-shared-by-every-server"


def side_by_side(root, args):
    """The SQLite single server, then N servers on PostgreSQL; one report."""
    (root / "sqlite").mkdir()
    report = {"machine_cpus": os.cpu_count(), "seconds_per_run": args.seconds,
              "server": f"roundtable serve (granian), {args.workers} workers x {args.threads} threads each",
              "sqlite_1_server": measure_servers(root / "sqlite", args, servers=1)}
    sys.path.append(str(Path(__file__).resolve().parents[1] / "tests"))
    from support.live import free_port as port_for_postgres
    from support.postgres import Cluster

    cluster = Cluster(port_for_postgres()).start()
    try:
        cluster.admin("CREATE DATABASE bench")
        # the test cluster trades durability for speed; the bench's database commits as production does
        # (a commit waits for its WAL: no acknowledged write can be lost), only the disk flush stays off
        cluster.admin("ALTER DATABASE bench SET synchronous_commit = on")
        (root / "postgresql").mkdir()
        postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])
        report[f"postgresql_{args.servers}_servers"] = measure_servers(
            root / "postgresql", args, servers=args.servers, database=cluster.url("bench"), postmaster=postmaster)
    finally:
        cluster.stop()
    return report


def measure_servers(root, args, *, servers, database="", postmaster=None):
    """Seed, start ``servers`` app servers on ``database`` (empty: SQLite), run every scenario, stop them."""
    config = {"DATABASE_URL": database, "SECRET_KEY": SECRET} if database else {}
    _, token = prepare(root, **config)
    env = {"ROUNDTABLE_NOTIFY_EMBEDDED_WORKER": "false"}
    if database:
        env.update({"ROUNDTABLE_DATABASE_URL": database, "ROUNDTABLE_SECRET_KEY": SECRET})
    ports = [free_port() for _ in range(servers)]
    processes = [start_server(root, port, args.workers, args.threads, env, instance=f"instance-{n}" if n else
                              "instance") for n, port in enumerate(ports)]
    samplers = [MemorySampler(p.pid) for p in processes]
    for sampler in samplers:
        sampler.start()
    try:
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        cookie, csrf, http = sign_in(bases[0], token)  # one session, good on every server
        first = http.get(f"{bases[-1]}/api/activities/{READ_ACTIVITY}/thread?limit=200")
        assert len(first.json()["comments"]) == 200, first.text[:300]
        post_thread = http.get(f"{bases[0]}/api/activities/{POST_ACTIVITY}/thread").json()["thread"]
        script = root / "bench.lua"
        script.write_text(LUA)
        env = {"BENCH_COOKIE": cookie, "BENCH_CSRF": csrf, "BENCH_ETAG": "", "BENCH_BODY": json.dumps({"body": TEXT})}
        kinds = {"read": (f"/api/activities/{READ_ACTIVITY}/thread?limit=200", "GET"),
                 "post": (f"/api/threads/{post_thread['id']}/comments", "POST")}
        trees = [p.pid for p in processes]
        run_all(bases, kinds["read"][0], 2 * servers, 2, script, {**env, "BENCH_METHOD": "GET"})  # warm-up
        report = {"servers": servers, "database": "postgresql" if database else "sqlite"}
        for name, (path, method) in kinds.items():
            report[name] = []
            for connections in [int(c) for c in args.connections.split(",")]:
                before = sum(cpu_seconds(pid) for pid in trees)
                db_before = cpu_seconds(postmaster) if postmaster else 0
                result = run_all(bases, path, connections, args.seconds, script, {**env, "BENCH_METHOD": method})
                time.sleep(1)  # requests wrk left in flight are still served
                used = sum(cpu_seconds(pid) for pid in trees) - before
                result["app_cpu_ms_per_request"] = round(1000 * used / max(1, result["requests"]), 3)
                if postmaster:
                    result["postgresql_cpu_ms_per_request"] = round(
                        1000 * (cpu_seconds(postmaster) - db_before) / max(1, result["requests"]), 3)
                report[name].append(result)
        report["writes"] = _nothing_lost_or_doubled(http, bases[-1], report["post"])
    finally:
        for sampler in samplers:
            sampler.running = False
        for process in processes:
            process.terminate()
            process.wait(timeout=15)
    report["peak_rss_mb_per_server"] = [round(s.peak / 1024, 1) for s in samplers]
    report["peak_rss_mb_per_process"] = round(max(s.peak for s in samplers) / 1024 / (args.workers + 1), 1)
    return report


def _nothing_lost_or_doubled(http, base, posts):
    """Compare the posts stored (counted through another server than the sign-in's) with the 2xx answers.

    A post in flight when wrk stops is stored unacknowledged, so up to one per connection more may be stored;
    fewer than acknowledged is a lost write, more than that margin a doubled one.
    """
    counts = http.get(f"{base}/api/threads/counts?activities={POST_ACTIVITY}").json()["counts"]
    stored = counts[POST_ACTIVITY]["comments"]
    acknowledged = sum(r["requests"] - r["errors"] for r in posts)
    in_flight = sum(r["connections"] for r in posts)
    return {"acknowledged_2xx": acknowledged, "stored": stored, "lost": max(0, acknowledged - stored),
            "ok": acknowledged <= stored <= acknowledged + in_flight}


def run_all(bases, path, connections, seconds, script, env):
    """One wrk per server at once, the connections split evenly; merged as one result."""
    share = max(1, connections // len(bases))
    with ThreadPoolExecutor(len(bases)) as pool:
        results = list(pool.map(lambda base: wrk(base + path, share, seconds, script, env), bases))
    return {
        "connections": share * len(bases),
        "requests": sum(r["requests"] for r in results),
        "requests_per_s": round(sum(r["requests_per_s"] for r in results), 1),
        "p50_ms": max(r["p50_ms"] for r in results), "p99_ms": max(r["p99_ms"] for r in results),
        "errors": sum(r["errors"] for r in results),
    }
