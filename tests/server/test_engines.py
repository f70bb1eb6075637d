"""Choosing the engine (ROUNDTABLE_DATABASE_URL) and PostgreSQL's schema: native types, applied once by many servers."""

from __future__ import annotations

import threading

import pytest
from support.postgres import POSTGRES_SECRET

from comments_server import create_app
from comments_server.store import schema
from comments_server.store.db import connect


def test_a_database_url_of_another_kind_is_refused_with_the_fix(tmp_path, site_dir):
    with pytest.raises(ValueError, match=r"neither postgresql://\.\.\. nor sqlite:///PATH.*ROUNDTABLE_DATABASE_URL"):
        create_app({"TESTING": True, "SITE_DIR": str(site_dir), "DATABASE_URL": "mysql://db/roundtable"},
                   instance_path=str(tmp_path / "instance"))


def test_a_sqlite_url_names_the_database_file(tmp_path, site_dir):
    app = create_app({"TESTING": True, "SITE_DIR": str(site_dir), "DATABASE_URL": f"sqlite:///{tmp_path}/other.db"},
                     instance_path=str(tmp_path / "instance"))
    assert app.config["DATABASE"] == f"{tmp_path}/other.db"
    assert (tmp_path / "other.db").exists() and not (tmp_path / "instance" / "roundtable.db").exists()


def test_postgres_schema_uses_native_types_and_a_gin_search_index(postgres_cluster):
    db = connect(postgres_cluster.new_database())
    types = {(r[0], r[1]): r[2] for r in db.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public'")}
    indexes = {r[0]: r[1] for r in db.execute("SELECT indexname, indexdef FROM pg_indexes")}
    db.close()
    assert types[("users", "admin")] == types[("comments", "hidden")] == "boolean"
    assert types[("comments", "created")] == types[("outbox", "next_attempt")] == "timestamp with time zone"
    assert types[("activities", "options")] == types[("events", "context")] == "jsonb"
    assert types[("search_index", "document")] == "tsvector" and "gin" in indexes["search_index_document"].lower()


def test_postgres_answers_each_statement_with_its_own_rows_and_timestamps_as_sqlite_writes_them(postgres_cluster):
    """Every statement of a connection shares one cursor: an answer read late is still its own."""
    db = connect(postgres_cluster.new_database())
    try:
        ids = [db.execute("INSERT INTO users (email, name, created) VALUES (?, ?, ?)",
                          [f"p{i}@example.com", f"Person {i}", moment]).lastrowid
               for i, moment in enumerate(["2027-01-11T09:00:00.000Z", "2027-01-11T09:00:00.500Z",
                                           "2027-01-11T23:59:59.123Z"])]
        people = db.execute("SELECT id, name FROM users ORDER BY id")
        first = people.fetchone()
        counted = db.execute("SELECT COUNT(*) FROM users WHERE name LIKE ?", ["Person%"])
        created = [row["created"] for row in db.query("SELECT created FROM users ORDER BY id")]
        # a moment PostgreSQL prints with microseconds, and one from another zone, read back in UTC
        stored = db.execute("SELECT CAST('2027-01-11 10:00:00.123456+02' AS timestamptz)").fetchone()[0]
        assert first == (ids[0], "Person 0") and people.fetchall() == [(ids[1], "Person 1"), (ids[2], "Person 2")]
        assert people.fetchone() is None and counted.fetchone() == (3,)
        assert created == ["2027-01-11T09:00:00.000Z", "2027-01-11T09:00:00.500Z", "2027-01-11T23:59:59.123Z"]
        assert stored == "2027-01-11T08:00:00.123Z"
        assert db.execute("UPDATE users SET name = ? WHERE id > ?", ["Renamed", ids[0]]).rowcount == 2
    finally:
        db.close()


def test_servers_starting_at_once_apply_the_schema_and_sync_the_catalog_once(postgres_cluster, tmp_path, site_dir):
    url = postgres_cluster.empty_database()
    apps, errors = [], []

    def start(n):
        try:
            apps.append(create_app({"TESTING": True, "SITE_DIR": str(site_dir), "DATABASE_URL": url, **POSTGRES_SECRET},
                                   instance_path=str(tmp_path / f"instance-{n}")))
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == [] and len(apps) == 3
    db = connect(url)
    names = [r[0] for r in db.execute("SELECT name FROM roundtable_migrations")]
    counts = {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("programs", "cohorts", "activities")}
    assert len(names) == len(set(names)) == len(schema.apply(db))
    db.close()
    assert counts == {"programs": 2, "cohorts": 3, "activities": 7}


def _on_postgres_with_a_password(postgres_cluster, monkeypatch, tmp_path, site_dir):
    """Point the commands at a fresh PostgreSQL database through a URL that carries a password."""
    url = postgres_cluster.new_database().replace("roundtable@", "roundtable:hunter2@")  # trust: any password works
    monkeypatch.setenv("ROUNDTABLE_DATABASE_URL", url)
    monkeypatch.setenv("ROUNDTABLE_SECRET_KEY", POSTGRES_SECRET["SECRET_KEY"])
    monkeypatch.setenv("ROUNDTABLE_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("ROUNDTABLE_SITE_DIR", str(site_dir))
    return url


def test_migrate_on_postgres_names_the_database_without_its_password(postgres_cluster, monkeypatch, tmp_path,
                                                                      site_dir):
    from click.testing import CliRunner

    from comments_server.ops.cli import commands

    url = _on_postgres_with_a_password(postgres_cluster, monkeypatch, tmp_path, site_dir)
    result = CliRunner().invoke(commands, ["migrate"])
    assert result.exit_code == 0, result.output
    assert url.replace("roundtable:hunter2@", "roundtable@") in result.output and "hunter2" not in result.output
    assert "0001_initial" in result.output and "0040_sessions" in result.output


def test_backup_on_postgres_points_to_pg_dump(postgres_cluster, monkeypatch, tmp_path, site_dir):
    from click.testing import CliRunner

    from comments_server.ops.cli import commands

    _on_postgres_with_a_password(postgres_cluster, monkeypatch, tmp_path, site_dir)
    result = CliRunner().invoke(commands, ["backup", str(tmp_path / "backup")])
    assert result.exit_code == 1 and "pg_dump" in result.output and "hunter2" not in result.output
    assert not (tmp_path / "backup").exists()
