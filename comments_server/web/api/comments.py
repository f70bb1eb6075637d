"""One comment: edit, delete, hide, mark helpful."""

from __future__ import annotations

from flask import Blueprint, g

from comments_server.store import comments
from comments_server.web.database import get_db
from comments_server.web.api.threads import check_body
from comments_server.web.errors import ApiError
from comments_server.web.security import (
    limiter,
    login_required,
    read_json,
    writes_limit,
)

bp = Blueprint("comments", __name__, url_prefix="/api/comments")

REFUSALS = {
    "edit": "Only the author can edit a comment.",
    "delete": "Only the author or an admin can delete a comment.",
    "hide": "Only a coach of this cohort or an admin can hide a comment.",
    "mark_helpful": "Only a learner of this cohort can mark a coach's reply as helpful.",
}


def _load(comment_id, action):
    """Return (row, thread, ctx) for a comment the viewer may see and act on; else 404 or 403."""
    found = comments.get_visible(get_db(), comment_id=comment_id, viewer=g.user)
    if found is None:
        raise ApiError(404, "No such comment.")
    row, thread, ctx = found
    if not comments.to_json(row, ctx)["can"][action]:
        raise ApiError(403, REFUSALS[action])
    return row, thread, ctx


def _flag(data, name):
    """Return a boolean field of the request body, or answer 400."""
    if not isinstance(data[name], bool):
        raise ApiError(400, f"'{name}' must be true or false.")
    return data[name]


@bp.patch("/<int:comment_id>")
@login_required
@limiter.limit(writes_limit)
def edit_comment(comment_id):
    """Replace the text of one's own comment; it is marked edited."""
    body = check_body(read_json(required={"body"})["body"])
    row, thread, ctx = _load(comment_id, "edit")
    comment = comments.edit(get_db(), comment=row, thread=thread, ctx=ctx, editor=g.user,
                            body_md=body)
    return {"ok": True, "comment": comment}


@bp.delete("/<int:comment_id>")
@login_required
@limiter.limit(writes_limit)
def delete_comment(comment_id):
    """Delete a comment; with replies it stays as a "deleted" placeholder (returned), else null."""
    read_json(allow_empty=True)
    row, thread, ctx = _load(comment_id, "delete")
    comment = comments.delete(get_db(), comment=row, thread=thread, ctx=ctx, actor=g.user)
    return {"ok": True, "comment": comment}


@bp.post("/<int:comment_id>/hide")
@login_required
@limiter.limit(writes_limit)
def hide_comment(comment_id):
    """Hide a comment from learners, or show it again (coach of the cohort or admin)."""
    hidden = _flag(read_json(required={"hidden"}), "hidden")
    row, thread, ctx = _load(comment_id, "hide")
    comment = comments.set_hidden(get_db(), comment=row, thread=thread, ctx=ctx, actor=g.user,
                                  hidden=hidden)
    return {"ok": True, "comment": comment}


@bp.post("/<int:comment_id>/helpful")
@login_required
@limiter.limit(writes_limit)
def mark_helpful(comment_id):
    """Mark a coach's reply as helpful, or take the mark back (learners of the cohort)."""
    helpful = _flag(read_json(required={"helpful"}), "helpful")
    row, thread, ctx = _load(comment_id, "mark_helpful")
    comment = comments.set_helpful(get_db(), comment=row, thread=thread, ctx=ctx, actor=g.user,
                                   helpful=helpful)
    return {"ok": True, "comment": comment}
