"""Who sees a thread and who may post in it, for every kind: roundtable, forum, blog, ask.

``context`` is the one answer the comment engine, its serialiser and the
notifications ask: None when the thread is out of the viewer's sight, else
what the viewer may do there. A roundtable thread follows its cohort; the
other kinds follow the topic, post or question that owns them
(access/community.py).
"""

from __future__ import annotations

from comments_server.access import POSTING_ROLES, role_in, visible_cohort_ids
from comments_server.access.rules import rule
from comments_server.store import threads

ROUNDTABLE_REFUSAL = "You can read this roundtable but not post in it."


def context(db, viewer, thread):
    """Return what the viewer may do in a thread, or None if it is out of their sight.

    Keys: viewer_id, role, admin, moderator, can_post, refusal (why not, when
    they may not post), content_hash (the module revision comments are
    written against) and object_id (what the xAPI log names the thread by).
    """
    if thread is None or viewer is None:
        return None
    if thread["kind"] != "roundtable":
        from comments_server.access import community

        return community.thread_context(db, viewer, thread)
    if thread["cohort_id"] not in visible_cohort_ids(db, viewer):
        return None
    return roundtable_context(viewer, thread)


def roundtable_context(viewer, thread):
    """Return the context of a roundtable thread already known to be in the viewer's sight."""
    role = role_in(viewer, thread["cohort_id"])
    admin = bool(viewer["admin"])
    return {
        "viewer_id": viewer["id"], "role": role, "admin": admin, "moderator": admin or role == "coach",
        "can_post": admin or role in POSTING_ROLES, "refusal": ROUNDTABLE_REFUSAL,
        "content_hash": thread["content_hash"], "object_id": thread["activity_id"],
    }


def load(db, viewer, ref):
    """Return (thread, ctx) for a thread id or virtual key in the viewer's sight; (thread or None, None) if not."""
    thread = threads.get_by_ref(db, ref=ref)
    return thread, context(db, viewer, thread)


@rule("thread.read", not_found="No such thread.")
def read_thread(db, viewer, thread):
    """Anyone who sees a thread may read it."""
    return True if context(db, viewer, thread) else None


@rule("thread.post", not_found="No such thread.")
def post_in_thread(db, viewer, thread):
    """Post where the thread's context allows it; else say why (locked topic, observer, read-only board)."""
    ctx = context(db, viewer, thread)
    if ctx is None:
        return None
    return True if ctx["can_post"] else ctx["refusal"] or ROUNDTABLE_REFUSAL
