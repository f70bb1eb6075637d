"""The queue items a person set aside (migration 0060): dismissed or snoozed, keyed by the item's stable key."""

from __future__ import annotations


def marks_of(db, *, user_id):
    """``{item_key: {action, state, until}}`` of one person."""
    return {r["item_key"]: r for r in db.query(
        "SELECT item_key, action, state, until FROM queue_marks WHERE user_id = ?", [user_id])}


def set_mark(db, *, user_id, item_key, action, state, until, at):
    """Dismiss or snooze an item (replacing an earlier mark on it)."""
    db.execute(
        """INSERT INTO queue_marks (user_id, item_key, action, state, until, created) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (user_id, item_key) DO UPDATE SET action = excluded.action, state = excluded.state,
           until = excluded.until, created = excluded.created""",
        [user_id, item_key, action, state, until, at])


def clear_mark(db, *, user_id, item_key):
    """Put an item back in the queue; return whether it had a mark."""
    return db.execute("DELETE FROM queue_marks WHERE user_id = ? AND item_key = ?", [user_id, item_key]).rowcount > 0
