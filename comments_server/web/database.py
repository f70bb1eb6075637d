"""This request's database: a pooled connection per request in ``flask.g``, migrations at start-up."""

from __future__ import annotations

from flask import current_app, g

from comments_server.store.db import connect, pooled, release


def get_db():
    """Return this request's database, opened on first use and released at teardown."""
    if "db" not in g:
        g.db = pooled(current_app.config["DATABASE"])
    return g.db


def close_db(exc=None):
    """Release this request's database: roll back anything left open, keep the connection."""
    db = g.pop("db", None)
    if db is not None:
        release(db)


def init_app(app):
    """Apply pending migrations and register the teardown."""
    from comments_server.store import schema

    db = connect(app.config["DATABASE"])
    try:
        schema.apply(db)
    finally:
        db.close()
    app.teardown_appcontext(close_db)
