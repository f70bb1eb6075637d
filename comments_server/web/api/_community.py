"""What the community blueprints share: one page of a thread, and single-field checks for wiki views."""

from __future__ import annotations

from flask import g
from pydantic import ValidationError, create_model

from comments_server.access import threads as thread_access
from comments_server.access.rules import require
from comments_server.store import comments
from comments_server.web import contracts
from comments_server.web.contracts import Body, CommentText, Flag, Title
from comments_server.web.errors import ApiError
from comments_server.web.serialize import comments as serialize


def thread_page(db, thread_id, page):
    """Return the thread part and one page (a contracts.Page) of comments of a community thread in sight."""
    thread, ctx = thread_access.load(db, g.user, thread_id)
    require(db, g.user, "thread.read", thread)
    rows, marked, has_more = comments.list_page(db, thread=thread, moderator=ctx["moderator"],
                                                viewer_id=ctx["viewer_id"], after=page.after, limit=page.limit)
    key = comments.page_key(db, thread=thread, moderator=ctx["moderator"], after=page.after, limit=page.limit)
    return {"thread": serialize.community_thread(thread, ctx), **serialize.page(rows, marked, has_more, ctx, key=key)}


def _one(kind, name, value):
    """Check one field against a contract type (web/contracts.py); answer 400 with its sentence."""
    model = create_model(f"One_{name}", __base__=Body, **{name: (kind, ...)})
    try:
        return getattr(model.model_validate({name: value}), name)
    except ValidationError as error:
        raise ApiError(400, *contracts._messages(error)) from None


# For views that read fields one by one (wiki.py) until they declare a contract: the same types, not copies.
def check_body(value, name="body"):
    """Return non-empty Markdown within MAX_COMMENT_CHARS, or answer 400 (contracts.CommentText)."""
    return _one(CommentText, name, value)


def check_title(value, name="title"):
    """Return a one-line title of at most contracts.MAX_TITLE characters, or answer 400 (contracts.Title)."""
    return _one(Title, name, value)


def check_flag(data, name):
    """Return a boolean field of a request body, or answer 400 (contracts.Flag)."""
    return _one(Flag, name, data[name])


__all__ = ["check_body", "check_flag", "check_title", "thread_page"]
