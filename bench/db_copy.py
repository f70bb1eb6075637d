"""Moving over, measured: `roundtable db copy` of a synthetic 5,000-learner instance into PostgreSQL.

Seeds a throwaway SQLite instance with bench/dashboard.py's generator (people,
threads, a million-odd events), starts a throwaway PostgreSQL 15 cluster
(tests/support/postgres.py) unless --to names a database, copies with
``ops.db_copy.copy`` (snapshot, COPY per table, verification on both sides)
and prints JSON: rows per table, seconds for seeding and for the copy, rows per
second, the SQLite file's size and the PostgreSQL database's size.

    .venv/bin/python bench/db_copy.py [--learners 5000] [--cohorts 50] [--modules 40] [--to postgresql://...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench import dashboard  # noqa: E402
from comments_server.ops import db_copy  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--cohorts", type=int, default=50)
    parser.add_argument("--modules", type=int, default=40)
    parser.add_argument("--to", default="", help="an empty PostgreSQL database; default: a throwaway cluster")
    args = parser.parse_args()
    now = dt.datetime.now(dt.timezone.utc)
    cluster = None
    with tempfile.TemporaryDirectory() as tmp:
        app, _catalog = dashboard.instance(tmp, args, now)
        t0 = time.perf_counter()
        dashboard.seed(app, args, now)
        seed_s = time.perf_counter() - t0
        target = args.to
        if not target:
            sys.path.append(os.path.join(ROOT, "tests"))  # after bench/ is imported: tests/bench is another bench
            from support.live import free_port
            from support.postgres import Cluster

            cluster = Cluster(free_port()).start()
            cluster.admin("CREATE DATABASE bench_copy")
            target = cluster.url("bench_copy")
        try:
            t0, c0 = time.perf_counter(), time.process_time()
            report = db_copy.copy(database=app.config["DATABASE"], target=target, tmp_dir=tmp)
            copy_s, copy_cpu = time.perf_counter() - t0, time.process_time() - c0
            import psycopg

            with psycopg.connect(target) as conn:
                pg_bytes = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        finally:
            if cluster is not None:
                cluster.stop()
        print(json.dumps({
            "learners": args.learners, "cohorts": args.cohorts, "modules": args.modules,
            "rows": report["rows"], "tables": len(report["tables"]),
            "rows_per_table": {t: v["rows"] for t, v in report["tables"].items() if v["rows"]},
            "seed_seconds": round(seed_s, 1), "copy_seconds": round(copy_s, 1),
            "copy_cpu_seconds_this_process": round(copy_cpu, 1),
            "rows_per_second": round(report["rows"] / copy_s),
            "sqlite_bytes": os.path.getsize(app.config["DATABASE"]), "postgresql_bytes": pg_bytes,
            "verified": "rows and checksum of every table equal on both sides",
            "load_average": os.getloadavg()[0],
        }, indent=2))


if __name__ == "__main__":
    main()
