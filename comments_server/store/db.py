"""The driver room: connections (pooled), the write transaction helper and, on SQLite, the process lock.

Only this module knows the drivers: sqlite3 + sqlite-utils for a database file
(the default) and psycopg 3 + psycopg_pool for a ``postgresql://`` URL
(``store/postgres.py``). web/database.py hands a pooled connection to each request.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import threading
from collections import OrderedDict

import sqlite_utils


def is_postgres(target) -> bool:
    """Whether ``target`` (the DATABASE setting) names a PostgreSQL database rather than a SQLite file."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def describe(target) -> str:
    """Name a database for people: the SQLite path, or the PostgreSQL URL without its password."""
    if is_postgres(target):
        from urllib.parse import urlsplit

        parts = urlsplit(target)
        user = f"{parts.username}@" if parts.username else ""
        return f"{parts.scheme}://{user}{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}{parts.path}"
    return target


def driver_errors() -> tuple:
    """Return the exception classes a failing database raises, for either engine."""
    try:
        import psycopg
    except ImportError:  # the PostgreSQL extra is not installed
        return (sqlite3.Error,)
    return (sqlite3.Error, psycopg.Error)


def connect(path):
    """Open the database ``path`` names: a SQLite file (sqlite-utils), or a ``postgresql://`` URL."""
    if is_postgres(path):
        from comments_server.store import postgres

        return postgres.connect(path)
    return _connect_sqlite(path)


def _connect_sqlite(path):
    """Open a sqlite-utils Database on ``path`` with the pragmas every connection needs."""
    # timeout= is sqlite3's busy handler: wait for a writer instead of failing at once
    conn = sqlite3.connect(path, timeout=10)
    conn.execute("PRAGMA foreign_keys = ON")  # off by default in SQLite, per connection
    conn.execute("PRAGMA busy_timeout = 10000")
    # WAL + NORMAL: durable across application crashes, fsync at checkpoints only
    conn.execute("PRAGMA synchronous = NORMAL")
    db = sqlite_utils.Database(conn, execute_plugins=False, recursive_triggers=False)
    db.dialect = "sqlite"
    db.path = os.path.abspath(path)  # names the database in per-process caches
    db.inode = _inode(db.path)  # the file this connection opened: write_transaction checks it is still there
    return db


class DatabaseGone(RuntimeError):
    """The database file this connection opened was deleted or replaced: writing would lose the data."""


def _inode(path):
    """Return the inode of the database file (None for an in-memory database or a missing file)."""
    try:
        return os.stat(path).st_ino if path and path != ":memory:" else None
    except OSError:
        return None


def check_still_there(db):
    """Refuse to write when the file this connection opened is no longer at its path.

    A deleted database stays writable through open connections on POSIX,
    and everything written after that is lost at restart; stop instead.
    """
    expected = getattr(db, "inode", None)
    if expected is not None and _inode(db.path) != expected:
        raise DatabaseGone(f"The database file {db.path} was deleted or replaced while the server ran; nothing "
                           "more is written. Restore it (roundtable restore BACKUP_FOLDER) and restart the server.")


# Connections are reused by the thread that opened them. Closing the last
# connection to a WAL database checkpoints and deletes the WAL, and a new
# connection re-reads the schema: together several ms on every request.
_pool = threading.local()
_writer = threading.RLock()  # re-entrant: a store function may nest a helper that writes
POOL_SIZE = 4


def pooled(path):
    """Return this thread's open connection to ``path``, opening it on first use (PostgreSQL: from its pool)."""
    if is_postgres(path):
        from comments_server.store import postgres

        return postgres.borrow(path)
    conns = _pool.__dict__.setdefault("conns", OrderedDict())
    db = conns.pop(path, None) or connect(path)
    conns[path] = db
    while len(conns) > POOL_SIZE:  # a process that serves several databases (tests)
        conns.popitem(last=False)[1].close()
    return db


def release(db):
    """Hand a request's connection back: roll back anything left open (PostgreSQL: return it to the pool)."""
    if getattr(db, "dialect", "sqlite") == "postgresql":
        db.release()
    elif db.conn.in_transaction:
        db.conn.execute("ROLLBACK")


def lock_for_update(db, *, table, key):
    """Inside a write: lock one row (``SELECT ... FOR UPDATE``) that a read-then-write depends on.

    PostgreSQL only; SQLite's write transaction already holds the one write lock.
    """
    if getattr(db, "dialect", "sqlite") == "postgresql":
        # NO KEY UPDATE: still one at a time, without waiting on the KEY SHARE locks that foreign keys
        # to this row take (FOR UPDATE would deadlock two writers that both inserted a row pointing here)
        db.execute(f"SELECT 1 FROM {table} WHERE id = ? FOR NO KEY UPDATE", [key])


@contextlib.contextmanager
def write_transaction(db, *, lock=None):
    """Run a block inside ``BEGIN IMMEDIATE`` ... ``COMMIT``, rolling back on error.

    PostgreSQL: a plain transaction, no process lock; what a read-then-write
    needs is in its statements (constraints, conditional updates, ``FOR UPDATE``).
    ``lock`` names a transaction-scoped advisory lock for work several servers
    may start at once (the catalog sync); on SQLite the write lock already
    serialises them.

    A deferred transaction that reads and then writes can fail at once with
    "database is locked" under WAL with several writers (docs TOOLING.md 3);
    taking the write lock up front makes the busy timeout apply instead.
    Writers queue on locks that hand over at once, before SQLite's own lock,
    whose busy handler sleeps in steps of up to 100 ms: threads of one process
    on a Python lock, processes (gunicorn workers) on a lock file beside the
    database.
    """
    if getattr(db, "dialect", "sqlite") == "postgresql":
        with db.transaction(lock=lock):
            yield db
        return
    with _writer, _process_lock(getattr(db, "path", None)):
        check_still_there(db)
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.conn.execute("ROLLBACK")
            raise
        db.conn.execute("COMMIT")


_lock_files = {}  # (pid, database path) -> open lock file; reopened after a fork
_lock_depth = {}  # same key -> nesting depth of the thread holding _writer


@contextlib.contextmanager
def _process_lock(path):
    """Hold an exclusive flock on ``<database>.writelock`` (outermost call only); call with _writer held."""
    if not path or path == ":memory:":
        yield
        return
    key = (os.getpid(), path)  # a lock file inherited across fork() would be shared, not exclusive
    if key not in _lock_files:
        _lock_files[key] = open(path + ".writelock", "a")  # noqa: SIM115 - kept open for the process
    depth = _lock_depth.get(key, 0)
    if depth == 0:
        fcntl.flock(_lock_files[key], fcntl.LOCK_EX)
    _lock_depth[key] = depth + 1
    try:
        yield
    finally:
        _lock_depth[key] = depth
        if depth == 0:
            fcntl.flock(_lock_files[key], fcntl.LOCK_UN)
