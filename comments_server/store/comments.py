"""Comments: list a page of a thread, add, edit, delete, hide and mark helpful (each with its event)."""

from __future__ import annotations

import threading
from collections import OrderedDict

from comments_server import access
from comments_server.domain.render import render
from comments_server.domain.timeutil import now_iso
from comments_server.notify.events import comment_added
from comments_server.store import completions, events, threads
from comments_server.store.db import write_transaction

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
LISTED = "(c.deleted IS NULL AND (c.hidden = 0 OR :moderator)) OR c.reply_count > 0"


def list_page(db, *, thread, ctx, after=0, limit=100):
    """Return one page of a thread's comments after comment id ``after``, oldest first."""
    rows = _page_rows(db, thread, ctx["moderator"], after, limit + 1)
    marked = _marked_by(db, thread["id"], ctx["viewer_id"]) if rows else set()
    has_more = len(rows) > limit
    rows = rows[:limit]
    return {
        "comments": [to_json(row, ctx, marked=row["id"] in marked) for row in rows],
        "has_more": has_more,
        "next_after": rows[-1]["id"] if has_more else None,
    }


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


def _page_rows(db, thread, moderator, after, limit):
    """Return the rows of one page (without per-viewer marks), from the cache when fresh."""
    # the file path keeps apart databases served by one process (tests, several instances)
    key = (getattr(db, "path", None), thread["id"], thread["version"], bool(moderator), after, limit)
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


def _marked_by(db, thread_id, viewer_id):
    """Return the ids of the thread's comments this viewer marked helpful."""
    return {row[0] for row in db.execute(
        """SELECT h.comment_id FROM comment_helpful h JOIN comments c ON c.id = h.comment_id
           WHERE c.thread_id = ? AND h.user_id = ?""", [thread_id, viewer_id])}


def get_row(db, *, comment_id, viewer_id):
    """Return one comment row with author and counts, or None."""
    return next(db.query(f"{COMMENT_SELECT} WHERE c.id = :id",
                         {"id": comment_id, "viewer": viewer_id}), None)


def get_visible(db, *, comment_id, viewer):
    """Return (comment row, thread, ctx) if the viewer may see the comment, else None."""
    row = get_row(db, comment_id=comment_id, viewer_id=viewer["id"] if viewer else None)
    if row is None or row["deleted"]:
        return None
    thread = threads.get_visible(db, thread_id=row["thread_id"], viewer=viewer)
    if thread is None:
        return None
    ctx = threads.context(db, thread=thread, viewer=viewer)
    if row["hidden"] and not ctx["moderator"]:
        return None
    return row, thread, ctx


def to_json(row, ctx, marked=None):
    """Return the API form of a comment row for the viewer described by ``ctx``."""
    placeholder = bool(row["deleted"]) or (bool(row["hidden"]) and not ctx["moderator"])
    can = access.comment_permissions(row, ctx)
    comment = {
        "id": row["id"], "thread_id": row["thread_id"], "parent_id": row["parent_id"],
        "author": None if placeholder else {
            "id": row["author_id"], "name": row["author_name"], "badges": _badges(row)},
        "body_html": "" if placeholder else row["body_html"],
        "created": row["created"], "edited": row["edited"], "deleted": bool(row["deleted"]),
        "hidden": bool(row["hidden"]), "is_question": bool(row["is_question"]),
        "question_open": bool(row["is_question"]) and row["question_answered_by"] is None,
        "helpful_count": row["helpful_count"], "marked_helpful_by_me": bool(row["mine"] if marked is None else marked),
        "revision": row["revision"], "outdated": row["revision"] != ctx["content_hash"], "can": can,
    }
    if can["edit"]:
        comment["body"] = row["body_md"]
    return comment


def _badges(row):
    """Return the author's badges: their role in the thread's cohort, then admin."""
    badges = [row["author_role"]] if row["author_role"] in ("learner", "coach", "manager") else []
    return badges + (["admin"] if row["author_admin"] else [])


def add(db, *, thread, ctx, author, body_md, parent=None, question=False):
    """Add a comment (or reply) to a thread, answering a question when a coach replies to it."""
    html = render(body_md)  # before taking the write lock: other writers need not wait for it
    with write_transaction(db):
        # plain SQL: Table.insert() reads the schema first, on the hottest write path
        comment_id = db.execute(
            """INSERT INTO comments (thread_id, parent_id, author_id, body_md, body_html, created,
                                     hidden, is_question, revision)
               VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)""",
            [thread["id"], parent["id"] if parent else None, author["id"], body_md, html,
             now_iso(), int(bool(question)), thread["content_hash"]],
        ).lastrowid
        if parent is not None:
            _count(db, "reply_count", parent["id"], +1)
        answers = parent is not None and parent["is_question"] and ctx["moderator"]
        if answers and parent["question_answered_by"] is None:
            db.execute("UPDATE comments SET question_answered_by = ? WHERE id = ?",
                       [comment_id, parent["id"]])
        threads.bump_version(db, thread_id=thread["id"])
        verb = "asked" if question else "answered" if answers else "commented"
        _event(db, author, verb, thread, comment_id, result={"response": body_md})
        comment_added(db, thread=thread, comment_id=comment_id, author=author, parent=parent, body_md=body_md,
                      question=question)  # notifications (issue 7), in this transaction
        # a roundtable post completes its activity: same transaction as the post
        completions.recompute_after_post(db, user_id=author["id"], thread=thread)
    return to_json(get_row(db, comment_id=comment_id, viewer_id=author["id"]), ctx)


def edit(db, *, comment, thread, ctx, editor, body_md):
    """Replace a comment's text, mark it edited and move its revision to the module's current one."""
    with write_transaction(db):
        db.table("comments").update(comment["id"], {
            "body_md": body_md, "body_html": render(body_md), "edited": now_iso(),
            "revision": thread["content_hash"],
        })
        threads.bump_version(db, thread_id=thread["id"])
        _event(db, editor, "edited", thread, comment["id"], result={"response": body_md})
    return to_json(get_row(db, comment_id=comment["id"], viewer_id=editor["id"]), ctx)


def delete(db, *, comment, thread, ctx, actor):
    """Soft-delete a comment: the text goes; with replies it stays listed as "deleted"."""
    with write_transaction(db):
        db.execute("UPDATE comments SET deleted = ?, body_md = '', body_html = '' WHERE id = ?",
                   [now_iso(), comment["id"]])
        if comment["parent_id"] is not None:
            _count(db, "reply_count", comment["parent_id"], -1)
        threads.bump_version(db, thread_id=thread["id"])
        _event(db, actor, "deleted", thread, comment["id"])
        # the author's last live post gone takes the roundtable's completion with it
        completions.recompute_after_post(db, user_id=comment["author_id"], thread=thread)
    row = get_row(db, comment_id=comment["id"], viewer_id=actor["id"])
    return to_json(row, ctx) if row["has_replies"] else None


def set_hidden(db, *, comment, thread, ctx, actor, hidden):
    """Hide a comment from learners (or show it again)."""
    with write_transaction(db):
        db.execute("UPDATE comments SET hidden = ? WHERE id = ?", [int(hidden), comment["id"]])
        threads.bump_version(db, thread_id=thread["id"])
        _event(db, actor, "hid" if hidden else "unhid", thread, comment["id"])
    return to_json(get_row(db, comment_id=comment["id"], viewer_id=actor["id"]), ctx)


def set_helpful(db, *, comment, thread, ctx, actor, helpful):
    """Mark (or unmark) a coach's reply as helpful to this learner."""
    with write_transaction(db):
        if helpful:
            changed = db.execute("""INSERT OR IGNORE INTO comment_helpful (comment_id, user_id, created)
                                    VALUES (?, ?, ?)""", [comment["id"], actor["id"], now_iso()])
        else:
            changed = db.execute("DELETE FROM comment_helpful WHERE comment_id = ? AND user_id = ?",
                                 [comment["id"], actor["id"]])
        if changed.rowcount:
            _count(db, "helpful_count", comment["id"], +1 if helpful else -1)
        threads.bump_version(db, thread_id=thread["id"])
        _event(db, actor, "liked" if helpful else "unliked", thread, comment["id"])
    return to_json(get_row(db, comment_id=comment["id"], viewer_id=actor["id"]), ctx)


def _count(db, column, comment_id, step):
    """Move one of a comment's kept counts by ``step``."""
    db.execute(f"UPDATE comments SET {column} = {column} + ? WHERE id = ?", [step, comment_id])


def _event(db, user, verb, thread, comment_id, result=None):
    """Record one comment event against the thread's activity and cohort."""
    events.add_event(
        db, user=user, verb=verb, obj=events.activity_object(thread["activity_id"], thread["kind"]),
        cohort_id=thread["cohort_id"], result=result,
        extensions={"urn:roundtable:comment": comment_id, "urn:roundtable:thread": thread["id"]},
    )
