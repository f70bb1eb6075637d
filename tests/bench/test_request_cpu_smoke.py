"""bench/request_cpu.py runs end to end on a one-second run: every request kind answered without errors and a
CPU figure for each (never timed here; this only keeps the script behind docs/deployment.md's sizing working)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "request_cpu.py"


def test_request_cpu_reports_every_request_kind():
    if not shutil.which("wrk"):
        pytest.fail("bench/request_cpu.py needs wrk: apt-get install wrk", pytrace=False)
    result = subprocess.run([sys.executable, str(SCRIPT), "--seconds", "1", "--connections", "4"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    for kind in ("bell_poll", "thread_read_200", "thread_read_304", "post"):
        (run,) = report[kind]
        assert run["requests"] > 0 and run["errors"] == 0, (kind, run)
        assert run["cpu_ms_per_request"] > 0, (kind, run)
