"""Moving over: copy a SQLite instance's data into an empty PostgreSQL database, and prove the copy whole.

``copy`` reads one consistent moment of the SQLite database (SQLite's online
backup API into a temporary file, as ``roundtable backup`` does: the server
keeps writing meanwhile), brings that copy to the current migrations, creates
the PostgreSQL schema (``store.schema.apply``) in a database that must hold no
row yet, and streams every table with ``COPY`` in foreign-key order, inside
one PostgreSQL transaction. The tables' own triggers are switched off while
their rows arrive (the derived rows, e.g. the search index and the dashboard
versions, are copied too rather than computed twice); identity sequences
continue after the highest id. Before committing, every table is read back
and compared with the SQLite side: the row count and a checksum of the rows'
values, compared as values (a flag as true/false, a moment as the same
instant, JSON as the same document) so that the two engines' spellings do not
count as differences. Any difference rolls the whole copy back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import tempfile
import time

from comments_server.store import schema
from comments_server.store.db import connect, is_postgres

SKIPPED = ("sqlite_", "_sqlite_migrations", "search_index_")  # SQLite's own tables and the FTS5 shadow tables
PG_ONLY = {"roundtable_migrations"}  # written by the PostgreSQL schema itself
CHECKSUM_BITS = 128


class CopyError(Exception):
    """A copy that cannot go ahead or did not verify; the message says why and what to do."""


def snapshot(database: str, dest: str) -> None:
    """Copy the SQLite database ``database`` as of one moment into the new file ``dest`` (online backup API)."""
    source = sqlite3.connect(database, timeout=30)
    copy = sqlite3.connect(dest)
    try:
        source.backup(copy)  # one consistent moment, while the server keeps writing
    finally:
        copy.close()
        source.close()


def copy(*, database: str, target: str, progress=lambda rows: None, tmp_dir: str | None = None) -> dict:
    """Copy the SQLite database at ``database`` into the empty PostgreSQL database ``target``.

    ``progress(rows)`` is called as rows are sent. Return the report:
    ``{"tables": {name: {"rows": n, "checksum": hex}}, "rows": total, "taken": ISO moment, "seconds": s}``.
    """
    if not is_postgres(target):
        raise CopyError(f"--to {target!r} is not a PostgreSQL URL: give postgresql://user:password@host/name "
                        "of an empty database (createdb NAME).")
    if is_postgres(database) or not os.path.exists(database):
        raise CopyError(f"This instance's database {_safe(database)} is not a SQLite file on this machine: "
                        "run the command where the SQLite instance lives (its ROUNDTABLE_INSTANCE_PATH).")
    import psycopg

    started = time.monotonic()
    try:
        target_db = connect(target)
    except psycopg.Error as exc:
        raise CopyError(f"Cannot connect to {_safe(target)}: {exc}".strip()) from None
    try:
        _refuse_data(target_db.conn, target)
        with tempfile.TemporaryDirectory(dir=tmp_dir, prefix="roundtable-copy-") as tmp:
            path = os.path.join(tmp, "snapshot.db")
            taken = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
            snapshot(database, path)
            source = connect(path)
            try:
                schema.apply(source)  # the snapshot at the migrations the PostgreSQL schema stands for
                schema.apply(target_db)
                tables = _copy_all(source.conn, target, progress)
            finally:
                source.close()
    except psycopg.Error as exc:
        raise CopyError(f"PostgreSQL refused the copy, nothing was kept: {exc}".strip()) from None
    finally:
        target_db.close()
    return {"tables": tables, "rows": sum(t["rows"] for t in tables.values()), "taken": taken,
            "seconds": round(time.monotonic() - started, 2)}


def count_rows(database: str) -> int:
    """Rows in the SQLite database's tables that ``copy`` sends (for a progress bar; 0 when it is not one)."""
    if is_postgres(database) or not os.path.exists(database):
        return 0
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
    try:
        return sum(conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in table_order(conn))
    finally:
        conn.close()


def next_steps(report: dict, *, target: str, instance_path: str) -> str:
    """What the operator does after a verified copy."""
    key = os.path.join(instance_path, "secret_key")
    return f"""Copied {report['rows']} rows in {len(report['tables'])} tables, as of {report['taken']}, in \
{report['seconds']} s; every table's row count and checksum are the same on both sides.
Next:
  1. Stop this server (writes made after {report['taken']} are not in the copy; to include them, stop it
     first and copy again into a new, empty database).
  2. On every app server set ROUNDTABLE_DATABASE_URL={_safe(target)} (with its password).
  3. Give every server this instance's secret key, so sessions and sign-in links stay valid:
     ROUNDTABLE_SECRET_KEY_FILE pointing at a copy of {key} (or ROUNDTABLE_SECRET_KEY).
  4. Uploads: the database holds their metadata only. Put the files where every server reads them
     (ROUNDTABLE_UPLOADS_DIR on a shared folder, or the s3 backend) - see docs/deployment.md.
  5. Restart: roundtable serve (the schema is already there; it checks and starts)."""


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        return f"{scheme}://{credentials.split(':')[0]}@{host}"
    return url


def _refuse_data(conn, target):
    """Stop unless every table of the target database is empty (a migrated, unused database is fine)."""
    tables = [row[0] for row in conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
        "AND table_type = 'BASE TABLE' ORDER BY table_name")]
    held = [t for t in tables if t not in PG_ONLY and conn.execute(f'SELECT EXISTS (SELECT 1 FROM "{t}")').fetchone()[0]]
    if held:
        raise CopyError(f"{_safe(target)} is not empty: {len(held)} of its tables already hold rows "
                        f"({', '.join(held[:3])}{', ...' if len(held) > 3 else ''}). Copy into a new, empty database "
                        "(createdb NAME), so that nothing there is overwritten or mixed with this instance's data.")


def table_order(conn) -> list[str]:
    """The SQLite tables to copy, each after the tables its foreign keys point to."""
    names = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
             if not row[0].startswith(SKIPPED)]
    ordered, seen = [], set()

    def visit(name):
        if name in seen:
            return
        seen.add(name)
        for fk in conn.execute(f'PRAGMA foreign_key_list("{name}")'):
            if fk[2] in names:
                visit(fk[2])
        ordered.append(name)

    for name in names:
        visit(name)
    return ordered


def _pg_columns(conn, table) -> dict[str, str]:
    """Column -> data type of a PostgreSQL table, generated columns left out (PostgreSQL computes them)."""
    return {row[0]: row[1] for row in conn.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = %s AND is_generated = 'NEVER' ORDER BY ordinal_position", [table])}


def _plain(url):
    """A psycopg connection reading values as psycopg gives them, except JSON: as its text, as SQLite holds it."""
    import psycopg
    from psycopg.types.string import TextLoader

    conn = psycopg.connect(url)
    for kind in ("json", "jsonb"):
        conn.adapters.register_loader(kind, TextLoader)
    conn.execute("SET TIME ZONE 'UTC'")
    return conn


def _copy_all(source, target, progress) -> dict:
    """Send every table in one transaction, verify it against the snapshot, commit; return the per-table report."""
    tables = table_order(source)
    with _plain(target) as conn:  # one transaction
        report = {}
        for table in tables:
            conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")  # foreign keys stay checked
        for table in tables:
            report[table] = _copy_table(source, conn, table, progress)
        for table in tables:
            conn.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            if "id" in report[table]["types"]:
                _continue_ids(conn, table)
        wrong = {t: (r, _digest(conn, t, list(r["types"]), r["types"]))
                 for t, r in report.items()}
        wrong = {t: (r, got) for t, (r, got) in wrong.items() if (r["rows"], r["checksum"]) != got}
        if wrong:
            conn.rollback()
            detail = "; ".join(f"{t}: {r['rows']} rows sent, {got[0]} read back" + (
                "" if r["rows"] != got[0] else ", values differ") for t, (r, got) in wrong.items())
            raise CopyError(f"The copy did not verify ({detail}); it was rolled back, the database is empty again. "
                            "Report this with the table names.")
        conn.commit()
    return {t: {"rows": r["rows"], "checksum": r["checksum"]} for t, r in report.items()}


def _copy_table(source, conn, table, progress) -> dict:
    """COPY one table's rows into PostgreSQL, checksumming them on the way; return rows, checksum, column types."""
    pg_types = _pg_columns(conn, table)
    if not pg_types:
        raise CopyError(f"Table {table} of the SQLite database has no counterpart in PostgreSQL's schema "
                        "(comments_server/store/pg_schema.py); the copy was not made.")
    sqlite_columns = [row[1] for row in source.execute(f'PRAGMA table_info("{table}")')]
    missing = [c for c in sqlite_columns if c not in pg_types]
    if missing:
        raise CopyError(f"Columns {', '.join(missing)} of {table} have no PostgreSQL column; the copy was not made.")
    columns = [c for c in pg_types if c in sqlite_columns]
    types = {c: pg_types[c] for c in columns}
    total, rows = 0, 0
    quoted = ", ".join(f'"{c}"' for c in columns)
    with conn.cursor().copy(f"COPY {table} ({quoted}) FROM STDIN") as out:
        cursor = source.execute(f'SELECT {quoted} FROM "{table}"')
        while batch := cursor.fetchmany(2000):
            for row in batch:
                out.write_row(row)
                try:
                    total += _row_hash(row, columns, types)
                except ValueError as exc:  # not JSON, not a moment: PostgreSQL's column would refuse it too
                    key = f" (id {row[columns.index('id')]!r})" if "id" in columns else ""
                    raise CopyError(f"A row of {table}{key} holds a value its PostgreSQL column cannot take: {exc}. "
                                    "Nothing was kept. Correct that row in the SQLite database (take "
                                    "`roundtable backup` first), then copy again.") from None
            rows += len(batch)
            progress(len(batch))
    return {"rows": rows, "checksum": _hex(total), "types": types}


def _continue_ids(conn, table):
    """Let an identity ``id`` continue after the highest copied one."""
    sequence = conn.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table]).fetchone()
    if sequence and sequence[0]:
        conn.execute(f"SELECT setval(%s, COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table}", [sequence[0]])


def checksums(url: str) -> dict:
    """Rows and checksum of every table of a PostgreSQL database, as ``copy`` reports them (to check a copy later)."""
    with _plain(url) as conn:
        names = [row[0] for row in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
            "AND table_type = 'BASE TABLE' ORDER BY table_name") if row[0] not in PG_ONLY]
        result = {}
        for table in names:
            types = _pg_columns(conn, table)
            rows, digest = _digest(conn, table, list(types), types)
            result[table] = {"rows": rows, "checksum": digest}
        return result


def _digest(conn, table, columns, types) -> tuple[int, str]:
    """Rows and checksum of one table read back from PostgreSQL."""
    total, rows = 0, 0
    quoted = ", ".join(f'"{c}"' for c in columns)
    with conn.cursor() as cursor:
        cursor.execute(f"SELECT {quoted} FROM {table}")
        while batch := cursor.fetchmany(2000):
            for row in batch:
                total += _row_hash(row, columns, types)
            rows += len(batch)
    return rows, _hex(total)


def _hex(total: int) -> str:
    return format(total % (1 << CHECKSUM_BITS), "032x")


def _row_hash(row, columns, types) -> int:
    """A row's hash as an integer; a table's checksum is their sum, so row order does not matter."""
    values = []
    for value, column in zip(row, columns):
        try:
            values.append(_value(value, types[column]))
        except ValueError as exc:
            raise ValueError(f"{column} = {value!r:.80} is not {types[column]}: {exc}") from None
    encoded = json.dumps(values, separators=(",", ":"), ensure_ascii=False, default=str).encode()
    return int.from_bytes(hashlib.blake2b(encoded, digest_size=16).digest(), "big")


def _value(value, kind):
    """One value as both engines mean it: SQLite's 0/1, ISO text and JSON text against PostgreSQL's types."""
    if value is None:
        return None
    if kind == "boolean":
        return bool(value)
    if kind.startswith("timestamp"):
        moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.timezone.utc)
        return moment.astimezone(dt.timezone.utc).isoformat()
    if kind in ("jsonb", "json"):
        document = json.loads(value) if isinstance(value, (str, bytes)) else value
        return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if kind in ("bigint", "integer", "smallint"):
        return int(value)
    if kind == "double precision":
        return float(value)
    return value
