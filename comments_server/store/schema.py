"""Apply the schema to either engine: sqlite-utils migrations on SQLite, their derived form on PostgreSQL."""

from __future__ import annotations


def apply(db):
    """Apply pending migrations; return the names of every applied one."""
    if db.dialect == "postgresql":
        from comments_server.store import pg_schema

        return pg_schema.apply(db)
    from comments_server.store.migrations import migrations

    migrations.apply(db)
    return [m.name for m in migrations.applied(db)]
