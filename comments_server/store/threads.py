"""Threads: one per roundtable activity per cohort, with a version counter that drives ETags.

A roundtable thread is stored by the first post into it, never by a read: until
then it reads as a *virtual* thread (no row, no comments, version 0) whose id
is a stable key naming the activity and cohort (``virtual_key``). Posting to
that key stores the row with ``INSERT ... ON CONFLICT DO NOTHING`` on the
unique (activity_id, cohort_id), so two first posts at once make one thread.
"""

from __future__ import annotations

import base64
import binascii
import json

from comments_server.domain.timeutil import now_iso

THREAD_SELECT = """
SELECT t.id, t.activity_id, t.cohort_id, t.kind, t.version, a.prompt, a.program_id,
       m.id AS module_id, m.title AS module_title, m.url AS module_url,
       COALESCE(m.content_hash, '') AS content_hash
FROM threads t LEFT JOIN activities a ON a.id = t.activity_id LEFT JOIN modules m ON m.id = a.module_id
"""
# LEFT JOINs: forum topics, blog posts and ask-the-author questions own threads
# with no activity (access/community.py decides who sees those).

VIRTUAL_PREFIX = "new."


def _get(db, where, params):
    """Return one thread row with its activity and module, or None."""
    return next(db.query(f"{THREAD_SELECT} WHERE {where}", params), None)


def get(db, *, thread_id):
    """Return a stored thread by id, or None."""
    return _get(db, "t.id = ?", [thread_id])


def find(db, *, activity_id, cohort_id):
    """Return the stored thread of an activity in a cohort, or None."""
    return _get(db, "t.activity_id = ? AND t.cohort_id = ?", [activity_id, cohort_id])


def find_many(db, *, pairs):
    """Return {activity id: {id, version}} of the stored roundtable threads of (activity id, cohort id) pairs."""
    if not pairs:
        return {}
    wanted = set(pairs)
    activities, cohorts = sorted({a for a, _ in wanted}), sorted({c for _, c in wanted})
    # both lists through UNIQUE (activity_id, cohort_id), then the pairs asked for: a row-value
    # `IN (VALUES ...)` read every thread, and a join on a VALUES list cost more than the rows it found
    rows = db.query(
        f"""SELECT id, activity_id, cohort_id, version FROM threads
            WHERE activity_id IN ({",".join("?" * len(activities))}) AND cohort_id IN ({",".join("?" * len(cohorts))})""",
        [*activities, *cohorts])
    return {r["activity_id"]: r for r in rows if (r["activity_id"], r["cohort_id"]) in wanted}


def virtual_key(activity_id, cohort_id):
    """Return the id a not-yet-stored roundtable thread answers with (URL-safe, no slash)."""
    raw = json.dumps([activity_id, cohort_id], separators=(",", ":")).encode()
    return VIRTUAL_PREFIX + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def parse_key(key):
    """Return (activity_id, cohort_id) of a virtual thread key, or None if it is not one."""
    if not isinstance(key, str) or not key.startswith(VIRTUAL_PREFIX):
        return None
    text = key[len(VIRTUAL_PREFIX):]
    try:
        pair = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, binascii.Error):
        return None
    if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
        return None
    return pair[0], pair[1]


def roundtable(db, *, activity_id, cohort_id):
    """Return the roundtable thread of an activity in a cohort: stored, or virtual (not written)."""
    row = find(db, activity_id=activity_id, cohort_id=cohort_id)
    if row is not None:
        return row
    base = next(db.query(
        """SELECT a.prompt, a.program_id, m.id AS module_id, m.title AS module_title, m.url AS module_url,
                  COALESCE(m.content_hash, '') AS content_hash
           FROM activities a LEFT JOIN modules m ON m.id = a.module_id, cohorts c
           WHERE a.id = ? AND a.kind = 'roundtable' AND c.id = ? AND c.program_id = a.program_id""",
        [activity_id, cohort_id]), None)
    if base is None:
        return None
    return {"id": virtual_key(activity_id, cohort_id), "activity_id": activity_id, "cohort_id": cohort_id,
            "kind": "roundtable", "version": 0, **base, "virtual": True}


def get_by_ref(db, *, ref):
    """Return a thread by id, or by virtual key (stored if a post made it since, else virtual); None if neither."""
    if isinstance(ref, int):
        return get(db, thread_id=ref)
    pair = parse_key(ref)
    return roundtable(db, activity_id=pair[0], cohort_id=pair[1]) if pair else None


def store_virtual(db, *, thread):
    """Store a virtual roundtable thread (the first post does this); return the stored row. Inside a write."""
    db.execute(
        """INSERT INTO threads (activity_id, cohort_id, kind, created, version) VALUES (?, ?, 'roundtable', ?, 0)
           ON CONFLICT (activity_id, cohort_id) DO NOTHING""",
        [thread["activity_id"], thread["cohort_id"], now_iso()],
    )
    return find(db, activity_id=thread["activity_id"], cohort_id=thread["cohort_id"])


def bump_version(db, *, thread_id):
    """Move the thread's version on, so every cached copy (ETag) goes stale."""
    db.execute("UPDATE threads SET version = version + 1 WHERE id = ?", [thread_id])


def bump_versions_of_author(db, *, user_id):
    """Move on the version of every thread a person wrote in: their name, badges or words changed.

    Pages of comments are cached per process and per thread version
    (store/comments.PageCache) and their ETags follow the version, so without
    this every server would go on serving the old name (or an erased
    person's text) until the thread's next post.
    """
    db.execute("UPDATE threads SET version = version + 1 "
               "WHERE id IN (SELECT DISTINCT thread_id FROM comments WHERE author_id = ?)", [user_id])
