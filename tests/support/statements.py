"""The SQL the server sends from this thread, on either engine (the test client serves in the test's thread).

SQLite: sqlite3's trace callback on this thread's pooled connection. PostgreSQL:
every statement psycopg sends from this thread (a request may borrow any
connection of the pool), with its transactions as ``BEGIN``/``COMMIT``/
``ROLLBACK`` (``SAVEPOINT``/``RELEASE``/``ROLLBACK TO`` when nested), as
psycopg sends them.
"""

from __future__ import annotations

import contextlib
import threading

from comments_server.store.db import is_postgres, pooled


@contextlib.contextmanager
def traced(database):
    """Collect, in order, the statements run on ``database`` (the app's DATABASE setting) from this thread."""
    seen = []
    if not is_postgres(database):
        conn = pooled(database).conn
        conn.set_trace_callback(lambda sql: seen.append(" ".join(sql.split())))
        try:
            yield seen
        finally:
            conn.set_trace_callback(None)
        return
    with _psycopg_traced(seen):
        yield seen


@contextlib.contextmanager
def _psycopg_traced(seen):
    import psycopg
    from psycopg.pq import TransactionStatus

    me = threading.get_ident()
    execute, enter, leave = psycopg.Cursor.execute, psycopg.Transaction.__enter__, psycopg.Transaction.__exit__

    def note(sql):
        if threading.get_ident() == me:
            seen.append(" ".join(str(sql).split()))

    def traced_execute(cursor, query, params=None, **kw):
        note(query if isinstance(query, str) else query.as_string(cursor))
        return execute(cursor, query, params, **kw)

    def traced_enter(tx):
        tx.roundtable_nested = tx.connection.info.transaction_status != TransactionStatus.IDLE
        note("SAVEPOINT" if tx.roundtable_nested else "BEGIN")
        return enter(tx)

    def traced_exit(tx, kind, value, tb):
        try:
            return leave(tx, kind, value, tb)
        finally:
            ok = kind is None
            note(("RELEASE" if ok else "ROLLBACK TO") if tx.roundtable_nested else ("COMMIT" if ok else "ROLLBACK"))

    psycopg.Cursor.execute, psycopg.Transaction.__enter__, psycopg.Transaction.__exit__ = (
        traced_execute, traced_enter, traced_exit)
    try:
        yield
    finally:
        psycopg.Cursor.execute, psycopg.Transaction.__enter__, psycopg.Transaction.__exit__ = execute, enter, leave


def transactions(seen):
    """The top-level transactions among ``seen``: a list of the statements of each, its BEGIN first."""
    out, current = [], None
    for sql in seen:
        if sql.startswith("BEGIN"):
            current = [sql]
        elif current is not None and sql.startswith(("COMMIT", "ROLLBACK")) and not sql.startswith("ROLLBACK TO"):
            out.append(current)
            current = None
        elif current is not None:
            current.append(sql)
    return out


def action_transactions(seen):
    """The transactions of ``seen`` that are more than the write budget's count (a table on PostgreSQL, counted
    in a transaction of its own before the action; in memory or Redis elsewhere)."""
    return [t for t in transactions(seen) if not all(s.startswith("INSERT INTO rate_counters") for s in t[1:])]
