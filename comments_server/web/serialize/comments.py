"""The API form of threads and comments, for the viewer a thread context (access/threads.py) describes."""

from __future__ import annotations

from comments_server.access.comments import page_permissions, permissions
from comments_server.store.comments import PageCache


def comment(row, ctx, marked=None):
    """Return the API form of a comment row for the viewer described by ``ctx``."""
    return _for_viewer(_shared(row, ctx["moderator"]), row, ctx, bool(row["mine"] if marked is None else marked),
                       permissions(row, ctx))


def _shared(row, moderator):
    """Return the parts of a comment's API form that are the same for every viewer of one kind (moderator or not).

    The viewer's own parts (marked_helpful_by_me, outdated, can) hold their places for :func:`_for_viewer`.
    """
    placeholder = bool(row["deleted"]) or (bool(row["hidden"]) and not moderator)
    return {
        "id": row["id"], "thread_id": row["thread_id"], "parent_id": row["parent_id"],
        "author": None if placeholder else {
            "id": row["author_id"], "name": row["author_name"], "badges": _badges(row)},
        "body_html": "" if placeholder else row["body_html"],
        "created": row["created"], "edited": row["edited"], "deleted": bool(row["deleted"]),
        "hidden": bool(row["hidden"]), "is_question": bool(row["is_question"]),
        "question_open": bool(row["is_question"]) and row["question_answered_by"] is None,
        "helpful_count": row["helpful_count"], "marked_helpful_by_me": False,
        "revision": row["revision"], "outdated": False, "can": None,
    }


def _for_viewer(shared, row, ctx, marked, can):
    """Return a comment's API form: its shared parts with this viewer's filled in."""
    out = {**shared, "marked_helpful_by_me": marked, "outdated": row["revision"] != ctx["content_hash"], "can": can}
    if can["edit"]:
        out["body"] = row["body_md"]
    return out


def _badges(row):
    """Return the author's badges: their role in the thread's cohort, then admin."""
    badges = [row["author_role"]] if row["author_role"] in ("learner", "coach", "manager") else []
    return badges + (["admin"] if row["author_admin"] else [])


SHARED = PageCache(size=256)  # page key (with the thread's version) -> the shared parts of its comments


def page(rows, marked, has_more, ctx, *, key=None):
    """Return one page of comments: {comments, has_more, next_after}.

    ``key`` names the page as of the thread's version (store/comments.page_key):
    the shared parts of its comments are then built once per process, and each
    read adds only the viewer's own (what they may do: ``access.comments.page_permissions``).
    """
    shared = SHARED.get(key) if key is not None else None
    if shared is None:
        shared = [_shared(row, ctx["moderator"]) for row in rows]
        if key is not None:
            SHARED.put(key, shared)
    out = [_for_viewer(part, row, ctx, row["id"] in marked, can)
           for part, row, can in zip(shared, rows, page_permissions(rows, ctx))]
    return {"comments": out, "has_more": has_more, "next_after": rows[-1]["id"] if has_more else None}


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
