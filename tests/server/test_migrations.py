"""Migrations apply once, keep data, and writes take the lock up front (BEGIN IMMEDIATE)."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import time

from comments_server import create_app
from comments_server.store.db import connect, write_transaction
from comments_server.store.migrations import migrations

from .conftest import post_comment

ALL = [m.name for m in migrations.pending(connect(":memory:"))]


def test_migrations_are_recorded_in_order(db):
    assert ALL[:2] == ["0000_wal", "0001_initial"]
    assert [m.name for m in migrations.applied(db)] == ALL
    assert db.journal_mode == "wal"


def test_migrations_are_idempotent_and_keep_data(app, app_config, tmp_path, sign_in, thread, db):
    post_comment(sign_in("learner"), thread["id"], "keep me")
    migrations.apply(db)
    create_app(app_config, instance_path=str(tmp_path / "instance"))  # a restart applies again
    assert [m.name for m in migrations.applied(db)] == ALL
    assert [r["body_md"] for r in db.query("SELECT body_md FROM comments")] == ["keep me"]


def test_foreign_keys_are_enforced(db):
    try:
        db.execute("INSERT INTO memberships (user_id, cohort_id, role) VALUES (999, 'x', 'learner')")
    except sqlite3.IntegrityError:
        return
    raise AssertionError("a membership of nobody in no cohort was accepted")


def test_write_transaction_rolls_back_on_error(db):
    try:
        with write_transaction(db):
            db.execute("INSERT INTO users (email, created) VALUES ('x@example.com', 'now')")
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert db.table("users").count_where("email = 'x@example.com'") == 0


def test_two_threads_read_then_write_without_locking_errors(app):
    """Each thread reads a counter and writes it back +1; under BEGIN IMMEDIATE none fails or is lost."""
    path = app.config["DATABASE"]
    setup = connect(path)
    setup.execute("CREATE TABLE counter (n INTEGER)")
    setup.execute("INSERT INTO counter VALUES (0)")
    setup.close()
    errors = []

    def worker():
        db = connect(path)
        for _ in range(50):
            try:
                with write_transaction(db):
                    n = db.execute("SELECT n FROM counter").fetchone()[0]
                    time.sleep(0.001)  # widen the window between read and write
                    db.execute("UPDATE counter SET n = ?", [n + 1])
            except sqlite3.OperationalError as exc:
                errors.append(exc)
        db.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check = connect(path)
    assert errors == [] and check.execute("SELECT n FROM counter").fetchone()[0] == 100
    check.close()


def _increment_many(path, times, errors):
    """Read-then-write a counter ``times`` times, each in write_transaction; count failures."""
    db = connect(path)
    failed = 0
    for _ in range(times):
        try:
            with write_transaction(db):
                n = db.execute("SELECT n FROM counter").fetchone()[0]
                time.sleep(0.001)
                db.execute("UPDATE counter SET n = ?", [n + 1])
        except sqlite3.OperationalError:
            failed += 1
    errors.put(failed)
    db.close()


def test_two_processes_read_then_write_without_locking_errors(app):
    """Across processes only SQLite's lock protects the counter: BEGIN IMMEDIATE does it."""
    path = app.config["DATABASE"]
    setup = connect(path)
    setup.execute("CREATE TABLE counter (n INTEGER)")
    setup.execute("INSERT INTO counter VALUES (0)")
    setup.close()
    context = multiprocessing.get_context("fork")
    errors = context.Queue()
    workers = [context.Process(target=_increment_many, args=(path, 40, errors)) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    check = connect(path)
    assert [errors.get(timeout=5), errors.get(timeout=5)] == [0, 0]
    assert check.execute("SELECT n FROM counter").fetchone()[0] == 80
    check.close()


def test_deferred_transactions_would_lose_updates_or_fail(app):
    """The control for the test above: plain BEGIN lets two read-then-write steps collide."""
    path = app.config["DATABASE"]
    a, b = connect(path), connect(path)
    a.execute("CREATE TABLE counter (n INTEGER)")
    a.execute("INSERT INTO counter VALUES (0)")
    a.execute("BEGIN")
    b.execute("BEGIN")
    a.execute("SELECT n FROM counter").fetchone()
    b.execute("SELECT n FROM counter").fetchone()
    a.execute("UPDATE counter SET n = 1")
    b.conn.execute("PRAGMA busy_timeout = 0")
    try:
        b.execute("UPDATE counter SET n = 1")
        failed = False
    except sqlite3.OperationalError:
        failed = True
    a.conn.execute("COMMIT")
    b.conn.execute("ROLLBACK")
    assert failed
