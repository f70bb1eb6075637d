"""Helpers the community blueprints share: text fields, booleans, and a page of a thread."""

from __future__ import annotations

from flask import g, request

from comments_server.access import threads as thread_access
from comments_server.access.rules import require
from comments_server.store import comments
from comments_server.web.api.threads import check_body
from comments_server.web.errors import ApiError
from comments_server.web.serialize import comments as serialize

MAX_TITLE = 200


def check_title(value, name="title"):
    """Return a non-empty one-line title of at most MAX_TITLE characters, or answer 400."""
    if not isinstance(value, str) or not value.strip():
        raise ApiError(400, f"Give it a title: '{name}' must be non-empty text.")
    value = " ".join(value.split())
    if len(value) > MAX_TITLE:
        raise ApiError(400, f"'{name}' is too long: at most {MAX_TITLE} characters.")
    return value


def check_flag(data, name):
    """Return a boolean field of a request body, or answer 400."""
    if not isinstance(data[name], bool):
        raise ApiError(400, f"'{name}' must be true or false.")
    return data[name]


def int_arg(name, default, low, high):
    """Read an integer query parameter within bounds; 400 says which and why."""
    raw = request.args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, f"'{name}' must be a whole number.") from None
    if not low <= value <= high:
        raise ApiError(400, f"'{name}' must be between {low} and {high}.")
    return value


def thread_page(db, thread_id):
    """Return the thread part and one page of comments of a community thread the viewer can see."""
    thread, ctx = thread_access.load(db, g.user, thread_id)
    require(db, g.user, "thread.read", thread)
    rows, marked, has_more = comments.list_page(
        db, thread=thread, moderator=ctx["moderator"], viewer_id=ctx["viewer_id"],
        after=int_arg("after", 0, 0, 2**62), limit=int_arg("limit", 100, 1, 200))
    return {"thread": serialize.community_thread(thread, ctx), **serialize.page(rows, marked, has_more, ctx)}


__all__ = ["check_body", "check_flag", "check_title", "int_arg", "thread_page"]
