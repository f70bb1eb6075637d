"""Forums: a board per program and one for everyone; topics (each owning a comment thread),
pinning, locking, moving, subscriptions and unread markers. SQL only: who sees a board or a topic is
access/community.py's, and actions/community.py runs each write in its transaction."""

from __future__ import annotations

from comments_server.domain.timeutil import now_iso
from comments_server.store import community

EVERYONE = "everyone"

TOPIC_SELECT = """
SELECT f.*, u.name AS author_name,
       (SELECT COUNT(*) FROM comments c WHERE c.thread_id = f.thread_id AND c.deleted IS NULL
                                          AND c.hidden = FALSE) AS reply_count,
       (SELECT COUNT(*) FROM comments c WHERE c.thread_id = f.thread_id AND c.deleted IS NULL
            AND c.hidden = FALSE AND c.author_id != :viewer AND c.id > COALESCE((SELECT r.last_comment_id FROM thread_reads r
                WHERE r.thread_id = f.thread_id AND r.user_id = :viewer), 0)) AS unread_count,
       f.author_id = :viewer OR EXISTS (SELECT 1 FROM thread_reads r WHERE r.thread_id = f.thread_id
                                              AND r.user_id = :viewer) AS seen,
       EXISTS (SELECT 1 FROM forum_subscriptions s WHERE s.topic_id = f.id
                                                     AND s.user_id = :viewer) AS subscribed
FROM forum_topics f JOIN users u ON u.id = f.author_id
"""


def board_of(program_id):
    """Return the board id of a topic's program_id (None is the board for everyone)."""
    return program_id or EVERYONE


def program(db, *, program_id):
    """Return a program's id and title, or None."""
    return next(db.query("SELECT id, title FROM programs WHERE id = ?", [program_id]), None)


def live_program_ids(db):
    """Return the ids of the programs not retired, in catalog order (one board each)."""
    return [row["id"] for row in db.query("SELECT id FROM programs WHERE retired = FALSE ORDER BY ord, id")]


def board_counts(db, *, program_id, viewer_id):
    """Return (topic count, topics unread by the viewer) of a board."""
    counts = next(db.query(
        f"""SELECT COUNT(*) AS topics, COALESCE(SUM(CASE WHEN unread_count > 0 OR NOT seen THEN 1 ELSE 0 END), 0) AS unread
            FROM ({TOPIC_SELECT} WHERE f.program_id IS NOT DISTINCT FROM :program AND f.deleted IS NULL) AS topics""",
        {"program": program_id, "viewer": viewer_id}))
    return counts["topics"], counts["unread"]


def list_topics(db, *, program_id, viewer_id):
    """Return the rows of a board's live topics, pinned first, then by last activity."""
    return list(db.query(
        f"""{TOPIC_SELECT} WHERE f.program_id IS NOT DISTINCT FROM :program AND f.deleted IS NULL
            ORDER BY f.pinned DESC, f.last_activity DESC, f.id DESC""",
        {"program": program_id, "viewer": viewer_id}))


def topic_row(db, *, topic_id, viewer_id=None):
    """Return one live topic row with its counts (unread, seen, subscribed: for ``viewer_id``), or None."""
    return next(db.query(f"{TOPIC_SELECT} WHERE f.id = :id AND f.deleted IS NULL",
                         {"id": topic_id, "viewer": viewer_id}), None)


def topic_of_thread(db, *, thread_id):
    """Return the id of the live topic owning a thread, or None."""
    row = next(db.query("SELECT id FROM forum_topics WHERE thread_id = ? AND deleted IS NULL", [thread_id]), None)
    return row["id"] if row else None


def add_topic(db, *, program_id, author_id, title, body_md, body_html):
    """Start a topic on a board, with an empty thread for the replies; return its id (inside a write)."""
    stamp = now_iso()
    return db.table("forum_topics").insert({
        "thread_id": community.add_thread(db, kind="forum"), "program_id": program_id,
        "author_id": author_id, "title": title, "body_md": body_md, "body_html": body_html,
        "created": stamp, "last_activity": stamp, "pinned": 0, "locked": 0}).last_pk


def update_topic(db, *, topic_id, title, body_md, body_html):
    """Change a topic's title and opening text; it is marked edited (inside a write)."""
    db.table("forum_topics").update(topic_id, {
        "title": title, "body_md": body_md, "body_html": body_html, "edited": now_iso()})


def delete_topic(db, *, topic_id):
    """Soft-delete a topic: it leaves its board, the search index and every listing (inside a write)."""
    db.execute("UPDATE forum_topics SET deleted = ? WHERE id = ?", [now_iso(), topic_id])


def moderate(db, *, topic, changes):
    """Apply pinned / locked / program_id changes (inside a write); the thread's ETags go stale."""
    db.table("forum_topics").update(topic["id"], changes)
    db.execute("UPDATE threads SET version = version + 1 WHERE id = ?", [topic["thread_id"]])


def is_subscribed(db, *, user_id, board=None, topic_id=None):
    """Tell whether the user follows a board or a topic."""
    column, value = ("board", board) if board is not None else ("topic_id", topic_id)
    return bool(next(db.query(
        f"SELECT 1 FROM forum_subscriptions WHERE user_id = ? AND {column} = ?", [user_id, value]), None))


def set_subscription(db, *, user_id, on, board=None, topic_id=None):
    """Follow (or stop following) a board or a topic; idempotent (inside a write)."""
    column, value = ("board", board) if board is not None else ("topic_id", topic_id)
    if on:  # the partial unique indexes of migration 0005 make a second follow a no-op
        db.execute(f"""INSERT INTO forum_subscriptions (user_id, {column}, created) VALUES (?, ?, ?)
                       ON CONFLICT DO NOTHING""", [user_id, value, now_iso()])
    else:
        db.execute(f"DELETE FROM forum_subscriptions WHERE user_id = ? AND {column} = ?", [user_id, value])


def list_subscriptions(db, *, user_id):
    """Return the rows of the user's subscriptions (boards and topics), oldest first."""
    return list(db.query("SELECT board, topic_id, created FROM forum_subscriptions WHERE user_id = ? ORDER BY id",
                         [user_id]))
