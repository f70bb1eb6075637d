"""bench/post_cost.py runs end to end on a few posts (never timed here): the figures are there, and a learner's
post takes three write transactions on all the server's connections together: the write budget's counter, the
post, and its follow-ups with the removal of their marker (issue 14)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "post_cost.py"


def test_post_cost_counts_every_write_transaction_of_a_post():
    result = subprocess.run([sys.executable, str(SCRIPT), "--posts", "4", "--top", "3"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    timed = report["timed"]
    assert timed["posts"] == 4 and timed["cpu_ms_per_post"] > 0 and timed["write_lock_ms_per_post"] > 0
    assert timed["write_transactions_per_post"] == 3
    assert len(timed["top_own_time"]) == 3 and report["sql_statements"] > 0
