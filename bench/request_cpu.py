"""CPU per request of the requests a learner's browser makes, for the sizing in docs/deployment.md; prints JSON.

Starts `roundtable serve` as bench/server.py does (same seed: a 200-comment
thread), then runs wrk against each request kind a learner causes: the
notification bell's poll (`GET /api/notifications?limit=0`, every 10 s while a
page is visible), a full 200-comment thread read, the same read answered 304,
and a post. For each: requests/s, p50/p99, and the server's CPU per request,
measured as the utime + stime of the serving process and its workers (from /proc)
over the run, plus one second for the requests wrk left in flight, divided by
the requests wrk counted. CPU time, unlike throughput, hardly depends on what
else the machine is doing.

Usage: python bench/request_cpu.py [--workers 2] [--threads 8] [--seconds 8] [--connections 16]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import requests

from server import LUA, POST_ACTIVITY, READ_ACTIVITY, TEXT, free_port, prepare, sign_in, start_server, wrk

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """utime + stime of a process and its children (the web workers), in seconds."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, rest = stat.read_text().rsplit(")", 1)
        except OSError:
            continue
        fields = rest.split()
        if int(stat.parent.name) == pid or int(fields[1]) == pid:
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICK


def measure(server, url, script, env, connections, seconds):
    """One wrk run with the server's CPU over it."""
    before = cpu_seconds(server.pid)
    result = wrk(url, connections, seconds, script, env)
    time.sleep(1)  # requests wrk abandoned at its end are still served
    used = cpu_seconds(server.pid) - before
    result["cpu_ms_per_request"] = round(1000 * used / max(1, result["requests"]), 3)
    return result


def main():
    """Seed, start the server, measure each request kind, print the JSON report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", default="16")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    root = Path(tempfile.mkdtemp(prefix="roundtable-cpu-"))
    try:
        print(json.dumps(run(root, args), indent=2))
    finally:
        shutil.rmtree(root, ignore_errors=True)


def run(root, args):
    """Every request kind at each connection count against one fresh server."""
    _, token = prepare(root)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(root, port, args.workers, args.threads,
                          {"ROUNDTABLE_NOTIFY_EMBEDDED_WORKER": "false"})  # the worker runs elsewhere
    try:
        cookie, csrf, http = sign_in(base, token)
        read_url = f"{base}/api/activities/{READ_ACTIVITY}/thread?limit=200"
        first = http.get(read_url)
        assert len(first.json()["comments"]) == 200, first.text[:300]
        post_thread = http.get(f"{base}/api/activities/{POST_ACTIVITY}/thread").json()["thread"]
        bell_url = f"{base}/api/notifications?limit=0"
        assert requests.get(bell_url, headers={"Cookie": cookie}).status_code == 200
        script = root / "bench.lua"
        script.write_text(LUA)
        env = {"BENCH_COOKIE": cookie, "BENCH_CSRF": csrf, "BENCH_ETAG": "", "BENCH_METHOD": "GET",
               "BENCH_BODY": json.dumps({"body": TEXT})}
        wrk(read_url, 16, 2, script, env)  # warm-up
        kinds = {
            "bell_poll": (bell_url, env),
            "thread_read_200": (read_url, env),
            "thread_read_304": (read_url, {**env, "BENCH_ETAG": first.headers["ETag"]}),
            "post": (f"{base}/api/threads/{post_thread['id']}/comments", {**env, "BENCH_METHOD": "POST"}),
        }
        report = {"server": f"roundtable serve, {args.workers} workers x {args.threads} threads, SQLite",
                  "machine_cpus": os.cpu_count(), "load_average_before": os.getloadavg()[0],
                  "seconds_per_run": args.seconds}
        for name, (url, kind_env) in kinds.items():
            report[name] = [measure(server, url, script, kind_env, int(c), args.seconds)
                            for c in args.connections.split(",")]
        report["load_average_after"] = os.getloadavg()[0]
        return report
    finally:
        server.terminate()
        server.wait(timeout=15)


if __name__ == "__main__":
    main()
