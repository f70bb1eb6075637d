"""Threads: one per roundtable activity per cohort, with a version counter that drives ETags."""

from __future__ import annotations

from comments_server import access
from comments_server.domain.timeutil import now_iso
from comments_server.store import community
from comments_server.store.db import write_transaction

THREAD_SELECT = """
SELECT t.id, t.activity_id, t.cohort_id, t.kind, t.version, a.prompt, a.program_id,
       m.id AS module_id, m.title AS module_title, m.url AS module_url,
       COALESCE(m.content_hash, '') AS content_hash
FROM threads t LEFT JOIN activities a ON a.id = t.activity_id LEFT JOIN modules m ON m.id = a.module_id
"""
# LEFT JOINs: forum topics, blog posts and ask-the-author questions own threads
# with no activity (store/community.py decides who sees those).


def _get(db, where, params):
    """Return one thread row with its activity and module, or None."""
    return next(db.query(f"{THREAD_SELECT} WHERE {where}", params), None)


def get_or_add(db, *, activity_id, cohort_id, kind="roundtable"):
    """Return the thread of an activity in a cohort, creating it on first use."""
    row = _get(db, "t.activity_id = ? AND t.cohort_id = ?", [activity_id, cohort_id])
    if row is None:
        with write_transaction(db):
            db.execute(
                """INSERT OR IGNORE INTO threads (activity_id, cohort_id, kind, created, version)
                   VALUES (?, ?, ?, ?, 0)""",
                [activity_id, cohort_id, kind, now_iso()],
            )
        row = _get(db, "t.activity_id = ? AND t.cohort_id = ?", [activity_id, cohort_id])
    return row


def get_visible(db, *, thread_id, viewer):
    """Return a thread the viewer may see, or None (which the view answers with 404)."""
    row = _get(db, "t.id = ?", [thread_id])
    if row is not None and row["kind"] in community.KINDS:
        return community.visible_thread(db, thread=row, viewer=viewer)
    if row is None or row["cohort_id"] not in access.visible_cohort_ids(db, viewer):
        return None
    return row


def context(db, *, thread, viewer):
    """Return what the comment engine needs to know about the viewer of a visible thread."""
    if thread["kind"] in community.KINDS:
        return community.context(db, thread=thread, viewer=viewer)
    return access.thread_context(viewer, thread["cohort_id"], thread["content_hash"])


def bump_version(db, *, thread_id):
    """Move the thread's version on, so every cached copy (ETag) goes stale."""
    db.execute("UPDATE threads SET version = version + 1 WHERE id = ?", [thread_id])


def public(thread, ctx):
    """Return the thread part of the thread JSON."""
    return {
        "id": thread["id"], "activity_id": thread["activity_id"], "cohort_id": thread["cohort_id"],
        "prompt": thread["prompt"],
        "module": {"id": thread["module_id"], "title": thread["module_title"],
                   "url": thread["module_url"], "content_hash": thread["content_hash"]},
        "can_post": ctx["can_post"],
    }
