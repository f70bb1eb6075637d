"""The API form of forum topics, blog posts and author questions, for one viewer."""

from __future__ import annotations

from comments_server.access.community import may_publish, post_permissions, topic_permissions


def topic(row, board, viewer):
    """Return the API form of a topic for the viewer."""
    can = topic_permissions(row, board, viewer)
    out = {
        "id": row["id"], "board": board["id"], "thread_id": row["thread_id"], "title": row["title"],
        "body_html": row["body_html"], "author": {"id": row["author_id"], "name": row["author_name"]},
        "created": row["created"], "edited": row["edited"], "last_activity": row["last_activity"],
        "pinned": bool(row["pinned"]), "locked": bool(row["locked"]),
        "reply_count": row["reply_count"], "unread_count": row["unread_count"],
        "unread": bool(row["unread_count"]) or not row["seen"], "subscribed": bool(row["subscribed"]),
        "can": can,
    }
    if can["edit"]:
        out["body"] = row["body_md"]
    return out


def post(row, viewer, excerpt=False):
    """Return the API form of a post; ``excerpt`` drops the Markdown source."""
    can = post_permissions(row, viewer)
    out = {
        "id": row["id"], "thread_id": row["thread_id"], "title": row["title"],
        "body_html": row["body_html"], "author": {"id": row["author_id"], "name": row["author_name"]},
        "visibility": row["visibility"], "cohort_id": row["cohort_id"], "program_id": row["program_id"],
        "module": {"id": row["module_id"], "title": row["module_title"], "url": row["module_url"]}
        if row["module_id"] else None,
        "reflection": row["reflection_id"] is not None, "created": row["created"],
        "edited": row["edited"], "comment_count": row["comment_count"], "can": can,
    }
    if can["edit_text"] and not excerpt:
        out["body"] = row["body_md"]
    return out


def question(row, viewer):
    """Return the API form of a question."""
    return {"id": row["id"], "thread_id": row["thread_id"], "title": row["title"],
            "module": {"id": row["module_id"], "title": row["module_title"], "url": row["module_url"]},
            "learner": {"id": row["learner_id"], "name": row["learner_name"]},
            "cohort_id": row["cohort_id"], "created": row["created"], "published": row["published"],
            "comment_count": row["comment_count"],
            "can": {"publish": may_publish(row, viewer)}}

