"""What forums, blogs and ask-the-author share: their threads in the one comment engine, scopes and events.

A community thread is a ``threads`` row with no activity (kind ``forum``,
``blog`` or ``ask``); the topic, post or question that owns it decides who
sees it and who may post (access/community.py).
"""

from __future__ import annotations

from comments_server.domain.timeutil import now_iso
from comments_server.store import events

KINDS = {"forum", "blog", "ask"}

events.VERBS.update({
    "created": "http://activitystrea.ms/schema/1.0/create",
    "pinned": "https://roundtable.invalid/xapi/verbs/pinned",
    "locked": "https://roundtable.invalid/xapi/verbs/locked",
    "moved": "https://roundtable.invalid/xapi/verbs/moved",
    "subscribed": "https://roundtable.invalid/xapi/verbs/subscribed",
    "unsubscribed": "https://roundtable.invalid/xapi/verbs/unsubscribed",
    "reverted": "https://roundtable.invalid/xapi/verbs/reverted",
    "protected": "https://roundtable.invalid/xapi/verbs/protected",
    "published": "https://roundtable.invalid/xapi/verbs/published",
})


def add_thread(db, *, kind, cohort_id=None):
    """Insert an empty community thread and return its id (call inside the owner's transaction)."""
    return db.table("threads").insert({"kind": kind, "cohort_id": cohort_id, "created": now_iso(),
                                       "version": 0}).last_pk


def program_ids_of_cohorts(db, *, cohort_ids):
    """Return the programs of some cohorts."""
    if not cohort_ids:
        return set()
    marks = ",".join("?" for _ in cohort_ids)
    return {row["program_id"] for row in db.query(
        f"SELECT DISTINCT program_id FROM cohorts WHERE id IN ({marks})", list(cohort_ids))}


def object_for(kind, ref):
    """Return the xAPI object for a community record, e.g. ("topic", 12)."""
    return {"objectType": "Activity", "id": f"urn:roundtable:{kind}:{ref}",
            "definition": {"type": f"urn:roundtable:activitytype:{kind}"}}


def add_event(db, *, user, verb, kind, ref, cohort_id=None, result=None, extensions=None):
    """Append one xAPI-shaped statement about a community record (inside the write's transaction)."""
    events.add_event(db, user=user, verb=verb, obj=object_for(kind, ref), cohort_id=cohort_id,
                     result=result, extensions=extensions)


def mark_read(db, *, user_id, thread_id):
    """Remember the newest comment of a thread the user has seen (the unread marker)."""
    row = next(db.query("SELECT COALESCE(MAX(id), 0) AS last FROM comments WHERE thread_id = ?",
                        [thread_id]))
    db.execute(
        """INSERT INTO thread_reads (user_id, thread_id, last_comment_id, at) VALUES (?, ?, ?, ?)
           ON CONFLICT (user_id, thread_id) DO UPDATE SET
               last_comment_id = CASE WHEN thread_reads.last_comment_id > excluded.last_comment_id
                                      THEN thread_reads.last_comment_id ELSE excluded.last_comment_id END,
               at = excluded.at""",
        [user_id, thread_id, row["last"], now_iso()])
