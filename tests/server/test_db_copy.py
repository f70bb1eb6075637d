"""`roundtable db copy --to postgresql://...`: a running SQLite instance moved into an empty PostgreSQL database.

The demo instance is copied while its server runs; a server started on the
PostgreSQL copy then answers the same threads and progress, keeps the
sessions (same secret key) and carries on numbering. A synthetic instance
(bench/dashboard.py's generator, small here: bench/db_copy.py copies 5,000
learners) is compared table by table and through the dashboard's answers.
Refusals: a database that holds rows, a URL that is not PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import subprocess
import sys
from argparse import Namespace
from pathlib import Path

import pytest
from support.live import ROUNDTABLE, LiveServer, free_port

from comments_server import create_app
from comments_server.ops import db_copy
from comments_server.ops.seed import seed_demo
from comments_server.store.db import connect
from generator.catalog import write_catalog
from generator.loader import load_project
from generator.quiz import write_keys

REPO = Path(__file__).resolve().parents[2]


def bench_dashboard():
    """bench/dashboard.py, whose generator seeds the synthetic instance (loaded by path: tests/bench is another
    ``bench`` package, so its ``from bench.catalog import ...`` is given bench/catalog.py first)."""
    loaded, path = {}, list(sys.path)
    for name in ("catalog", "dashboard"):
        spec = importlib.util.spec_from_file_location(f"bench.{name}", REPO / "bench" / f"{name}.py")
        loaded[name] = sys.modules[f"bench.{name}"] = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(loaded[name])
        finally:
            if name == "dashboard":
                del sys.modules["bench.catalog"], sys.modules["bench.dashboard"]
                sys.path[:] = path  # the script puts the repository first
    return loaded["dashboard"]


@pytest.fixture
def empty_postgres(postgres_cluster):
    """A new PostgreSQL database with no schema at all (what `createdb` gives an operator)."""
    name = f"copy_{os.getpid()}_{next(postgres_cluster.names)}"
    postgres_cluster.admin(f"CREATE DATABASE {name}")
    return postgres_cluster.url(name)


@pytest.fixture
def demo_instance(tmp_path):
    """The demo instance (`roundtable demo`'s seed on the sample catalog): (site folder, instance folder)."""
    project = load_project(REPO, REPO / "programs.yml", REPO / "content")
    site = tmp_path / "site"
    site.mkdir()
    write_keys(project.catalog, site)
    write_catalog(project.catalog, site)
    (site / "index.html").write_text("<h1>Roundtable</h1>")
    instance = tmp_path / "instance"
    app = create_app({"SITE_DIR": str(site)}, instance_path=str(instance))
    seed_demo(app, "http://example.test")
    return site, instance


def copy_command(env, target):
    """Run `roundtable db copy --to target`; return (exit code, stdout, stderr)."""
    done = subprocess.run([ROUNDTABLE, "db", "copy", "--to", target], env=env, capture_output=True, text=True,
                          timeout=300)
    return done.returncode, done.stdout, done.stderr


def sqlite_counts(path):
    db = connect(str(path))
    try:
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in db_copy.table_order(db.conn)}
    finally:
        db.close()


def a_busy_thread(path):
    """(activity id, cohort id, learner e-mail) of the demo thread with the most comments."""
    db = connect(str(path))
    try:
        return db.execute("""SELECT t.activity_id, t.cohort_id, u.email FROM threads t
                             JOIN comments c ON c.thread_id = t.id
                             JOIN memberships m ON m.cohort_id = t.cohort_id AND m.role = 'learner'
                             JOIN users u ON u.id = m.user_id
                             WHERE t.kind = 'roundtable'
                             GROUP BY t.id, u.id ORDER BY COUNT(c.id) DESC, u.id LIMIT 1""").fetchone()
    finally:
        db.close()


def test_demo_copied_while_serving_answers_the_same_on_postgresql(demo_instance, empty_postgres, tmp_path):
    site, instance = demo_instance
    sqlite_server = LiveServer(site, instance, free_port()).start()
    try:
        activity, cohort, email = a_busy_thread(instance / "roundtable.db")
        learner = sqlite_server.api_as(email)  # a session that exists before the copy
        paths = ["/api/progress", f"/api/activities/{activity}/thread?cohort={cohort}"]
        on_sqlite = {p: learner.get(sqlite_server.url + p).json() for p in paths}
        assert on_sqlite[paths[1]]["comments"], "the demo thread has comments to compare"

        code, out, err = copy_command(sqlite_server.env, empty_postgres)  # the SQLite server keeps running
        assert code == 0, out + err
    finally:
        sqlite_server.stop()
    assert "Copying rows" in err  # the progress bar
    counts = sqlite_counts(instance / "roundtable.db")
    for table in ("users", "comments", "events", "sessions", "memberships", "submissions"):
        assert counts[table] > 0
        assert f"{table} " in out and f" {counts[table]} rows" in out.split(f"  {table} ", 1)[1].splitlines()[0]
    assert f"ROUNDTABLE_DATABASE_URL={empty_postgres}" in out
    assert str(instance / "secret_key") in out and "restart" in out.lower()
    read_back = db_copy.checksums(empty_postgres)
    assert {t: v["rows"] for t, v in read_back.items() if t in counts} == counts

    pg_server = LiveServer(site, tmp_path / "pg-instance", free_port(), DATABASE_URL=empty_postgres,
                           SECRET_KEY_FILE=instance / "secret_key", BASE_URL=sqlite_server.url)
    (tmp_path / "pg-instance").mkdir()
    pg_server.start()
    try:
        # the learner's session came over with the secret key: no new sign-in
        assert learner.get(pg_server.url + "/api/session").json()["user"]["email"] == email
        for path in paths:
            assert learner.get(pg_server.url + path).json() == on_sqlite[path], path
        thread_id = on_sqlite[paths[1]]["thread"]["id"]
        posted = learner.post(f"{pg_server.url}/api/threads/{thread_id}/comments",
                              json={"body": "First words on PostgreSQL."})
        assert posted.status_code == 201, posted.text
        newest = max(c["id"] for c in on_sqlite[paths[1]]["comments"])
        assert posted.json()["comment"]["id"] > newest  # ids carry on after the copied ones
    finally:
        pg_server.stop()


def test_refuses_a_database_that_holds_rows_and_a_url_that_is_not_postgresql(demo_instance, empty_postgres):
    _site, instance = demo_instance
    env = {**os.environ, "ROUNDTABLE_INSTANCE_PATH": str(instance)}
    assert copy_command(env, empty_postgres)[0] == 0
    before = db_copy.checksums(empty_postgres)

    code, out, err = copy_command(env, empty_postgres)
    assert code != 0
    assert "is not empty" in err and "tables already hold rows (activities," in err and "createdb" in err
    assert db_copy.checksums(empty_postgres) == before  # nothing added, nothing overwritten

    code, out, err = copy_command(env, str(instance / "other.db"))
    assert code != 0 and "is not a PostgreSQL URL" in err and "postgresql://" in err


def test_a_row_postgresql_cannot_take_stops_the_copy_and_leaves_no_row(demo_instance, empty_postgres):
    _site, instance = demo_instance
    db = connect(str(instance / "roundtable.db"))
    with db.conn:
        db.execute("UPDATE activities SET options = 'not json' WHERE id = (SELECT MIN(id) FROM activities)")
    db.close()
    code, out, err = copy_command({**os.environ, "ROUNDTABLE_INSTANCE_PATH": str(instance)}, empty_postgres)
    assert code != 0
    assert "A row of activities (id " in err and "options = 'not json' is not jsonb" in err
    assert "Nothing was kept" in err
    assert {v["rows"] for v in db_copy.checksums(empty_postgres).values()} == {0}


def test_a_synthetic_instance_verifies_table_by_table_and_reads_the_same(tmp_path, empty_postgres):
    dashboard = bench_dashboard()
    now = dt.datetime(2027, 3, 1, tzinfo=dt.timezone.utc)
    catalog = dashboard.catalog(6, 3, (now - dt.timedelta(weeks=12)).date())
    site = tmp_path / "site"
    site.mkdir()
    (site / "catalog.json").write_text(json.dumps(catalog))
    config = {"TESTING": True, "SECRET_KEY": "test", "SITE_DIR": str(site), "RATELIMIT_ENABLED": False,
              "CATALOG_CHECK_SECONDS": 3600, "BENCH_CATALOG": catalog}
    sqlite_app = create_app(config, instance_path=str(tmp_path / "instance"))
    events = dashboard.seed(sqlite_app, Namespace(learners=60), now)
    assert events > 500

    sent = []
    report = db_copy.copy(database=sqlite_app.config["DATABASE"], target=empty_postgres, progress=sent.append)
    assert sum(sent) == report["rows"] == sum(sqlite_counts(sqlite_app.config["DATABASE"]).values())
    assert report["tables"]["events"]["rows"] == events
    read_back = db_copy.checksums(empty_postgres)
    assert {t: read_back[t] for t in report["tables"]} == report["tables"]

    pg_app = create_app({**config, "DATABASE_URL": empty_postgres}, instance_path=str(tmp_path / "pg-instance"))
    for cohort in ("c00", "c02"):
        answers = []
        for app in (sqlite_app, pg_app):
            client = app.test_client()
            with client.session_transaction() as session:
                session["uid"] = 1  # the seeded admin
            answer = client.get(f"/api/dashboard/cohorts/{cohort}")
            assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
            answers.append(answer.json)
        assert answers[0] == answers[1]
