"""Forums: boards, topics, moderation (pin, lock, move), subscriptions and unread markers.

Replies are comments of the topic's thread: POST /api/threads/<thread_id>/comments.
"""

from __future__ import annotations

from flask import Blueprint, g

from comments_server.store import forums
from comments_server.web.database import get_db
from comments_server.web.api._community import (
    check_body,
    check_flag,
    check_title,
    thread_page,
)
from comments_server.web.errors import ApiError
from comments_server.web.security import (
    limiter,
    login_required,
    read_json,
    writes_limit,
)

bp = Blueprint("forums", __name__, url_prefix="/api/forums")


def _board(board_id):
    """Return a board the viewer may read, or answer 404."""
    board = forums.get_board(get_db(), board=board_id, viewer=g.user)
    if board is None:
        raise ApiError(404, f"No forum board '{board_id}' of yours.")
    return board


def _topic(topic_id):
    """Return (topic row, board) for a topic the viewer may read, or answer 404."""
    found = forums.get_visible(get_db(), topic_id=topic_id, viewer=g.user)
    if found is None:
        raise ApiError(404, "No such topic.")
    return found


def _topic_json(topic_id):
    """Return a topic as the viewer sees it now."""
    row, board = _topic(topic_id)
    return forums.to_json(row, board, g.user)


@bp.get("/boards")
@login_required
def list_boards():
    """List the boards the viewer may read: everyone's, then one per program of theirs."""
    return {"ok": True, "boards": forums.list_boards(get_db(), viewer=g.user)}


@bp.get("/boards/<board_id>")
@login_required
def get_board(board_id):
    """Return a board and its topics, pinned first, with unread markers."""
    board = _board(board_id)
    board["subscribed"] = forums.is_subscribed(get_db(), user_id=g.user["id"], board=board_id)
    return {"ok": True, "board": board, "topics": forums.list_topics(get_db(), board=board, viewer=g.user)}


@bp.post("/boards/<board_id>/topics")
@login_required
@limiter.limit(writes_limit)
def create_topic(board_id):
    """Start a topic on a board the viewer may post in."""
    data = read_json(required={"title", "body"})
    title, body = check_title(data["title"]), check_body(data["body"])
    board = _board(board_id)
    if not board["can_post"]:
        raise ApiError(403, "You can read this board but not start topics on it.")
    topic_id = forums.add_topic(get_db(), board=board, author=g.user, title=title, body_md=body)
    return {"ok": True, "topic": _topic_json(topic_id)}, 201


@bp.post("/boards/<board_id>/subscription")
@login_required
@limiter.limit(writes_limit)
def subscribe_board(board_id):
    """Follow a board (new topics) or stop following it."""
    on = check_flag(read_json(required={"subscribed"}), "subscribed")
    _board(board_id)
    forums.set_subscription(get_db(), user=g.user, on=on, board=board_id)
    return {"ok": True, "board": board_id, "subscribed": on}


@bp.get("/topics/<int:topic_id>")
@login_required
def get_topic(topic_id):
    """Return a topic with a page of its replies."""
    row, board = _topic(topic_id)
    return {"ok": True, "topic": forums.to_json(row, board, g.user),
            **thread_page(get_db(), row["thread_id"])}


@bp.patch("/topics/<int:topic_id>")
@login_required
@limiter.limit(writes_limit)
def edit_topic(topic_id):
    """Change the title or opening text of one's own topic."""
    data = read_json(optional={"title", "body"})
    row, board = _topic(topic_id)
    if not forums.permissions(row, board, g.user)["edit"]:
        raise ApiError(403, "Only the author can edit a topic.")
    title = check_title(data["title"]) if "title" in data else row["title"]
    body = check_body(data["body"]) if "body" in data else row["body_md"]
    forums.update_topic(get_db(), topic=row, editor=g.user, title=title, body_md=body)
    return {"ok": True, "topic": _topic_json(topic_id)}


@bp.delete("/topics/<int:topic_id>")
@login_required
@limiter.limit(writes_limit)
def delete_topic(topic_id):
    """Delete a topic (its author or an admin)."""
    read_json(allow_empty=True)
    row, board = _topic(topic_id)
    if not forums.permissions(row, board, g.user)["delete"]:
        raise ApiError(403, "Only the author or an admin can delete a topic.")
    forums.delete_topic(get_db(), topic=row, actor=g.user)
    return {"ok": True, "topic": None}


@bp.post("/topics/<int:topic_id>/moderate")
@login_required
@limiter.limit(writes_limit)
def moderate_topic(topic_id):
    """Pin, lock or move a topic (coaches of the board's program and admins)."""
    data = read_json(optional={"pinned", "locked", "board"})
    row, board = _topic(topic_id)
    if not board["moderator"]:
        raise ApiError(403, "Only a coach or an admin can pin, lock or move topics.")
    changes = {name: int(check_flag(data, name)) for name in ("pinned", "locked") if name in data}
    if "board" in data:
        target = forums.get_board(get_db(), board=str(data["board"]), viewer=g.user)
        if target is None or not target["moderator"]:
            raise ApiError(400, "'board' must be a board you moderate.")
        changes["program_id"] = target["program_id"]
    if not changes:
        raise ApiError(400, "Send at least one of 'pinned', 'locked', 'board'.")
    forums.moderate(get_db(), topic=row, actor=g.user, changes=changes)
    return {"ok": True, "topic": _topic_json(topic_id)}


@bp.post("/topics/<int:topic_id>/subscription")
@login_required
@limiter.limit(writes_limit)
def subscribe_topic(topic_id):
    """Follow a topic (new replies) or stop following it."""
    on = check_flag(read_json(required={"subscribed"}), "subscribed")
    _topic(topic_id)
    forums.set_subscription(get_db(), user=g.user, on=on, topic_id=topic_id)
    return {"ok": True, "topic": _topic_json(topic_id)}


@bp.post("/topics/<int:topic_id>/read")
@login_required
@limiter.limit(writes_limit)
def mark_topic_read(topic_id):
    """Move the viewer's unread marker to the topic's newest reply."""
    read_json(allow_empty=True)
    row, _ = _topic(topic_id)
    forums.mark_read(get_db(), topic=row, user=g.user)
    return {"ok": True, "topic": _topic_json(topic_id)}


@bp.get("/subscriptions")
@login_required
def list_subscriptions():
    """List the boards and topics the viewer follows (notifications will use them)."""
    return {"ok": True, "subscriptions": forums.list_subscriptions(get_db(), user=g.user)}
