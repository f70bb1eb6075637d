"""How `roundtable serve` spreads a load over its workers, and CPU per request by threads per worker; prints JSON.

For each shape (workers x threads) it starts `roundtable serve` on a 200-comment thread
(bench/server.py's data), warms up, then runs wrk --runs times at --connections
connections, each run with new connections (as new visitors come), reading the thread.
Per run: requests/s, p99, CPU ms per request (all the server's processes), each web
worker's CPU seconds and the largest worker's share of them (1/workers is even; 1.0 is
one worker doing everything). The summary per shape: the median CPU ms per request,
the worst share, and the runs in which some worker did less than a tenth of its even share.

Before/after comparisons of code: run the servers from another checkout with
PYTHONPATH=/path/to/checkout (the `roundtable` command then imports that code).

Usage: python bench/spread.py [--shapes 2x1,2x2,2x4] [--runs 6] [--seconds 4] [--connections 64]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import machine  # noqa: E402
import server as rt_bench  # noqa: E402  bench/server.py: data, serve, sign-in, wrk


def web_workers(master):
    """Return the web workers of a `roundtable serve` (not its outbox worker)."""
    return [p for p in machine.children(master) if "--parent-pid" not in machine.cmdline(p)]


def one_run(url, connections, seconds, script, env, master):
    """Run wrk once; return its figures with the CPU each web worker used during it."""
    workers = web_workers(master)
    every = [master, *machine.children(master)]
    before = {p: machine.process_ticks(p) for p in every}
    result = rt_bench.wrk(url, connections, seconds, script, env)
    used = {p: (machine.process_ticks(p) - before[p]) / machine.HZ for p in every}
    per_worker = [used[p] for p in workers]
    total = sum(per_worker) or 1e-9
    return {
        "requests_per_s": result["requests_per_s"], "p99_ms": result["p99_ms"], "errors": result["errors"],
        "cpu_ms_per_request": round(1000 * sum(used.values()) / max(result["requests"], 1), 2),
        "worker_cpu_s": [round(c, 2) for c in per_worker],
        "largest_worker_share": round(max(per_worker) / total, 2),
    }


def stop(process):
    """Stop a server: TERM, then KILL if it has not gone within 30 s (a loaded machine drains slowly)."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def measure_shape(root, token, workers, threads, args, script):
    """Start a server in one shape and run the loads; return the runs and their summary."""
    port = rt_bench.free_port()
    base = f"http://127.0.0.1:{port}"
    process = rt_bench.start_server(root, port, workers, threads)
    try:
        if "cookie" not in token:  # the link signs in once; the session (in the database) serves every shape
            token["cookie"], token["csrf"], _ = rt_bench.sign_in(base, token["link"])
        cookie, csrf = token["cookie"], token["csrf"]
        url = f"{base}/api/activities/{rt_bench.READ_ACTIVITY}/thread?limit=200"
        env = {"BENCH_COOKIE": cookie, "BENCH_CSRF": csrf, "BENCH_ETAG": "", "BENCH_BODY": "",
               "BENCH_METHOD": "GET"}
        rt_bench.wrk(url, args.connections, 2, script, env)  # warm-up: caches, pooled connections
        runs = []
        for _ in range(args.runs):
            runs.append(one_run(url, args.connections, args.seconds, script, env, process.pid))
            time.sleep(0.5)
    finally:
        stop(process)
    even = 1 / workers
    return {
        "workers": workers, "threads": threads, "runs": runs,
        "median_cpu_ms_per_request": statistics.median(r["cpu_ms_per_request"] for r in runs),
        "median_requests_per_s": statistics.median(r["requests_per_s"] for r in runs),
        "median_p99_ms": statistics.median(r["p99_ms"] for r in runs),
        "worst_largest_worker_share": max(r["largest_worker_share"] for r in runs),
        "runs_with_an_idle_worker": sum(1 for r in runs if workers > 1 and
                                        min(r["worker_cpu_s"]) < 0.1 * even * sum(r["worker_cpu_s"])),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", default="2x1,2x2,2x4", help="workers x threads, comma-separated")
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    root = Path(tempfile.mkdtemp(prefix="roundtable-spread-"))
    try:
        _, link = rt_bench.prepare(root)
        token = {"link": link}
        script = root / "bench.lua"
        script.write_text(rt_bench.LUA)
        load_before = os.getloadavg()[0]
        shapes = {}
        for item in args.shapes.split(","):
            workers, threads = (int(n) for n in item.split("x"))
            shapes[item] = measure_shape(root, token, workers, threads, args, script)
        report = {"code": os.environ.get("PYTHONPATH") or str(HERE.parent), "machine_cpus": os.cpu_count(),
                  "connections": args.connections, "seconds_per_run": args.seconds,
                  "load_average_before": load_before, "load_average_after": os.getloadavg()[0], "shapes": shapes}
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
