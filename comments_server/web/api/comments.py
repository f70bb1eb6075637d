"""One comment: edit, delete, hide, mark helpful."""

from __future__ import annotations

from flask import Blueprint, g

from comments_server.actions import comments as actions
from comments_server.web.database import get_db
from comments_server.web.api.threads import check_body
from comments_server.web.errors import ApiError
from comments_server.web.serialize.comments import comment as serialize
from comments_server.web.security import (
    limiter,
    login_required,
    read_json,
    writes_limit,
)

bp = Blueprint("comments", __name__, url_prefix="/api/comments")

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
    row, _, ctx = actions.edit_comment(get_db(), viewer=g.user, comment_id=comment_id, body_md=body)
    return {"ok": True, "comment": serialize(row, ctx)}


@bp.delete("/<int:comment_id>")
@login_required
@limiter.limit(writes_limit)
def delete_comment(comment_id):
    """Delete a comment; with replies it stays as a "deleted" placeholder (returned), else null."""
    read_json(allow_empty=True)
    row, _, ctx = actions.delete_comment(get_db(), viewer=g.user, comment_id=comment_id)
    return {"ok": True, "comment": serialize(row, ctx) if row else None}


@bp.post("/<int:comment_id>/hide")
@login_required
@limiter.limit(writes_limit)
def hide_comment(comment_id):
    """Hide a comment from learners, or show it again (coach of the cohort or admin)."""
    hidden = _flag(read_json(required={"hidden"}), "hidden")
    row, _, ctx = actions.hide_comment(get_db(), viewer=g.user, comment_id=comment_id, hidden=hidden)
    return {"ok": True, "comment": serialize(row, ctx)}


@bp.post("/<int:comment_id>/helpful")
@login_required
@limiter.limit(writes_limit)
def mark_helpful(comment_id):
    """Mark a coach's reply as helpful, or take the mark back (learners of the cohort)."""
    helpful = _flag(read_json(required={"helpful"}), "helpful")
    row, _, ctx = actions.mark_helpful(get_db(), viewer=g.user, comment_id=comment_id, helpful=helpful)
    return {"ok": True, "comment": serialize(row, ctx)}
