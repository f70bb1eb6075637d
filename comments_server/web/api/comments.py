"""One comment: edit, delete, hide, mark helpful."""

from __future__ import annotations

from flask import Blueprint, g

from comments_server.actions import comments as actions
from comments_server.web.contracts import Body, CommentText, Flag, body
from comments_server.web.database import get_db
from comments_server.web.security import limiter, login_required, writes_limit
from comments_server.web.serialize.comments import comment as serialize

bp = Blueprint("comments", __name__, url_prefix="/api/comments")


class EditComment(Body):
    """The new text of one's own comment."""

    body: CommentText


class NoFields(Body):
    """A request with nothing to say (an empty body is accepted too)."""


class HideComment(Body):
    """Hide (true) or show again (false)."""

    hidden: Flag


class MarkHelpful(Body):
    """Mark (true) or take the mark back (false)."""

    helpful: Flag


@bp.patch("/<int:comment_id>")
@login_required
@limiter.limit(writes_limit)
@body(EditComment)
def edit_comment(comment_id):
    """Replace the text of one's own comment; it is marked edited."""
    row, _, ctx = actions.edit_comment(get_db(), viewer=g.user, comment_id=comment_id, body_md=g.body.body)
    return {"ok": True, "comment": serialize(row, ctx)}


@bp.delete("/<int:comment_id>")
@login_required
@limiter.limit(writes_limit)
@body(NoFields, allow_empty=True)
def delete_comment(comment_id):
    """Delete a comment; with replies it stays as a "deleted" placeholder (returned), else null."""
    row, _, ctx = actions.delete_comment(get_db(), viewer=g.user, comment_id=comment_id)
    return {"ok": True, "comment": serialize(row, ctx) if row else None}


@bp.post("/<int:comment_id>/hide")
@login_required
@limiter.limit(writes_limit)
@body(HideComment)
def hide_comment(comment_id):
    """Hide a comment from learners, or show it again (coach of the cohort or admin)."""
    row, _, ctx = actions.hide_comment(get_db(), viewer=g.user, comment_id=comment_id, hidden=g.body.hidden)
    return {"ok": True, "comment": serialize(row, ctx)}


@bp.post("/<int:comment_id>/helpful")
@login_required
@limiter.limit(writes_limit)
@body(MarkHelpful)
def mark_helpful(comment_id):
    """Mark a coach's reply as helpful, or take the mark back (learners of the cohort)."""
    row, _, ctx = actions.mark_helpful(get_db(), viewer=g.user, comment_id=comment_id, helpful=g.body.helpful)
    return {"ok": True, "comment": serialize(row, ctx)}
