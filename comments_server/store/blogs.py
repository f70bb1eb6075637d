"""Blogs: everyone's posts in Markdown, visible to a cohort, a program or everyone, each with a comment thread.

Reflections (issue 4's table) become posts of their author through the
triggers of migration 0005, linked to their module and visible to the cohort.
"""

from __future__ import annotations

from comments_server.domain.timeutil import now_iso
from comments_server.store import community

VISIBILITIES = ("cohort", "program", "everyone")

POST_SELECT = """
SELECT b.*, u.name AS author_name, m.title AS module_title, m.url AS module_url,
       (SELECT COUNT(*) FROM comments c WHERE c.thread_id = b.thread_id AND c.deleted IS NULL
                                          AND c.hidden = FALSE) AS comment_count
FROM blog_posts b JOIN users u ON u.id = b.author_id LEFT JOIN modules m ON m.id = b.module_id
"""

# The viewer's scope as SQL: their own posts, everyone's, and those of their cohorts and programs.
# Its parameters (``scope``) come from access/community.py's blog_scope(db, viewer).
SCOPE = """b.deleted IS NULL AND (:admin OR b.author_id = :viewer OR b.visibility = 'everyone'
    OR (b.visibility = 'program' AND b.program_id IN (SELECT value FROM json_each(:programs)))
    OR (b.visibility = 'cohort' AND b.cohort_id IN (SELECT value FROM json_each(:cohorts))))"""


def list_posts(db, *, scope, author_id=None, program_id=None, limit=50):
    """Return the rows of the posts in ``scope``, newest first, of one author or program if given."""
    where, params = [SCOPE], {**scope, "limit": limit}
    if author_id is not None:
        where.append("b.author_id = :author")
        params["author"] = author_id
    if program_id is not None:
        where.append("b.program_id = :program")
        params["program"] = program_id
    rows = db.query(f"{POST_SELECT} WHERE {' AND '.join(where)} ORDER BY b.created DESC, b.id DESC"
                    " LIMIT :limit", params)
    return list(rows)


def list_bloggers(db, *, scope):
    """Return the people whose posts the viewer may read (and the viewer), with post counts."""
    rows = db.query(
        f"""SELECT u.id, u.name, COUNT(b.id) AS posts, MAX(b.created) AS latest
            FROM users u LEFT JOIN blog_posts b ON b.author_id = u.id AND {SCOPE}
            GROUP BY u.id HAVING COUNT(b.id) > 0 OR u.id = :viewer ORDER BY latest DESC NULLS LAST, u.name""",
        scope)
    return [{"id": r["id"], "name": r["name"], "posts": r["posts"], "latest": r["latest"]} for r in rows]


def get_in_scope(db, *, post_id, scope):
    """Return a live post row within ``scope``, else None."""
    return next(db.query(f"{POST_SELECT} WHERE b.id = :id AND {SCOPE}", {**scope, "id": post_id}), None)


def post_of_thread(db, *, thread_id):
    """Return the id of the post owning a thread, or None."""
    row = next(db.query("SELECT id FROM blog_posts WHERE thread_id = ?", [thread_id]), None)
    return row["id"] if row else None


class NotYourAudience(ValueError):
    """An audience the author does not have: a cohort they are not in, or a cohort when they are in none."""


def audience(db, *, author, visibility, cohort_id):
    """Return (cohort_id, program_id) of a new post's audience, or raise ValueError (NotYourAudience) saying why."""
    if visibility not in VISIBILITIES:
        raise ValueError(f"'visibility' must be one of {', '.join(VISIBILITIES)}.")
    mine = {m["cohort_id"]: m["program_id"] for m in author["memberships"]}
    if cohort_id is None and mine:
        cohort_id = next(iter(mine))
    if cohort_id is not None and cohort_id not in mine:
        raise NotYourAudience("'cohort' must be one of your cohorts.")
    if cohort_id is None and visibility != "everyone":
        raise NotYourAudience("You are in no cohort: choose visibility 'everyone'.")
    return cohort_id, mine.get(cohort_id)


def add_post(db, *, author_id, title, body_md, body_html, visibility, cohort_id, program_id):
    """Publish a post on the author's blog; return its id (inside a write)."""
    return db.table("blog_posts").insert({
        "thread_id": community.add_thread(db, kind="blog"), "author_id": author_id,
        "title": title, "body_md": body_md, "body_html": body_html, "visibility": visibility,
        "cohort_id": cohort_id, "program_id": program_id, "created": now_iso()}).last_pk


def update_post(db, *, post_id, changes):
    """Apply an author's changes (title, body_md, body_html, visibility, cohort_id, program_id); marked edited."""
    db.table("blog_posts").update(post_id, {**changes, "edited": now_iso()})


def delete_post(db, *, post_id):
    """Soft-delete a post and drop its words (the row stays for its comments' place); inside a write."""
    db.execute("UPDATE blog_posts SET deleted = ?, body_md = '', body_html = '' WHERE id = ?", [now_iso(), post_id])
