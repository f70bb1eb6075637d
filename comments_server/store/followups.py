"""SQL of the after-commit markers: a follow-up (fan-out, derived figures) promised inside an action's write.

A marker is written in the action's transaction, so it exists exactly when the
action does; it is removed once its after-commit follow-ups have run. A marker
left behind (the process died in between, or a follow-up failed) is run again
by the outbox worker (``actions/bus.py`` ``finish_pending``). The payload is
the event as JSON; nothing else reads it.
"""

from __future__ import annotations

from comments_server.domain.timeutil import later_iso, now_iso


def add(db, *, event, payload):
    """Record that ``event`` (its name) still has follow-ups to run; return the marker's id."""
    return db.execute("INSERT INTO pending_followups (event, payload, created) VALUES (?, ?, ?)",
                      [event, payload, now_iso()]).lastrowid


def done(db, *, marker_id):
    """Remove a marker whose follow-ups have all run."""
    db.execute("DELETE FROM pending_followups WHERE id = ?", [marker_id])


def left_behind(db, *, older_than_seconds, max_attempts, limit=100):
    """Markers older than ``older_than_seconds`` that were tried fewer than ``max_attempts`` times, oldest first."""
    before = later_iso(seconds=-older_than_seconds)
    return list(db.query(
        "SELECT id, event, payload, attempts FROM pending_followups WHERE created < ? AND attempts < ?"
        " ORDER BY id LIMIT ?", [before, max_attempts, limit]))


def attempted(db, *, marker_id):
    """Count one more attempt at a marker (a follow-up that keeps failing is not retried forever)."""
    db.execute("UPDATE pending_followups SET attempts = attempts + 1 WHERE id = ?", [marker_id])
