"""Comments: the rows of a thread and their writes (SQL only; actions/comments.py orchestrates)."""

from __future__ import annotations

import threading
from collections import OrderedDict

from comments_server.domain.timeutil import now_iso

# One query for a page: authors, badges and marks come in the same statement,
# and reply/helpful counts are kept on the row at write time (migration 0003),
# so a 200-comment read is one index scan, not 600 queries.
COMMENT_SELECT = """
SELECT c.id, c.thread_id, c.parent_id, c.author_id, c.body_md, c.body_html, c.created, c.edited,
       c.deleted, c.hidden, c.is_question, c.question_answered_by, c.revision, c.helpful_count,
       c.reply_count > 0 AS has_replies,
       u.name AS author_name, u.admin AS author_admin, m.role AS author_role,
       EXISTS (SELECT 1 FROM comment_helpful h
               WHERE h.comment_id = c.id AND h.user_id = :viewer) AS mine
FROM comments c JOIN threads t ON t.id = c.thread_id JOIN users u ON u.id = c.author_id
LEFT JOIN memberships m ON m.user_id = c.author_id AND m.cohort_id = t.cohort_id
"""

# Deleted comments, and hidden ones for people who may not moderate, are
# only listed (as placeholders) when live replies hang off them.
LISTED = "(c.deleted IS NULL AND (c.hidden = FALSE OR :moderator)) OR c.reply_count > 0"


def list_page(db, *, thread, moderator, viewer_id, after=0, limit=100):
    """Return one page of a thread's comment rows after id ``after``: (rows, ids the viewer marked, has_more)."""
    if thread.get("virtual"):
        return [], set(), False  # not stored yet: nothing to read
    rows = _page_rows(db, thread, moderator, after, limit + 1)
    marked = _marked_by(db, thread["id"], viewer_id) if rows else set()
    return rows[:limit], marked, len(rows) > limit


class PageCache:
    """Recently read pages of rows, shared by every viewer in this process.

    The key holds the thread's version, which every write moves on, so an
    entry can never be stale for comments; badges and names follow at the
    thread's next write.
    """

    def __init__(self, size=64):
        self.size, self.entries, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        """Return the rows stored under ``key``, or None."""
        with self.lock:
            rows = self.entries.get(key)
            if rows is not None:
                self.entries.move_to_end(key)
            return rows

    def put(self, key, rows):
        """Store rows, dropping the least recently used page beyond the size."""
        with self.lock:
            self.entries[key] = rows
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


PAGES = PageCache()


def page_key(db, *, thread, moderator, after, limit):
    """Name one page of a thread as of its version: the same key means the same rows (caches above use it too)."""
    # the file path keeps apart databases served by one process (tests, several instances)
    return getattr(db, "path", None), thread["id"], thread["version"], bool(moderator), after, limit


def _page_rows(db, thread, moderator, after, limit):
    """Return the rows of one page (without per-viewer marks), from the cache when fresh."""
    key = page_key(db, thread=thread, moderator=moderator, after=after, limit=limit)
    rows = PAGES.get(key)
    if rows is None:
        rows = list(db.query(
            f"{COMMENT_SELECT} WHERE c.thread_id = :thread AND c.id > :after AND ({LISTED})"
            " ORDER BY c.id LIMIT :limit",
            {"thread": thread["id"], "after": after, "limit": limit, "viewer": None,
             "moderator": int(moderator)},
        ))
        PAGES.put(key, rows)
    return rows


COUNTS = PageCache(size=4096)  # (database, thread id, version) -> live comments; a write moves the version


def live_counts(db, *, threads):
    """Return {thread id: comments everyone sees (not deleted, not hidden)} for stored thread rows.

    Kept per thread version in the process, so an index page's repeated reads
    count only the threads written to since.
    """
    path, out, missing = getattr(db, "path", None), {}, []
    for thread in threads:
        count = COUNTS.get((path, thread["id"], thread["version"]))
        if count is None:
            missing.append(thread)
        else:
            out[thread["id"]] = count
    if missing:
        marks = ",".join("?" * len(missing))
        counted = {r["thread_id"]: r["n"] for r in db.query(
            f"SELECT thread_id, COUNT(*) AS n FROM comments WHERE thread_id IN ({marks})"
            " AND deleted IS NULL AND hidden = FALSE GROUP BY thread_id", [t["id"] for t in missing])}
        for thread in missing:
            out[thread["id"]] = counted.get(thread["id"], 0)
            COUNTS.put((path, thread["id"], thread["version"]), out[thread["id"]])
    return out


def _marked_by(db, thread_id, viewer_id):
    """Return the ids of the thread's comments this viewer marked helpful."""
    return {row[0] for row in db.execute(
        """SELECT h.comment_id FROM comment_helpful h JOIN comments c ON c.id = h.comment_id
           WHERE c.thread_id = ? AND h.user_id = ?""", [thread_id, viewer_id])}


def get_row(db, *, comment_id, viewer_id=None):
    """Return one comment row with author and counts (``mine``: marked by ``viewer_id``), or None."""
    return next(db.query(f"{COMMENT_SELECT} WHERE c.id = :id",
                         {"id": comment_id, "viewer": viewer_id}), None)


def insert(db, *, thread_id, author_id, body_md, body_html, revision, parent_id=None, question=False):
    """Insert a comment (or reply) and return its id; call inside the action's write."""
    # plain SQL: Table.insert() reads the schema first, on the hottest write path
    comment_id = db.execute(
        """INSERT INTO comments (thread_id, parent_id, author_id, body_md, body_html, created,
                                 hidden, is_question, revision)
           VALUES (?, ?, ?, ?, ?, ?, FALSE, ?, ?)""",
        [thread_id, parent_id, author_id, body_md, body_html, now_iso(), int(bool(question)), revision],
    ).lastrowid
    if parent_id is not None:
        _count(db, "reply_count", parent_id, +1)
    return comment_id


def mark_answered(db, *, question_id, answer_id):
    """Record the first answer to an open question (a later answer leaves it as it is)."""
    db.execute("UPDATE comments SET question_answered_by = ? WHERE id = ? AND question_answered_by IS NULL",
               [answer_id, question_id])


def update_text(db, *, comment_id, body_md, body_html, revision):
    """Replace a comment's text, mark it edited and move its revision on."""
    db.execute("UPDATE comments SET body_md = ?, body_html = ?, edited = ?, revision = ? WHERE id = ?",
               [body_md, body_html, now_iso(), revision, comment_id])


def mark_deleted(db, *, comment_id, parent_id):
    """Soft-delete a comment: the text goes; with replies it stays listed as "deleted"."""
    db.execute("UPDATE comments SET deleted = ?, body_md = '', body_html = '' WHERE id = ?",
               [now_iso(), comment_id])
    if parent_id is not None:
        _count(db, "reply_count", parent_id, -1)


def set_hidden(db, *, comment_id, hidden):
    """Hide a comment from learners (or show it again)."""
    db.execute("UPDATE comments SET hidden = ? WHERE id = ?", [int(hidden), comment_id])


def set_helpful(db, *, comment_id, user_id, helpful):
    """Mark (or unmark) a comment as helpful to a person; idempotent, the kept count follows."""
    if helpful:
        changed = db.execute("""INSERT INTO comment_helpful (comment_id, user_id, created) VALUES (?, ?, ?)
                                ON CONFLICT DO NOTHING""", [comment_id, user_id, now_iso()])
    else:
        changed = db.execute("DELETE FROM comment_helpful WHERE comment_id = ? AND user_id = ?",
                             [comment_id, user_id])
    if changed.rowcount:
        _count(db, "helpful_count", comment_id, +1 if helpful else -1)


def _count(db, column, comment_id, step):
    """Move one of a comment's kept counts by ``step``."""
    db.execute(f"UPDATE comments SET {column} = {column} + ? WHERE id = ?", [step, comment_id])


def existing(db, *, thread_id, author_id, body_md):
    """Return the id of a live comment with this text by this author in a thread, or None (demo seeding)."""
    row = next(db.query("SELECT id FROM comments WHERE thread_id = ? AND author_id = ? AND body_md = ?"
                        " AND deleted IS NULL", [thread_id, author_id, body_md]), None)
    return row["id"] if row else None
