"""The database connection: one per request in ``flask.g``, and the write transaction helper."""

from __future__ import annotations

import contextlib
import os
import sqlite3

import sqlite_utils
from flask import current_app, g


def connect(path):
    """Open a sqlite-utils Database on ``path`` with the pragmas every connection needs."""
    # timeout= is sqlite3's busy handler: wait for a writer instead of failing at once
    conn = sqlite3.connect(path, timeout=10)
    conn.execute("PRAGMA foreign_keys = ON")  # off by default in SQLite, per connection
    conn.execute("PRAGMA busy_timeout = 10000")
    # WAL + NORMAL: durable across application crashes, fsync at checkpoints only
    conn.execute("PRAGMA synchronous = NORMAL")
    db = sqlite_utils.Database(conn, execute_plugins=False, recursive_triggers=False)
    db.path = os.path.abspath(path)  # names the database in per-process caches
    return db


def get_db():
    """Return this request's database, opened on first use and closed at teardown."""
    if "db" not in g:
        g.db = connect(current_app.config["DATABASE"])
    return g.db


def close_db(exc=None):
    """Close this request's database, if one was opened."""
    db = g.pop("db", None)
    if db is not None:
        db.close()


@contextlib.contextmanager
def write_transaction(db):
    """Run a block inside ``BEGIN IMMEDIATE`` ... ``COMMIT``, rolling back on error.

    A deferred transaction that reads and then writes can fail at once with
    "database is locked" under WAL with several writers (docs TOOLING.md 3);
    taking the write lock up front makes the busy timeout apply instead.
    """
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")


def init_app(app):
    """Apply pending migrations and register the teardown."""
    from .migrations import migrations

    db = connect(app.config["DATABASE"])
    try:
        migrations.apply(db)
    finally:
        db.close()
    app.teardown_appcontext(close_db)
