"""Blogs: everyone's posts, each person's blog, a program's recent posts; comments go through the thread.

Comments on a post: POST /api/threads/<thread_id>/comments.
"""

from __future__ import annotations

from typing import Annotated, Any

from flask import Blueprint, g
from pydantic import WithJsonSchema

from comments_server.access import community as scopes
from comments_server.actions import community as actions
from comments_server.store import blogs, users
from comments_server.web.database import get_db
from comments_server.web.serialize import community as serialize
from comments_server.web.api._community import thread_page
from comments_server.web.contracts import Body, CommentText, Page, Query, Title, WholeNumber, body, query
from comments_server.web.errors import ApiError
from comments_server.web.security import limiter, login_required, writes_limit

bp = Blueprint("blogs", __name__, url_prefix="/api/blogs")


class Latest(Query):
    """How many of the newest posts."""

    limit: WholeNumber(1, 100) = 30


class Recent(Query):
    """A program's newest posts."""

    program: str = ""
    limit: WholeNumber(1, 50) = 5


Visibility = Annotated[Any, WithJsonSchema({"type": "string", "enum": list(blogs.VISIBILITIES)})]
CohortId = Annotated[Any, WithJsonSchema({"anyOf": [{"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
                                                    {"type": "null"}]})]


class NewPost(Body):
    """A post: title, Markdown text, and who may read it (cohort, program or everyone)."""

    title: Title
    body: CommentText
    visibility: Visibility = "cohort"  # checked with the author's cohorts by store/blogs.audience
    cohort: CohortId = None


class EditPost(Body):
    """Any of a post's title, text, visibility and cohort."""

    # None only when absent (defaults are not validated): a null is refused as before
    title: Title = None
    body: CommentText = None
    visibility: Visibility = None
    cohort: CohortId = None


class NoFields(Body):
    """A request with nothing to say (an empty body is accepted too)."""


def _post(post_id):
    """Return a post row the viewer may read, or answer 404."""
    row = scopes.post_in_sight(get_db(), g.user, post_id)
    if row is None:
        raise ApiError(404, "No such post.")
    return row


def _post_json(post_id):
    """Return a post as the viewer sees it now."""
    return serialize.post(_post(post_id), g.user)


def _audience(data, current=None):
    """Return (visibility, cohort_id, program_id) from a request body, or answer 400."""
    sent = data.model_fields_set
    visibility = data.visibility if "visibility" in sent or not current else current["visibility"]
    cohort = data.cohort if "cohort" in sent or not current else current["cohort_id"]
    if cohort is not None and not isinstance(cohort, str):
        raise ApiError(400, "'cohort' must be a cohort id.")
    try:
        cohort_id, program_id = blogs.audience(get_db(), author=g.user, visibility=visibility,
                                               cohort_id=cohort)
    except blogs.NotYourAudience as exc:  # who the author is, not the request's shape, refuses it
        raise ApiError(409, str(exc)) from None
    except ValueError as exc:
        raise ApiError(400, str(exc)) from None
    return visibility, cohort_id, program_id


@bp.get("")
@login_required
@query(Latest)
def list_blogs():
    """List the people whose posts the viewer may read and the newest posts of all of them."""
    db = get_db()
    scope = scopes.blog_scope(db, g.user)
    rows = blogs.list_posts(db, scope=scope, limit=g.query.limit)
    return {"ok": True, "bloggers": blogs.list_bloggers(db, scope=scope),
            "posts": [serialize.post(row, g.user, excerpt=True) for row in rows],
            "cohorts": [dict(m) for m in g.user["memberships"]]}


@bp.get("/people/<int:user_id>")
@login_required
def get_blog(user_id):
    """Return one person's blog: the posts of theirs the viewer may read."""
    db = get_db()
    author = users.get_user(db, user_id=user_id)
    rows = blogs.list_posts(db, scope=scopes.blog_scope(db, g.user), author_id=user_id) if author else []
    posts = [serialize.post(row, g.user, excerpt=True) for row in rows]
    if author is None or (not posts and user_id != g.user["id"]):
        raise ApiError(404, "No blog of this person is visible to you.")
    return {"ok": True, "author": {"id": author["id"], "name": author["name"]}, "posts": posts}


@bp.get("/recent")
@login_required
@query(Recent)
def recent_posts():
    """Return a program's recent posts the viewer may read (the program page's list)."""
    program_id = g.query.program
    db = get_db()
    if not (g.user["admin"] or program_id in scopes.visible_program_ids(db, g.user)):
        raise ApiError(404, f"No program '{program_id}' of yours.")
    rows = blogs.list_posts(db, scope=scopes.blog_scope(db, g.user), program_id=program_id,
                            limit=g.query.limit)
    posts = [serialize.post(row, g.user, excerpt=True) for row in rows]
    return {"ok": True, "program_id": program_id, "posts": posts}


@bp.post("/posts")
@login_required
@limiter.limit(writes_limit)
@body(NewPost)
def create_post():
    """Publish a post on one's own blog, visible to a cohort, a program or everyone."""
    visibility, cohort_id, program_id = _audience(g.body)
    post_id = actions.publish_post(get_db(), viewer=g.user, title=g.body.title, body_md=g.body.body,
                                   visibility=visibility,
                                   cohort_id=cohort_id, program_id=program_id)
    return {"ok": True, "post": _post_json(post_id)}, 201


@bp.get("/posts/<int:post_id>")
@login_required
@query(Page)
def get_post(post_id):
    """Return a post with a page of its comments."""
    row = _post(post_id)
    return {"ok": True, "post": serialize.post(row, g.user), **thread_page(get_db(), row["thread_id"], g.query)}


@bp.patch("/posts/<int:post_id>")
@login_required
@limiter.limit(writes_limit)
@body(EditPost)
def edit_post(post_id):
    """Change one's own post: title, text, visibility, cohort (a reflection's text changes on its module)."""
    data, sent = g.body, g.body.model_fields_set
    row = _post(post_id)
    can = scopes.post_permissions(row, g.user)
    if not can["edit"]:
        raise ApiError(403, "Only the author can edit a post.")
    if ({"title", "body"} & sent) and not can["edit_text"]:
        raise ApiError(403, "This post is a reflection: edit its text on the module page.")
    changes = {}
    if data.title is not None:
        changes["title"] = data.title
    if data.body is not None:
        changes["body_md"] = data.body
    if {"visibility", "cohort"} & sent:
        changes["visibility"], changes["cohort_id"], changes["program_id"] = _audience(data, row)
    actions.edit_post(get_db(), viewer=g.user, post_id=post_id, changes=changes,
                      text_changed=bool({"title", "body"} & sent))
    return {"ok": True, "post": _post_json(post_id)}


@bp.delete("/posts/<int:post_id>")
@login_required
@limiter.limit(writes_limit)
@body(NoFields, allow_empty=True)
def delete_post(post_id):
    """Delete a post (its author or an admin; reflections stay with their module)."""
    actions.delete_post(get_db(), viewer=g.user, post_id=post_id)
    return {"ok": True, "post": None}
