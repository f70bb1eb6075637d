"""Roundtable side by side with Isso 0.14 in one run: same threads, same wrk loads, interleaved; prints JSON.

Isso (the Python + SQLite comment server for static sites) is installed from PyPI into
its own virtual environment under bench/out/ and run under gunicorn with 2 sync workers
(`--preload`, as Isso's deployment guide says), rate-limit guard off. Roundtable runs
under `roundtable serve`: its default workers x threads, and with --roundtable also
other shapes. Both get the same threads (200, 20 and 5 comments and seven small ones).

Scenarios, each at every connection count, every target in turn (order flipped each round):
  read    the 200-comment thread: Isso GET /?uri=; Roundtable GET /api/activities/<id>/thread?limit=200
  counts  an index page's counts of 10 threads, one request per page: Isso POST /count;
          Roundtable GET /api/threads/counts?activities=<10 ids>.
  post    a new comment: Isso POST /new?uri=; Roundtable POST /api/threads/<id>/comments
          (8 signed-in learners' sessions rotated, writes rate limit raised for the run).

Before each measurement it waits (up to --quiet-wait s) until other processes use less
than 0.3 cores, and repeats a measurement during which they used more (up to --retries).

Usage: python bench/peer.py [--seconds 8] [--connections 16,64] [--roundtable default,2x8] [--tiny]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import machine  # noqa: E402
from peer_targets import install_isso, isso_target, roundtable_shapes, roundtable_target, thread_sizes  # noqa: E402

CACHE = HERE / "out"
QUIET_CORES = 0.3
SCENARIOS = ("read", "counts", "post")
LUA = r"""
local function lines(s) local t = {} for l in (s or ""):gmatch("[^\n]+") do t[#t + 1] = l end return t end
local method, body = os.getenv("BENCH_METHOD"), os.getenv("BENCH_BODY")
local paths, cookies, csrfs = lines(os.getenv("BENCH_PATHS")), lines(os.getenv("BENCH_COOKIES")), lines(os.getenv("BENCH_CSRFS"))
if body == "" then body = nil end
local threads, made = {}, 0
function setup(thread) made = made + 1; thread:set("n", made * 7); table.insert(threads, thread) end
function init(args) ok = 0 end
function request()
  n = n + 1
  local headers = {}
  if body then headers["Content-Type"] = "application/json" end
  if #cookies > 0 then
    headers["Cookie"] = cookies[n % #cookies + 1]
    headers["X-CSRF-Token"] = csrfs[n % #cookies + 1]
  end
  return wrk.format(method, paths[n % #paths + 1], headers, body)
end
function response(status, headers, body) if status >= 200 and status < 300 then ok = ok + 1 end end
function done(summary, latency, requests)
  local good, e = 0, summary.errors
  for _, t in ipairs(threads) do good = good + t:get("ok") end
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "socket_errors": %d, "non_2xx_3xx": %d, "ok_2xx": %d, ' ..
    '"p50_us": %d, "p99_us": %d}\n', summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout, e.status, good, latency:percentile(50), latency:percentile(99)))
end
"""




# --------------------------------------------------------------------------- measuring


def server_roles(target):
    """Return the serving process's pid, its web workers' and any helper's (Roundtable's mail worker)."""
    master = target["process"].pid
    web, helpers = [], []
    for pid in machine.children(master):
        (helpers if "--parent-pid" in machine.cmdline(pid) else web).append(pid)
    return {"master": master, "web": web, "helpers": helpers}


def server_pids(target):
    """Return every pid of a target's server."""
    roles = server_roles(target)
    return [roles["master"], *roles["web"], *roles["helpers"]]


def run_wrk(target, scenario, connections, seconds, script):
    """Run one wrk load against a target; return wrk's summary (requests, 2xx, latencies)."""
    load = target["loads"][scenario]
    sessions = target.get("sessions", [])
    env = {**os.environ, "BENCH_METHOD": load["method"], "BENCH_PATHS": "\n".join(load["paths"]),
           "BENCH_BODY": load.get("body", ""), "BENCH_COOKIES": "\n".join(s[0] for s in sessions),
           "BENCH_CSRFS": "\n".join(s[1] for s in sessions)}
    # a timeout past the run's end: a timed-out request would be sent again while the first still runs
    command = ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{seconds}s",
               "--timeout", f"{seconds + 5}s", "--latency", "-s", str(script), target["base"]]
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def drain(pids, limit):
    """Wait until the servers finish what wrk left in flight (their CPU still for 1.5 s); return the seconds.

    A server keeps working on the requests of closed connections (and Roundtable's mail
    worker on the outbox), which would otherwise land in the next target's measurement.
    """
    started = time.monotonic()
    while time.monotonic() - started < limit:
        before = sum(machine.process_ticks(p) for p in pids)
        time.sleep(1.5)  # longer than the mail worker's poll
        if sum(machine.process_ticks(p) for p in pids) - before <= 3:
            break
    return round(time.monotonic() - started, 1)


def measure(target, scenario, connections, args, script, sampler, all_pids):
    """Wait for a quiet machine, run one load (again if others were busy during it), return its figures."""
    waited, before_load = machine.wait_until_quiet(all_pids, threshold=QUIET_CORES, max_wait=args.quiet_wait)
    attempts = []
    for _ in range(args.retries + 1):
        roles = server_roles(target)
        pids = [roles["master"], *roles["web"], *roles["helpers"]]
        sampler.watch(pids)
        ticks = {p: machine.process_ticks(p) for p in pids}
        window = machine.LoadWindow(all_pids + pids).start()
        raw = run_wrk(target, scenario, connections, args.seconds, script)
        other = window.stop()
        drained = drain(pids, args.drain_limit)
        used = {p: machine.process_ticks(p) - t for p, t in ticks.items()}
        attempts.append({"other": other, "raw": raw, "used": used, "peaks": dict(sampler.peaks),
                         "roles": roles, "drained": drained})
        target["acknowledged"][scenario] += raw["ok_2xx"]
        if other < QUIET_CORES:
            break
    last = attempts[-1]
    loads = [a["other"] for a in attempts]
    print(f"{scenario} c={connections} {target['name']}: {last['raw']['requests']} requests, "
          f"others {loads} cores, drained {last['drained']} s", file=sys.stderr)
    return figures(last, connections, target["loads"][scenario].get("per_page")) | {
        "other_cores": last["other"], "quiet": last["other"] < QUIET_CORES, "waited_s": waited,
        "other_cores_before": before_load, "other_cores_per_attempt": loads, "drained_s": last["drained"],
        "drained": last["drained"] < args.drain_limit}


def figures(attempt, connections, per_page):
    """Turn wrk's summary and the servers' CPU ticks into req/s, latencies, CPU per request and memory.

    CPU runs until the servers went idle, so it also covers each connection's last
    request, which wrk abandons at the end: it is divided by requests + connections.
    """
    raw, used, peaks, roles = attempt["raw"], attempt["used"], attempt["peaks"], attempt["roles"]
    per_s = raw["requests"] / (raw["duration_us"] / 1e6)
    served = raw["requests"] + connections

    def cpu_ms(pids):
        return sum(used.get(p, 0) for p in pids) / machine.HZ * 1000 / served
    everything = [roles["master"], *roles["web"], *roles["helpers"]]
    out = {
        "requests": raw["requests"], "requests_per_s": round(per_s, 1), "ok_2xx": raw["ok_2xx"],
        "errors": raw["socket_errors"] + raw["non_2xx_3xx"],
        "p50_ms": round(raw["p50_us"] / 1000, 2), "p99_ms": round(raw["p99_us"] / 1000, 2),
        "cpu_ms_per_request": round(cpu_ms(everything), 2),
        "cpu_ms_per_request_helpers": round(cpu_ms(roles["helpers"]), 2),
        "peak_rss_mb_per_worker": round(max((peaks.get(p, 0) for p in roles["web"]), default=0), 1),
        "peak_rss_mb_master": round(peaks.get(roles["master"], 0), 1),
        "peak_rss_mb_helpers": round(max((peaks.get(p, 0) for p in roles["helpers"]), default=0), 1),
    }
    if per_page:
        out |= {"pages_per_s": round(per_s / per_page, 1),
                "cpu_ms_per_page": round(cpu_ms(everything) * per_page, 2)}
    return out


def ratios(results, names):
    """Return Roundtable / Isso for throughput, p99 and CPU per operation, per scenario and connection count."""
    out = {}
    for scenario, by_connections in results.items():
        rate = "pages_per_s" if scenario == "counts" else "requests_per_s"
        cpu = "cpu_ms_per_page" if scenario == "counts" else "cpu_ms_per_request"
        for c, row in by_connections.items():
            isso = row["isso"]
            for name in names:
                if name != "isso":
                    # no ratio against a run in which Isso answered nothing
                    out.setdefault(scenario, {}).setdefault(c, {})[f"{name}/isso"] = {
                        key: round(row[name][key] / isso[key], 2) if isso["requests"] and isso[key] else None
                        for key in (rate, "p99_ms", cpu)}
    return out


def warm_up(targets, args, script):
    """Run every read-only load once, briefly, so each worker has its caches and connections."""
    for target in targets.values():
        for scenario in [s for s in ("read", "counts") if s in args.scenarios] or ["counts"]:
            run_wrk(target, scenario, min(16, args.connections[0]), args.warm_up, script)
            drain(server_pids(target), args.drain_limit)


def run_all(targets, args, script):
    """Run every scenario at every connection count against every target, interleaved; return the results."""
    sampler = machine.RssSampler()
    all_pids = [p for t in targets.values() for p in server_pids(t)]
    results, flip = {}, False
    try:
        for scenario in args.scenarios:
            for c in args.connections:
                order = list(targets)[::-1] if flip else list(targets)
                flip = not flip
                for name in order:
                    results.setdefault(scenario, {}).setdefault(str(c), {})[name] = measure(
                        targets[name], scenario, c, args, script, sampler, all_pids)
    finally:
        sampler.running = False
    return results


def nothing_lost(targets):
    """Compare each target's posts in its database with the 2xx answers wrk saw (every attempt counted)."""
    out = {}
    for name, target in targets.items():
        stored = target["count_posts"]() - target["posts_before"]
        acknowledged = target["acknowledged"]["post"]
        # A post still in flight when wrk stops can be stored without wrk seeing its 201.
        out[name] = {"acknowledged_2xx": acknowledged, "in_database": stored,
                     "lost": max(acknowledged - stored, 0), "ok": stored >= acknowledged}
    return out


def load_summary(results):
    """Say how busy the rest of the machine was across all measurements."""
    rows = [r for by_c in results.values() for row in by_c.values() for r in row.values()]
    return {"threshold_cores": QUIET_CORES, "measurements": len(rows),
            "repeated": sum(len(r["other_cores_per_attempt"]) > 1 for r in rows),
            "not_quiet": sum(not r["quiet"] for r in rows),
            "other_cores_max": max(r["other_cores"] for r in rows),
            "other_cores_median": sorted(r["other_cores"] for r in rows)[len(rows) // 2],
            "not_drained": sum(not r["drained"] for r in rows)}


def start_targets(root, args):
    """Install and start Isso, start each Roundtable shape, seed them all; return {name: target}."""
    sizes = thread_sizes(args.tiny)
    (root / "isso").mkdir()
    targets = {"isso": isso_target(install_isso(args.cache), root / "isso", sizes)}
    for name, shape in roundtable_shapes(args.roundtable).items():
        target = roundtable_target(root / name, sizes, shape)
        targets[name] = target | {"name": name, "server": f"roundtable serve, {shape[0]} worker(s) x {shape[1]} threads"
                                  " (granian), RATELIMIT_WRITES raised to 1000000/minute, mail worker polling every 1 s"}
    for target in targets.values():
        target["posts_before"] = target["count_posts"]()
        target["acknowledged"] = dict.fromkeys(SCENARIOS, 0)
    return targets, sizes


def run(root, args):
    """Start, seed, warm up, measure; return the report."""
    targets, sizes = start_targets(root, args)
    script = root / "peer.lua"
    script.write_text(LUA)
    load_before = os.getloadavg()[0]
    try:
        warm_up(targets, args, script)
        results = run_all(targets, args, script)
        report = {
            "targets": {name: t["server"] for name, t in targets.items()},
            "threads": sizes, "seconds_per_run": args.seconds, "connections": args.connections,
            "machine": {"cpus": os.cpu_count(), "load_average_before": load_before,
                        "load_average_after": os.getloadavg()[0]},
            "notes": ["counts: one request per page on both (Roundtable GET /api/threads/counts, Isso POST /count)."],
            "results": results, "ratios": ratios(results, list(targets)),
            "nothing_lost": nothing_lost(targets), "load": load_summary(results),
        }
        if args.profile:
            report["profile"] = profile_post(targets["roundtable"], args, script)
    finally:
        stop([t["process"] for t in targets.values()])
    return report


def stop(processes):
    """Ask every server to stop; kill one that is still busy after 15 s (an abandoned slow request)."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def profile_post(target, args, script):
    """Record one Roundtable worker with py-spy while wrk posts; return the top 10 functions by own time."""
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    worker = server_roles(target)["web"][0]
    flames = args.cache / "post.svg"
    raw = args.cache / "post-profile.txt"
    record = [py_spy, "record", "--pid", str(worker), "--duration", str(args.seconds), "--rate", "200"]
    spies = [subprocess.Popen([*record, "-o", str(flames)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE),
             subprocess.Popen([*record, "--gil", "--format", "raw", "-o", str(raw)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)]
    time.sleep(1)  # py-spy attaches before the load starts
    run_wrk(target, "post", args.connections[-1], args.seconds, script)
    for spy in spies:
        spy.wait(timeout=60)
    return {"worker_pid": worker, "flamegraph": str(flames), "collapsed_stacks": str(raw),
            "connections": args.connections[-1], "top": top_functions(raw)}


def top_functions(raw, count=10):
    """Return the functions with most samples on top of the stack (own) and anywhere in it (inclusive, ours only)."""
    own, inclusive, total = {}, {}, 0
    for line in raw.read_text().splitlines():
        stack, _, samples = line.rpartition(" ")
        # py-spy writes "func (file.py:LINE)": one entry per function, whatever the line
        frames = [re.sub(r":\d+\)$", ")", f) for f in stack.split(";")[1:]]
        if not frames:
            continue
        own[frames[-1]] = own.get(frames[-1], 0) + int(samples)
        for frame in set(frames):
            if "comments_server/" in frame:
                inclusive[frame] = inclusive.get(frame, 0) + int(samples)
        total += int(samples)

    def ranked(table):
        best = sorted(table.items(), key=lambda kv: -kv[1])[:count]
        return [{"function": frame, "share": round(n / max(total, 1), 3)} for frame, n in best]
    return {"samples": total, "own": ranked(own), "inclusive_roundtable": ranked(inclusive)}


def parse_args(argv=None):
    """Read the command line; --tiny shrinks everything to a seconds-long smoke run."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--warm-up", type=int, default=3)
    parser.add_argument("--connections", default="16,64")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help="which of read,counts,post to run")
    parser.add_argument("--roundtable", default="default,2x8",
                        help="Roundtable shapes: 'default' and/or WORKERSxTHREADS, comma-separated")
    parser.add_argument("--quiet-wait", type=float, default=30, help="longest wait for a quiet machine, s")
    parser.add_argument("--retries", type=int, default=2, help="repeats of a measurement others disturbed")
    parser.add_argument("--drain-limit", type=float, default=120,
                        help="longest wait for the servers to finish abandoned requests between runs, s")
    parser.add_argument("--cache", type=Path, default=CACHE, help="where Isso's virtual environment lives")
    parser.add_argument("--profile", action="store_true", help="py-spy one Roundtable worker under posts")
    parser.add_argument("--tiny", action="store_true", help="5-comment threads, 1 s runs, 1 connection")
    args = parser.parse_args(argv)
    if args.tiny:
        args.seconds, args.warm_up, args.connections, args.roundtable = 1, 1, "1", "default"
        args.quiet_wait, args.retries = 0, 0
    args.connections = [int(c) for c in args.connections.split(",")]
    args.scenarios = [name for name in SCENARIOS if name in args.scenarios.split(",")]
    return args


def main():
    """Run the comparison in a temporary folder and print the JSON report."""
    args = parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    args.cache.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="roundtable-peer-"))
    try:
        report = run(root, args)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
