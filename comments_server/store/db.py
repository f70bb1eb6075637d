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
from sqlite_utils.utils import dedupe_keys


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


def connect(path, *, existing=False):
    """Open the database ``path`` names: a SQLite file (sqlite-utils), or a ``postgresql://`` URL.

    ``existing``: the SQLite file must be there already (a running server's connections): a file
    deleted under the server raises :class:`DatabaseGone` instead of starting an empty one.
    """
    if is_postgres(path):
        from comments_server.store import postgres

        return postgres.connect(path)
    return _connect_sqlite(path, existing=existing)


def _connect_sqlite(path, *, existing=False):
    """Open a sqlite-utils Database on ``path`` with the pragmas every connection needs."""
    if existing and path != ":memory:" and not os.path.exists(path):
        raise _gone(path)
    # timeout= is sqlite3's busy handler: wait for a writer instead of failing at once
    conn = sqlite3.connect(path, timeout=10)
    conn.execute("PRAGMA foreign_keys = ON")  # off by default in SQLite, per connection
    conn.execute("PRAGMA busy_timeout = 10000")
    # WAL + NORMAL: durable across application crashes, fsync at checkpoints only
    conn.execute("PRAGMA synchronous = NORMAL")
    db = _Database(conn, execute_plugins=False, recursive_triggers=False)
    db.dialect = "sqlite"
    db.path = os.path.abspath(path)  # names the database in per-process caches
    db.folder = os.path.dirname(db.path)
    db.inode = _inode(db.path)  # the file this connection opened: write_transaction checks it is still there
    # SQLite opens a file it cannot write read-only, and the connection stays so after a chmod back; while one
    # is open, the process's other connections share its read-only WAL index too. Such a connection is not kept.
    db.opened_read_only = read_only_problem(db.path) is not None
    return db


class _Database(sqlite_utils.Database):
    """sqlite-utils' Database, with ``query`` of a plain SELECT run straight on the connection.

    sqlite-utils wraps every query in ``SAVEPOINT``/``RELEASE`` so that a
    statement that turns out to return no rows can be undone; a SELECT always
    returns rows and changes nothing, so the two extra statements per read
    (two thirds of the statements of a post, issue 14) buy nothing there.
    """

    def query(self, sql, params=None):
        """Run ``sql`` and return its rows as dicts (a SELECT without sqlite-utils' savepoint guard)."""
        if sql.lstrip()[:6].upper() != "SELECT" or self._tracer:
            return super().query(sql, params)
        cursor = self.conn.execute(sql, params) if params is not None else self.conn.execute(sql)
        keys = dedupe_keys(d[0] for d in cursor.description)
        return (dict(zip(keys, row)) for row in cursor)


class DatabaseUnavailable(RuntimeError):
    """Nothing can be written now (answered 503); the message names the path and what to do."""


class DatabaseGone(DatabaseUnavailable):
    """The database file this connection opened was deleted or replaced: writing would lose the data."""


class DatabaseReadOnly(DatabaseUnavailable):
    """The database file or its folder became read-only for the user running the server."""


def read_only_problem(path):
    """Say what stops this process writing the database at ``path`` (file or folder read-only), or None.

    SQLite writes beside the file (``-wal``, ``-shm``) and our process lock
    lives there too, so the folder must be writable as well as the file.
    ``os.access`` also answers for a read-only mount, where even root cannot write.
    """
    if not path or path == ":memory:":
        return None
    folder = os.path.dirname(os.path.abspath(path))
    for place in (path, folder):
        if os.path.exists(place) and not os.access(place, os.W_OK):
            return place
    return None


def check_writable(db):
    """Refuse to write when the database or its folder became read-only, naming it and the fix.

    Runs before every write transaction, so the common case is two ``access()``
    calls and nothing else: an open connection goes on writing through its
    file descriptors after a chmod, so a failing write would not tell.
    """
    path = getattr(db, "path", None)
    if path is None or path == ":memory:":
        return
    if os.access(path, os.W_OK) and os.access(db.folder, os.W_OK):
        return
    place = read_only_problem(path)  # one of them refused: which, or was it only missing?
    if place is not None:
        raise DatabaseReadOnly(
            f"{place} is read-only for the user running the server ({process_user()}); nothing more is written. "
            f"Make it writable again (e.g. `chown -R {process_user()} {os.path.dirname(db.path)}`, or remount the "
            "volume read-write); the server goes on by itself.")


def process_user():
    """The name (or uid) of the user this process runs as."""
    import pwd

    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        return str(os.geteuid())


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
        raise _gone(db.path)


def _gone(path):
    """The refusal for a database file deleted or replaced under the running server."""
    return DatabaseGone(f"The database file {os.path.abspath(path)} was deleted or replaced while the server ran; "
                        "nothing more is written. Restore it (roundtable restore BACKUP_FOLDER) and restart the server.")


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
    db = conns.pop(path, None) or connect(path, existing=True)
    if getattr(db, "opened_read_only", False):
        return db  # for this request only: release() closes it
    conns[path] = db
    while len(conns) > POOL_SIZE:  # a process that serves several databases (tests)
        conns.popitem(last=False)[1].close()
    return db


def release(db):
    """Hand a request's connection back: roll back anything left open (PostgreSQL: return it to the pool)."""
    if getattr(db, "dialect", "sqlite") == "postgresql":
        db.release()
    elif getattr(db, "opened_read_only", False):
        db.close()  # opened while the database could not be written (pooled)
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
    on a Python lock, processes (web workers) on a lock file beside the
    database.
    """
    if is_postgres_db(db):
        yield from _postgres_transaction(db, lock)
        return
    check_writable(db)
    with _writer, _process_lock(getattr(db, "path", None)):
        check_still_there(db)
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.conn.execute("ROLLBACK")
            _after_commit.pop(id(db.conn), None)  # what followed a write that never happened is dropped
            raise
        db.conn.execute("COMMIT")
    # outside the locks: what runs after the commit must not hold up the next writer
    for callback in _after_commit.pop(id(db.conn), ()):
        callback()


_after_commit = {}  # id(connection) -> callbacks registered during its open write transaction


def _postgres_transaction(db, lock):
    """write_transaction on PostgreSQL: one transaction (a savepoint when nested); after-commit work after the outer one."""
    outermost = not in_transaction(db)
    try:
        with db.transaction(lock=lock):
            yield db
    except BaseException:
        if outermost:
            _after_commit.pop(id(db.conn), None)
        raise
    if outermost:
        for callback in _after_commit.pop(id(db.conn), ()):
            callback()


def is_postgres_db(db):
    """Whether ``db`` (a connection of either engine) is PostgreSQL's."""
    return getattr(db, "dialect", "sqlite") == "postgresql"


def in_transaction(db):
    """Whether ``db`` has a transaction open, on either engine."""
    return db.in_transaction if is_postgres_db(db) else db.conn.in_transaction


def rollback_if_open(db):
    """Roll back a transaction left open on ``db`` (after a failure outside write_transaction)."""
    if not in_transaction(db):
        return
    if is_postgres_db(db):
        db.conn.rollback()
    else:
        db.conn.execute("ROLLBACK")


def after_commit(db, callback):
    """Call ``callback()`` once the open write transaction of ``db`` has committed, after its locks are released.

    Outside a transaction it runs at once (what it follows is already committed).
    Dropped when the transaction rolls back. The caller makes it durable if it
    must survive a crash between commit and callback (actions/bus.py does).
    """
    if not in_transaction(db):
        callback()
        return
    _after_commit.setdefault(id(db.conn), []).append(callback)


@contextlib.contextmanager
def write_step(db):
    """A short write transaction of its own, or a part of the caller's when one is open."""
    if in_transaction(db):
        yield db
        return
    with write_transaction(db):
        yield db


_gathered = {}  # id(connection) -> writes held back by write_later while gather_writes is open


def write_later(db, write):
    """Run ``write(db)`` in a short write of its own (or the caller's open one) and return its result.

    Inside :func:`gather_writes` on the same connection it is held back instead
    (None is returned), to run with the other gathered writes in one transaction.
    The caller does its reads first: ``write`` reads again under the lock what it depends on.
    """
    gathered = _gathered.get(id(db.conn))
    if gathered is not None:
        gathered.append(write)
        return None
    with write_step(db):
        return write(db)


@contextlib.contextmanager
def gather_writes(db):
    """Hold back every ``write_later`` of the block; yield the list, for the caller to run in one write."""
    key = id(db.conn)
    outer = _gathered.get(key)
    _gathered[key] = writes = []
    try:
        yield writes
    finally:
        if outer is None:
            _gathered.pop(key, None)
        else:
            _gathered[key] = outer


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
