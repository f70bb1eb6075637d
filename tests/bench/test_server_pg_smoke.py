"""bench/server.py --database postgresql --servers 2 runs end to end on tiny sizes: the SQLite single server and
two servers on a throwaway PostgreSQL each answer reads and posts without errors, with CPU and memory figures
(never timed here; the figures come from the full run)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "server.py"


def test_sqlite_and_two_postgresql_servers_side_by_side():
    if not shutil.which("wrk"):
        pytest.fail("bench/server.py needs wrk: apt-get install wrk", pytrace=False)
    result = subprocess.run([sys.executable, str(SCRIPT), "--database", "postgresql", "--servers", "2",
                             "--seconds", "3", "--connections", "4", "--workers", "1", "--threads", "4"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    for setup, servers in (("sqlite_1_server", 1), ("postgresql_2_servers", 2)):
        assert report[setup]["servers"] == servers
        assert len(report[setup]["peak_rss_mb_per_server"]) == servers
        for kind in ("read", "post"):
            (run,) = report[setup][kind]
            assert run["requests"] > 0 and run["errors"] == 0, (setup, kind, run)
            assert run["app_cpu_ms_per_request"] > 0, (setup, kind, run)
    assert report["postgresql_2_servers"]["read"][0]["postgresql_cpu_ms_per_request"] > 0
