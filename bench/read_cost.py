"""Where a read of a 200-comment thread spends its time, in the process: ms per read and top functions; JSON.

Builds bench/server.py's data (a 200-comment roundtable thread, 8 learners, a coach),
signs a learner in with Flask's test client and reads the thread --reads times
(GET /api/activities/<id>/thread?limit=200), then as often with If-None-Match (the
304 path), and as often a static file of the same app (/static/api.js) for the floor.
CPU ms per request of each (process time, so that a busy machine counts less), then
the read and the 304 again under cProfile: the top functions by own time with their share.

Usage: python bench/read_cost.py [--reads 300] [--top 12]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import server as rt_bench  # noqa: E402


def profiled(client, url, reads, top, headers=None):
    """Request ``url`` ``reads`` times under cProfile; return ms per request and the top own-time functions."""
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(reads):
        response = client.get(url, headers=headers or {})
    profiler.disable()
    wall = time.perf_counter() - started
    stats = pstats.Stats(profiler)
    total = sum(row[2] for row in stats.stats.values()) or 1
    best = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:top]
    return {"status": response.status_code, "ms_per_request_profiled": round(1000 * wall / reads, 3),
            "top_own_time": [{"function": f"{Path(f).name}:{line}({name})", "share": round(row[2] / total, 3)}
                             for (f, line, name), row in best]}


def timed(client, url, reads, headers=None):
    """Request ``url`` ``reads`` times; return CPU ms per request (no profiler; CPU, not wall: a busy machine)."""
    started = time.process_time()
    for _ in range(reads):
        client.get(url, headers=headers or {})
    return round(1000 * (time.process_time() - started) / reads, 3)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=300)
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="roundtable-read-cost-"))
    try:
        app, token = rt_bench.prepare(root)
        app.config["RATELIMIT_SIGNIN"] = "1000000/minute"
        client = app.test_client()
        csrf = client.get("/api/session").json["csrf_token"]
        assert client.post("/api/auth/redeem", json={"token": token},
                           headers={"X-CSRF-Token": csrf}).status_code == 200
        url = f"/api/activities/{rt_bench.READ_ACTIVITY}/thread?limit=200"
        first = client.get(url)
        assert len(first.json["comments"]) == 200
        etag = {"If-None-Match": first.headers["ETag"]}
        report = {"reads": args.reads, "response_bytes": len(first.data),
                  "cpu_ms_per_read": timed(client, url, args.reads),
                  "cpu_ms_per_304": timed(client, url, args.reads, etag),
                  "cpu_ms_per_static_file": timed(client, "/static/api.js", args.reads),
                  "read": profiled(client, url, args.reads, args.top),
                  "read_304": profiled(client, url, args.reads, args.top, etag)}
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
