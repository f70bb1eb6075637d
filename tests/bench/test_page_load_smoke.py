"""bench/page_load.py runs end to end on its tiny setting: the demo built, seeded and served, the module
page loaded cold and warm in Chromium, every figure present. Never timed here; only kept working."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE_LOAD = ROOT / "bench" / "page_load.py"


def test_page_load_benchmark_reports_cold_and_warm_loads():
    run = subprocess.run([sys.executable, str(PAGE_LOAD), "--tiny"], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout)
    assert report["runs"] == 1
    for kind in ("cold", "warm"):
        load = report[kind]
        assert load["requests"] > 0 and load["bytes"] > 0, load
        assert load["thread_drawn_ms"] > 0 and load["dcl_ms"] > 0, load
        calls = load["api_calls"]
        assert calls["/api/session"] == 1 and calls["/api/notifications?limit=0"] == 1, calls
        assert sum(n for path, n in calls.items() if "/thread?" in path) == 1, calls
    # the warm load takes Material's content-hashed files from the cache: fewer requests, fewer bytes
    assert report["warm"]["requests"] < report["cold"]["requests"]
    assert report["warm"]["bytes"] < report["cold"]["bytes"]
