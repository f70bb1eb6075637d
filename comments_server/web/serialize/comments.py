"""The API form of threads and comments, for the viewer a thread context (access/threads.py) describes."""

from __future__ import annotations

from comments_server.access.comments import permissions


def comment(row, ctx, marked=None):
    """Return the API form of a comment row for the viewer described by ``ctx``."""
    placeholder = bool(row["deleted"]) or (bool(row["hidden"]) and not ctx["moderator"])
    can = permissions(row, ctx)
    out = {
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
        out["body"] = row["body_md"]
    return out


def _badges(row):
    """Return the author's badges: their role in the thread's cohort, then admin."""
    badges = [row["author_role"]] if row["author_role"] in ("learner", "coach", "manager") else []
    return badges + (["admin"] if row["author_admin"] else [])


def page(rows, marked, has_more, ctx):
    """Return one page of comments: {comments, has_more, next_after}."""
    return {
        "comments": [comment(row, ctx, marked=row["id"] in marked) for row in rows],
        "has_more": has_more,
        "next_after": rows[-1]["id"] if has_more else None,
    }


def roundtable_thread(thread, ctx):
    """Return the thread part of a roundtable's thread JSON."""
    return {
        "id": thread["id"], "activity_id": thread["activity_id"], "cohort_id": thread["cohort_id"],
        "prompt": thread["prompt"],
        "module": {"id": thread["module_id"], "title": thread["module_title"],
                   "url": thread["module_url"], "content_hash": thread["content_hash"]},
        "can_post": ctx["can_post"],
    }


def community_thread(thread, ctx):
    """Return the thread part of a forum, blog or ask thread's JSON."""
    return {"id": thread["id"], "kind": thread["kind"], "prompt": "", "can_post": ctx["can_post"],
            "refusal": None if ctx["can_post"] else ctx["refusal"]}
