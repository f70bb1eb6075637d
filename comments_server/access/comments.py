"""What a viewer may do with one comment: edit, delete, hide, mark helpful, reply.

A comment is in sight when its thread is (access/threads.py), it is not
deleted, and, when hidden, only for those who moderate the thread.
"""

from __future__ import annotations

from comments_server.access import threads as thread_access
from comments_server.access.rules import rule
from comments_server.store import threads

REFUSALS = {
    "edit": "Only the author can edit a comment.",
    "delete": "Only the author or an admin can delete a comment.",
    "hide": "Only a coach of this cohort or an admin can hide a comment.",
    "mark_helpful": "Only a learner of this cohort can mark a coach's reply as helpful.",
}


def permissions(row, ctx):
    """Return what the viewer may do with one comment row: edit, delete, hide, mark_helpful, reply."""
    is_author = row["author_id"] == ctx["viewer_id"]
    live = not row["deleted"]
    visible = live and (not row["hidden"] or ctx["moderator"])
    return {
        "edit": is_author and visible,
        "delete": (is_author or ctx["admin"]) and visible,
        "hide": ctx["moderator"] and live,
        "mark_helpful": live and not row["hidden"] and not is_author
        and ctx["role"] == "learner" and row["author_role"] == "coach",
        "reply": ctx["can_post"] and live and not row["hidden"],
    }


def page_permissions(rows, ctx):
    """Return :func:`permissions` for each row of a page; rows alike in all the rule reads share one answer."""
    decided, out = {}, []
    for row in rows:
        kind = (row["author_id"] == ctx["viewer_id"], not row["deleted"], bool(row["hidden"]),
                row["author_role"] == "coach")
        if kind not in decided:
            decided[kind] = permissions(row, ctx)
        out.append(decided[kind])
    return out


def in_sight(db, viewer, row):
    """Return (thread, ctx) when the viewer may see the comment ``row``, else None."""
    if row is None or row["deleted"]:
        return None
    thread = threads.get(db, thread_id=row["thread_id"])
    ctx = thread_access.context(db, viewer, thread)
    if ctx is None or (row["hidden"] and not ctx["moderator"]):
        return None
    return thread, ctx


def _decide(action):
    """Return the rule of one comment action: out of sight -> None, not allowed -> its refusal."""

    def decide(db, viewer, row):
        seen = in_sight(db, viewer, row)
        if seen is None:
            return None
        return True if permissions(row, seen[1])[action] else REFUSALS[action]

    decide.__name__ = decide.__qualname__ = f"comment_{action}"
    decide.__doc__ = f"May the viewer {action.replace('_', ' ')} this comment? ({REFUSALS[action]})"
    return decide


for _action in REFUSALS:
    rule(f"comment.{_action}", not_found="No such comment.")(_decide(_action))
