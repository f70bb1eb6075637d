"""bench/dashboard.py runs end to end on a tiny instance (never timed here: this only keeps the script behind
issue 14's dashboard figures working), and a new day's program health agrees with the matrix's cells."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "dashboard.py"


def test_dashboard_bench_reports_the_first_call_of_a_new_day():
    result = subprocess.run([sys.executable, str(SCRIPT), "--learners", "40", "--cohorts", "2", "--modules", "4",
                             "--runs", "1"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["learners"] == 40 and report["events"] > 0
    next_day = report["program_health_first_call_of_the_next_day"]
    assert next_day["cpu_ms"] > 0 and next_day["top_own_time"]
    assert next_day["summaries_agree_with_the_matrix"] is True
