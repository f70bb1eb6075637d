"""Signed-in sessions: a row per sign-in, so a session can be ended on the server (sign out, everywhere, by an admin).

The cookie carries a random id; only its hash is stored. A session is live while its
row exists, it has not expired, and it was seen within the idle limit.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from comments_server.domain.timeutil import iso, now
from comments_server.store import users
from comments_server.store.db import DatabaseReadOnly, write_transaction

TOUCH_EVERY = timedelta(hours=1)  # last_seen moves at most hourly: reads stay reads


def _hash(session_id):
    """Return the stored form of a session id."""
    return hashlib.sha256(session_id.encode()).hexdigest()


def begin(db, *, user_id, lifetime):
    """Record a new session for ``user_id`` lasting at most ``lifetime``; return its id (the only time in clear)."""
    session_id = secrets.token_urlsafe(32)
    at = now()
    with write_transaction(db):
        db.execute("INSERT INTO sessions (id_hash, user_id, created, last_seen, expires) VALUES (?, ?, ?, ?, ?)",
                   [_hash(session_id), user_id, iso(at), iso(at), iso(at + lifetime)])
    return session_id


def live_user(db, *, session_id, idle):
    """Return the person of a live session (not ended, not expired, seen within ``idle``), else None.

    The person is a users row with memberships (store/users.py), read with the session in one query:
    this runs on every signed-in request.
    """
    row = next(db.query(
        """SELECT s.last_seen AS session_last_seen, s.expires AS session_expires, u.*
           FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?""", [_hash(session_id)]), None)
    at = now()
    if row is None or row["session_expires"] <= iso(at) or row["session_last_seen"] <= iso(at - idle):
        return None
    if row.pop("session_last_seen") <= iso(at - TOUCH_EVERY):
        try:
            with write_transaction(db):
                db.execute("UPDATE sessions SET last_seen = ? WHERE id_hash = ?", [iso(at), _hash(session_id)])
        except DatabaseReadOnly:  # reading goes on while the folder is read-only; the touch waits
            pass
    del row["session_expires"]
    return users.with_memberships(db, row)


def end(db, *, session_id):
    """End one session (signing out); a copy of its cookie no longer signs anyone in."""
    with write_transaction(db):
        db.execute("DELETE FROM sessions WHERE id_hash = ?", [_hash(session_id)])


def end_all(db, *, user_id):
    """End every session of a person (sign out everywhere; an admin's action); return how many ended."""
    with write_transaction(db):
        return db.execute("DELETE FROM sessions WHERE user_id = ?", [user_id]).rowcount


def count_live(db, *, user_id):
    """How many sessions of a person have not expired (for the admin's view and tests)."""
    return db.execute("SELECT COUNT(*) FROM sessions WHERE user_id = ? AND expires > ?",
                      [user_id, iso(now())]).fetchone()[0]
