"""Blogs: everyone's posts in Markdown, visible to a cohort, a program or everyone, each with a comment thread.

Reflections (issue 4's table) become posts of their author through the
triggers of migration 0005, linked to their module and visible to the cohort.
"""

from __future__ import annotations

import json

from comments_server import access
from comments_server.domain.render import render
from comments_server.domain.timeutil import now_iso
from comments_server.store import community
from comments_server.store.db import write_transaction

VISIBILITIES = ("cohort", "program", "everyone")

POST_SELECT = """
SELECT b.*, u.name AS author_name, m.title AS module_title, m.url AS module_url,
       (SELECT COUNT(*) FROM comments c WHERE c.thread_id = b.thread_id AND c.deleted IS NULL
                                          AND c.hidden = 0) AS comment_count
FROM blog_posts b JOIN users u ON u.id = b.author_id LEFT JOIN modules m ON m.id = b.module_id
"""

# The viewer's scope as SQL: their own posts, everyone's, and those of their cohorts and programs.
SCOPE = """b.deleted IS NULL AND (:admin OR b.author_id = :viewer OR b.visibility = 'everyone'
    OR (b.visibility = 'program' AND b.program_id IN (SELECT value FROM json_each(:programs)))
    OR (b.visibility = 'cohort' AND b.cohort_id IN (SELECT value FROM json_each(:cohorts))))"""


def _scope_params(db, viewer):
    """Return the named parameters of SCOPE for a viewer."""
    return {"admin": int(bool(viewer["admin"])), "viewer": viewer["id"],
            "programs": json.dumps(sorted(community.visible_program_ids(db, viewer))),
            "cohorts": json.dumps(sorted(access.visible_cohort_ids(db, viewer)))}


def list_posts(db, *, viewer, author_id=None, program_id=None, limit=50):
    """Return the posts the viewer may read, newest first, of one author or program if given."""
    where, params = [SCOPE], {**_scope_params(db, viewer), "limit": limit}
    if author_id is not None:
        where.append("b.author_id = :author")
        params["author"] = author_id
    if program_id is not None:
        where.append("b.program_id = :program")
        params["program"] = program_id
    rows = db.query(f"{POST_SELECT} WHERE {' AND '.join(where)} ORDER BY b.created DESC, b.id DESC"
                    " LIMIT :limit", params)
    return [to_json(row, viewer, excerpt=True) for row in rows]


def list_bloggers(db, *, viewer):
    """Return the people whose posts the viewer may read (and the viewer), with post counts."""
    rows = db.query(
        f"""SELECT u.id, u.name, COUNT(b.id) AS posts, MAX(b.created) AS latest
            FROM users u LEFT JOIN blog_posts b ON b.author_id = u.id AND {SCOPE}
            GROUP BY u.id HAVING posts > 0 OR u.id = :viewer ORDER BY latest DESC, u.name""",
        _scope_params(db, viewer))
    return [{"id": r["id"], "name": r["name"], "posts": r["posts"], "latest": r["latest"]} for r in rows]


def get_visible(db, *, post_id, viewer):
    """Return a post row the viewer may read, else None."""
    if viewer is None:
        return None
    return next(db.query(f"{POST_SELECT} WHERE b.id = :id AND {SCOPE}",
                         {**_scope_params(db, viewer), "id": post_id}), None)


def permissions(row, viewer):
    """Return what the viewer may do with a post: edit (author), delete (author, admin)."""
    author = row["author_id"] == viewer["id"]
    reflection = row["reflection_id"] is not None
    return {"edit": author, "edit_text": author and not reflection,
            "delete": (author or bool(viewer["admin"])) and not reflection}


def to_json(row, viewer, excerpt=False):
    """Return the API form of a post; ``excerpt`` drops the Markdown source."""
    can = permissions(row, viewer)
    post = {
        "id": row["id"], "thread_id": row["thread_id"], "title": row["title"],
        "body_html": row["body_html"], "author": {"id": row["author_id"], "name": row["author_name"]},
        "visibility": row["visibility"], "cohort_id": row["cohort_id"], "program_id": row["program_id"],
        "module": {"id": row["module_id"], "title": row["module_title"], "url": row["module_url"]}
        if row["module_id"] else None,
        "reflection": row["reflection_id"] is not None, "created": row["created"],
        "edited": row["edited"], "comment_count": row["comment_count"], "can": can,
    }
    if can["edit_text"] and not excerpt:
        post["body"] = row["body_md"]
    return post


def audience(db, *, author, visibility, cohort_id):
    """Return (cohort_id, program_id) of a new post's audience, or raise ValueError saying why."""
    if visibility not in VISIBILITIES:
        raise ValueError(f"'visibility' must be one of {', '.join(VISIBILITIES)}.")
    mine = {m["cohort_id"]: m["program_id"] for m in author["memberships"]}
    if cohort_id is None and mine:
        cohort_id = next(iter(mine))
    if cohort_id is not None and cohort_id not in mine:
        raise ValueError("'cohort' must be one of your cohorts.")
    if cohort_id is None and visibility != "everyone":
        raise ValueError("You are in no cohort: choose visibility 'everyone'.")
    return cohort_id, mine.get(cohort_id)


def add_post(db, *, author, title, body_md, visibility, cohort_id, program_id):
    """Publish a post on the author's blog; return its id."""
    with write_transaction(db):
        post_id = db.table("blog_posts").insert({
            "thread_id": community.add_thread(db, kind="blog"), "author_id": author["id"],
            "title": title, "body_md": body_md, "body_html": render(body_md), "visibility": visibility,
            "cohort_id": cohort_id, "program_id": program_id, "created": now_iso()}).last_pk
        community.add_event(db, user=author, verb="created", kind="post", ref=post_id, cohort_id=cohort_id,
                            result={"response": body_md})
    return post_id


def update_post(db, *, post, editor, changes):
    """Apply an author's changes (title, body_md, visibility, cohort_id, program_id); marked edited."""
    if "body_md" in changes:
        changes["body_html"] = render(changes["body_md"])
    with write_transaction(db):
        db.table("blog_posts").update(post["id"], {**changes, "edited": now_iso()})
        community.add_event(db, user=editor, verb="edited", kind="post", ref=post["id"],
                            cohort_id=post["cohort_id"], result={"response": changes.get("body_md", "")})


def delete_post(db, *, post, actor):
    """Soft-delete a post; its comments go with it."""
    with write_transaction(db):
        db.execute("UPDATE blog_posts SET deleted = ? WHERE id = ?", [now_iso(), post["id"]])
        community.add_event(db, user=actor, verb="deleted", kind="post", ref=post["id"],
                            cohort_id=post["cohort_id"])


def owner_of_thread(db, *, thread_id, viewer):
    """Return what the comment engine needs about the post owning a thread, or None if out of scope."""
    row = next(db.query("SELECT id FROM blog_posts WHERE thread_id = ?", [thread_id]), None)
    post = row and get_visible(db, post_id=row["id"], viewer=viewer)
    if not post:
        return None
    moderator = bool(viewer["admin"]) or post["program_id"] in community.coached_program_ids(viewer)
    return {"object_id": f"blog/post/{post['id']}", "moderator": moderator, "can_post": True,
            "refusal": None}
