"""Forums: boards, topics, moderation (pin, lock, move), subscriptions and unread markers.

Replies are comments of the topic's thread: POST /api/threads/<thread_id>/comments.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g

from comments_server.access import community as scopes
from comments_server.actions import community as actions
from comments_server.store import forums
from comments_server.web.database import get_db
from comments_server.web.serialize import community as serialize
from comments_server.web.api._community import thread_page
from comments_server.web.contracts import Body, CommentText, Flag, Page, Title, body, query
from comments_server.web.errors import ApiError
from comments_server.web.security import limiter, login_required, writes_limit

bp = Blueprint("forums", __name__, url_prefix="/api/forums")


class NewTopic(Body):
    """A topic's title and opening text."""

    title: Title
    body: CommentText


class EditTopic(Body):
    """Either or both of a topic's title and opening text."""

    # None only when absent (defaults are not validated): a null is refused as before
    title: Title = None
    body: CommentText = None


class Follow(Body):
    """Follow (true) or stop following (false)."""

    subscribed: Flag


class Moderation(Body):
    """Any of: pin, lock, move to another board (a board id you moderate)."""

    pinned: Flag = None
    locked: Flag = None
    board: Any = None


class NoFields(Body):
    """A request with nothing to say (an empty body is accepted too)."""


def _board(board_id):
    """Return a board the viewer may read, or answer 404."""
    board = scopes.board(get_db(), g.user, board_id)
    if board is None:
        raise ApiError(404, f"No forum board '{board_id}' of yours.")
    return board


def _topic(topic_id):
    """Return (topic row, board) for a topic the viewer may read, or answer 404."""
    found = scopes.topic_in_sight(get_db(), g.user, topic_id)
    if found is None:
        raise ApiError(404, "No such topic.")
    return found


def _topic_json(topic_id):
    """Return a topic as the viewer sees it now."""
    row, board = _topic(topic_id)
    return serialize.topic(row, board, g.user)


@bp.get("/boards")
@login_required
def list_boards():
    """List the boards the viewer may read: everyone's, then one per program of theirs."""
    db = get_db()
    boards = [scopes.board(db, g.user, b) for b in [forums.EVERYONE] + forums.live_program_ids(db)]
    boards = [b for b in boards if b]
    for board in boards:
        topics, unread = forums.board_counts(db, program_id=board["program_id"], viewer_id=g.user["id"])
        board.update(topic_count=topics, unread_topics=unread,
                     subscribed=forums.is_subscribed(db, user_id=g.user["id"], board=board["id"]))
    return {"ok": True, "boards": boards}


@bp.get("/boards/<board_id>")
@login_required
def get_board(board_id):
    """Return a board and its topics, pinned first, with unread markers."""
    board = _board(board_id)
    board["subscribed"] = forums.is_subscribed(get_db(), user_id=g.user["id"], board=board_id)
    rows = forums.list_topics(get_db(), program_id=board["program_id"], viewer_id=g.user["id"])
    return {"ok": True, "board": board, "topics": [serialize.topic(row, board, g.user) for row in rows]}


@bp.post("/boards/<board_id>/topics")
@login_required
@limiter.limit(writes_limit)
@body(NewTopic)
def create_topic(board_id):
    """Start a topic on a board the viewer may post in."""
    topic_id = actions.start_topic(get_db(), viewer=g.user, board_id=board_id, title=g.body.title,
                                   body_md=g.body.body)
    return {"ok": True, "topic": _topic_json(topic_id)}, 201


@bp.post("/boards/<board_id>/subscription")
@login_required
@limiter.limit(writes_limit)
@body(Follow)
def subscribe_board(board_id):
    """Follow a board (new topics) or stop following it."""
    on = g.body.subscribed
    actions.follow(get_db(), viewer=g.user, on=on, board_id=board_id)
    return {"ok": True, "board": board_id, "subscribed": on}


@bp.get("/topics/<int:topic_id>")
@login_required
@query(Page)
def get_topic(topic_id):
    """Return a topic with a page of its replies."""
    row, board = _topic(topic_id)
    return {"ok": True, "topic": serialize.topic(row, board, g.user),
            **thread_page(get_db(), row["thread_id"], g.query)}


@bp.patch("/topics/<int:topic_id>")
@login_required
@limiter.limit(writes_limit)
@body(EditTopic)
def edit_topic(topic_id):
    """Change the title or opening text of one's own topic."""
    actions.edit_topic(get_db(), viewer=g.user, topic_id=topic_id, title=g.body.title, body_md=g.body.body)
    return {"ok": True, "topic": _topic_json(topic_id)}


@bp.delete("/topics/<int:topic_id>")
@login_required
@limiter.limit(writes_limit)
@body(NoFields, allow_empty=True)
def delete_topic(topic_id):
    """Delete a topic (its author or an admin)."""
    actions.delete_topic(get_db(), viewer=g.user, topic_id=topic_id)
    return {"ok": True, "topic": None}


@bp.post("/topics/<int:topic_id>/moderate")
@login_required
@limiter.limit(writes_limit)
@body(Moderation)
def moderate_topic(topic_id):
    """Pin, lock or move a topic (coaches of the board's program and admins)."""
    moved = "board" in g.body.model_fields_set
    try:
        actions.moderate_topic(get_db(), viewer=g.user, topic_id=topic_id, pinned=g.body.pinned,
                               locked=g.body.locked, board_id=str(g.body.board) if moved else None)
    except ValueError as exc:
        raise ApiError(400, str(exc)) from None
    return {"ok": True, "topic": _topic_json(topic_id)}


@bp.post("/topics/<int:topic_id>/subscription")
@login_required
@limiter.limit(writes_limit)
@body(Follow)
def subscribe_topic(topic_id):
    """Follow a topic (new replies) or stop following it."""
    on = g.body.subscribed
    actions.follow(get_db(), viewer=g.user, on=on, topic_id=topic_id)
    return {"ok": True, "topic": _topic_json(topic_id)}


@bp.post("/topics/<int:topic_id>/read")
@login_required
@limiter.limit(writes_limit)
@body(NoFields, allow_empty=True)
def mark_topic_read(topic_id):
    """Move the viewer's unread marker to the topic's newest reply."""
    actions.read_topic(get_db(), viewer=g.user, topic_id=topic_id)
    return {"ok": True, "topic": _topic_json(topic_id)}


@bp.get("/subscriptions")
@login_required
def list_subscriptions():
    """List the boards and topics the viewer follows (notifications will use them)."""
    db, out = get_db(), []
    for row in forums.list_subscriptions(db, user_id=g.user["id"]):  # still in sight only
        if row["board"] is not None and scopes.board(db, g.user, row["board"]):
            out.append({"board": row["board"], "topic_id": None, "created": row["created"]})
        elif row["topic_id"] is not None and scopes.topic_in_sight(db, g.user, row["topic_id"]):
            out.append({"board": None, "topic_id": row["topic_id"], "created": row["created"]})
    return {"ok": True, "subscriptions": out}
