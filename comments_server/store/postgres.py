"""PostgreSQL through psycopg 3 and psycopg_pool, shaped like the slice of sqlite-utils the stores use.

The stores write one SQL for both engines; this module makes a PostgreSQL
connection answer it as SQLite does: ``?`` and ``:name`` placeholders become
psycopg's, ``db.query`` yields dicts and ``db.execute`` a cursor of tuples with
``rowcount`` and ``lastrowid``, ``db.table(name)`` offers insert / update /
upsert_all. Values read back look as on SQLite, so the rooms above never see
the engine: native booleans come back as 0/1, ``timestamptz`` as the ISO text
``domain.timeutil.iso`` writes, ``jsonb`` as JSON text.

Per statement (profiled in docs/deployment.md): the translation is cached, each
connection runs every statement on one cursor that lives as long as it does,
and a statement seen twice on a connection is a server-side prepared statement.
"""

from __future__ import annotations

import contextlib
import functools
import re
import threading
import weakref
from datetime import datetime, timezone

import psycopg
from psycopg.adapt import Dumper, Loader
from psycopg.pq import ExecStatus, TransactionStatus
from psycopg_pool import ConnectionPool

TUPLES_OK = ExecStatus.TUPLES_OK
POOL_MAX = 16  # per process and database: the server's threads per worker, plus the worker's own


# --------------------------------------------------------------------------- values in and out


class _Unknown(Dumper):
    """Send Python ints and bools untyped, so PostgreSQL fits them to the column (integer or boolean)."""

    oid = 0  # "unknown": resolved from the context, as a quoted literal would be

    def dump(self, obj):
        return str(int(obj)).encode()


class _BoolAsInt(Loader):
    def load(self, data):
        return 1 if bytes(data) == b"t" else 0


class _Text(Loader):
    def load(self, data):
        return bytes(data).decode()


class _IsoTimestamp(Loader):
    """``2027-01-11 09:00:00.5+00`` -> ``2027-01-11T09:00:00.500Z`` (the session runs in UTC)."""

    def load(self, data):
        text = bytes(data).decode()
        # the session's own zone (UTC) and a four-digit year: rewritten as text, without a datetime
        if len(text) >= 22 and text.endswith("+00") and text[10] == " ":
            fraction = text[20:-3] if text[19] == "." else ""
            return f"{text[:10]}T{text[11:19]}.{(fraction + '000')[:3]}Z"
        moment = datetime.fromisoformat(text).astimezone(timezone.utc)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


# Server-side prepared statements: a statement run twice on a connection is parsed and planned once
# (each pooled connection serves the same few dozen statements over and over); room for all of
# them, so that none is deallocated and prepared again (each of those is a round trip).
PREPARE_THRESHOLD = 2
PREPARED_MAX = 500


def _configure(conn):
    """Adapt one new connection: values as the stores know them from SQLite, UTC, autocommit."""
    conn.autocommit = True  # outside write_transaction every statement is its own transaction
    conn.prepare_threshold, conn.prepared_max = PREPARE_THRESHOLD, PREPARED_MAX
    adapters = conn.adapters
    adapters.register_dumper(int, _Unknown)
    adapters.register_dumper(bool, _Unknown)
    adapters.register_loader("bool", _BoolAsInt)
    adapters.register_loader("jsonb", _Text)
    adapters.register_loader("json", _Text)
    adapters.register_loader("timestamptz", _IsoTimestamp)
    adapters.register_loader("numeric", _Float)
    conn.execute("SET TIME ZONE 'UTC'")


class _Float(Loader):
    def load(self, data):
        return float(bytes(data).decode())


# --------------------------------------------------------------------------- SQL in


_TOKEN = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|::|\?|:([A-Za-z_]\w*)|%|--[^\n]*")


_JSON_EXTRACT = re.compile(r"json_extract\(([\w.]+), '\$((?:\.(?:\w+|\"[^\"]+\"))+)'\)")
_JSON_EACH = re.compile(r"json_each\(([^()]+)\)(?:\s+(?!WHERE|ORDER|JOIN|ON|GROUP|LIMIT)([a-z]\w*))?", re.I)


def _json_functions(sql):
    """SQLite's JSON functions as PostgreSQL's: ``json_extract(c, '$.a.b')`` -> ``(c #>> '{a,b}')``,
    ``json_each(x) a`` -> ``jsonb_array_elements_text(CAST(x AS jsonb)) AS a(value)``."""

    def extract(match):
        keys = [k.strip('"') for k in re.findall(r'\.(\w+|"[^"]+")', match.group(2))]
        return f"({match.group(1)} #>> '{{{','.join(keys)}}}')"

    def each(match):
        return f"jsonb_array_elements_text(CAST({match.group(1)} AS jsonb)) AS {match.group(2) or 'json_each'}(value)"

    sql = _JSON_EACH.sub(each, _JSON_EXTRACT.sub(extract, sql))
    sql = re.sub(r"\binstr\(", "strpos(", sql)  # same arguments, same 1-based answer
    sql = re.sub(r"ORDER BY seen_at, rowid", "ORDER BY seen_at, ctid", sql)  # insertion order: no rowid here
    # the xAPI columns are jsonb here: compared as text, as SQLite compares them
    return re.sub(r"\b((?:\w+\.)?(?:verb|actor|context|object))\s+(NOT\s+)?LIKE", r"CAST(\1 AS TEXT) \2LIKE", sql)


@functools.lru_cache(maxsize=2048)
def translate(sql: str) -> str:
    """Turn SQLite placeholders into psycopg's: ``?`` -> ``%s``, ``:name`` -> ``%(name)s``, ``%`` -> ``%%``;
    and SQLite's JSON functions into PostgreSQL's (the one construct the stores keep in SQLite's spelling)."""
    sql = _json_functions(sql)

    def one(match):
        token = match.group(0)
        if token == "?":
            return "%s"
        if token == "%":
            return "%%"
        if match.group(1):
            return f"%({match.group(1)})s"
        return token.replace("%", "%%") if token[0] in "'\"-" else token

    return _TOKEN.sub(one, sql)


_INSERT = re.compile(r"^\s*INSERT\s+INTO\s+(\w+)", re.I)


@functools.lru_cache(maxsize=2048)
def _translated(sql: str):
    """The statement in psycopg's terms, and the table it inserts into when it asks for no RETURNING (else None)."""
    sql = translate(sql)
    table = _INSERT.match(sql)
    return sql, (table.group(1) if table and "RETURNING" not in sql.upper() else None)


# --------------------------------------------------------------------------- the database object


class Cursor:
    """The answer of ``db.execute``: rows as tuples, ``rowcount``, and ``lastrowid`` of an insert.

    The rows are read when the statement runs: the connection's one cursor is free for the next."""

    def __init__(self, rows, rowcount, lastrowid=None):
        self._rows, self._next = rows, 0
        self.rowcount = rowcount
        self.lastrowid = lastrowid

    def fetchone(self):
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    def fetchall(self):
        rows, self._next = self._rows[self._next:], len(self._rows)
        return rows

    def __iter__(self):
        return iter(self.fetchall())


class Table:
    """``db.table(name)``: the sqlite-utils calls the stores make (insert, update, upsert_all)."""

    def __init__(self, db, name):
        self.db, self.name = db, name
        self.last_pk = None

    def insert(self, record):
        columns = list(record)
        returning = " RETURNING id" if self.name in self.db.identity_tables else ""
        cursor = self.db.conn.execute(
            f"INSERT INTO {self.name} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}){returning}",
            list(record.values()))
        self.last_pk = cursor.fetchone()[0] if returning else None
        return self

    def update(self, pk, changes):
        sets = ", ".join(f"{column} = %s" for column in changes)
        self.db.conn.execute(f"UPDATE {self.name} SET {sets} WHERE id = %s", [*changes.values(), pk])
        self.last_pk = pk
        return self

    @property
    def count(self):
        return self.db.conn.execute(f"SELECT COUNT(*) FROM {self.name}").fetchone()[0]

    def count_where(self, where, params=None):
        return next(iter(self.db.execute(f"SELECT COUNT(*) FROM {self.name} WHERE {where}", params)))[0]

    def insert_all(self, records):
        for record in records:
            self.insert(record)
        return self

    def upsert_all(self, records, pk):
        """Insert each record, or update the columns it names where ``pk`` already exists."""
        for record in records:
            columns = list(record)
            updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c != pk)
            self.db.conn.execute(
                f"""INSERT INTO {self.name} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})
                    ON CONFLICT ({pk}) DO UPDATE SET {updates}""", list(record.values()))
        return self


class Database:
    """A PostgreSQL connection that answers the stores' calls as their sqlite-utils Database does."""

    dialect = "postgresql"

    def __init__(self, conn, *, pool=None, url=""):
        self.conn, self.pool, self.path = conn, pool, url
        self.identity_tables = _identity_tables(url, conn)
        self._cursor = _cursor_of(conn)

    def _run(self, sql, params):
        """Run one translated statement on the connection's cursor; return (rows as tuples, rowcount)."""
        cursor = self._cursor
        cursor.execute(sql, params if params is not None else ())
        result = cursor.pgresult
        rows = cursor.fetchall() if result is not None and result.status == TUPLES_OK else []
        return rows, cursor.rowcount

    def execute(self, sql, params=None):
        """Run one statement; an ``INSERT INTO t`` with an ``id`` column reports ``lastrowid`` as on SQLite."""
        sql, returning_table = _translated(sql)
        if returning_table in self.identity_tables:
            rows, count = self._run(sql + " RETURNING id", params)
            return Cursor([], count, lastrowid=rows[0][0] if rows else None)
        return Cursor(*self._run(sql, params))

    def query(self, sql, params=None):
        """Yield the rows of one statement as dicts."""
        rows, _ = self._run(translate(sql), params)
        if rows:
            result = self._cursor.pgresult
            names = [result.fname(i).decode() for i in range(result.nfields)]
            rows = [dict(zip(names, row)) for row in rows]
        yield from rows

    def executescript(self, sql):
        """Run several statements separated by semicolons (schema only: no parameters)."""
        self.conn.execute(sql)

    def table(self, name):
        return Table(self, name)

    @property
    def in_transaction(self):
        """Whether a transaction is open (the connection is in autocommit outside write_transaction)."""
        return self.conn.info.transaction_status != TransactionStatus.IDLE

    @contextlib.contextmanager
    def transaction(self, *, lock=None):
        """One transaction (a savepoint when nested); ``lock`` names an advisory lock held until its end."""
        with self.conn.transaction():
            if lock:
                self.conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [lock])
            yield self

    def release(self):
        """Give a borrowed connection back to its pool (rolled back there if a transaction was left open)."""
        if self.pool is not None:
            _local.__dict__.get("borrowed", {}).pop(self.path, None)
            self.pool.putconn(self.conn)

    def close(self):
        if self.pool is not None:
            self.release()
        else:
            self.conn.close()


# One cursor for every statement of a connection, kept while the connection lives (across the requests
# the pool lends it to): a new cursor per statement looks up each column's loader again, about a third
# of psycopg's time per statement.
_cursors: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_cursors_lock = threading.Lock()


def _cursor_of(conn):
    with _cursors_lock:
        cursor = _cursors.get(conn)
        if cursor is None or cursor.closed:
            cursor = _cursors[conn] = conn.cursor()
        return cursor


_identity = {}


def _identity_tables(url, conn):
    """Tables whose ``id`` PostgreSQL generates (where an insert reports the new id), read once per database."""
    tables = _identity.get(url)  # one look-up: forget_schema may drop the entry from another thread meanwhile
    if not tables:
        tables = _identity[url] = {row[0] for row in conn.execute(
            "SELECT table_name FROM information_schema.columns "
            "WHERE column_name = 'id' AND is_identity = 'YES' AND table_schema = current_schema()")}
    return tables


def forget_schema(url):
    """Re-read the schema facts (after migrations ran)."""
    _identity.pop(url, None)


# --------------------------------------------------------------------------- connections


_pools: dict[str, ConnectionPool] = {}
_pools_lock = threading.Lock()
_local = threading.local()


def connect(url):
    """Open a connection of its own (commands, workers, tests); ``close()`` closes it."""
    conn = psycopg.connect(url, autocommit=True)
    _configure(conn)
    return Database(conn, url=url)


def _pool(url):
    with _pools_lock:
        if url not in _pools:
            _pools[url] = ConnectionPool(url, min_size=1, max_size=POOL_MAX, configure=_configure,
                                         kwargs={"autocommit": True}, open=True)
        return _pools[url]


def borrow(url):
    """Return this thread's connection from the pool, borrowing one on first use; ``release()`` gives it back."""
    borrowed = _local.__dict__.setdefault("borrowed", {})
    if url not in borrowed:
        pool = _pool(url)
        borrowed[url] = Database(pool.getconn(), pool=pool, url=url)
    return borrowed[url]


def close_pool(url):
    """Close this process's pool for one database (a test's database, before it is dropped)."""
    with _pools_lock:
        pool = _pools.pop(url, None)
    _local.__dict__.get("borrowed", {}).pop(url, None)
    if pool is not None:
        pool.close()


def close_pools():
    """Close every pool of this process (tests, before a fork)."""
    with _pools_lock:
        for pool in _pools.values():
            pool.close()
        _pools.clear()
