"""Roundtable threads: read the viewer's cohort thread of an activity, and post to a thread."""

from __future__ import annotations

import hashlib

from flask import Blueprint, current_app, g, request

from comments_server import access
from comments_server.access import threads as thread_access
from comments_server.actions.comments import CommentInputError, post_comment
from comments_server.store import catalog, comments, threads
from comments_server.web.serialize import comments as serialize
from comments_server.web.database import get_db
from comments_server.web.errors import ApiError
from comments_server.web.security import (
    limiter,
    login_required,
    read_json,
    writes_limit,
)

bp = Blueprint("threads", __name__, url_prefix="/api")

DEFAULT_LIMIT = 100
MAX_LIMIT = 200


def _int_arg(name, default, low, high):
    """Read an integer query parameter within bounds; 400 says which and why."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, f"'{name}' must be a whole number.") from None
    if not low <= value <= high:
        raise ApiError(400, f"'{name}' must be between {low} and {high}.")
    return value


def _etag(thread, ctx, after, limit):
    """Return the ETag of a page: it changes with the thread's version and with who is looking."""
    key = (f"{thread['id']}:{thread['version']}:{ctx['viewer_id']}:{ctx['role']}:{ctx['admin']}:"
           f"{thread['content_hash']}:{after}:{limit}")
    return hashlib.blake2b(key.encode(), digest_size=12).hexdigest()


@bp.get("/activities/<path:activity_id>/thread")
@login_required
def get_activity_thread(activity_id):
    """Return the viewer's cohort thread for a roundtable activity, a page of comments at a time."""
    after = _int_arg("after", 0, 0, 2**62)
    limit = _int_arg("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    db = get_db()
    activity = catalog.get_activity(db, activity_id=activity_id)
    if activity is None or activity["kind"] != "roundtable":
        raise ApiError(404, f"No roundtable activity '{activity_id}'.")
    cohort_id = access.choose_cohort(db, g.user, program_id=activity["program_id"],
                                     requested=request.args.get("cohort"))
    if cohort_id is None:
        raise ApiError(404, "No roundtable of yours here: you are not in a cohort of this program.")
    # a thread nobody posted to yet reads as empty, under a stable key: the first post stores it
    thread = threads.roundtable(db, activity_id=activity_id, cohort_id=cohort_id)
    ctx = thread_access.roundtable_context(g.user, thread)  # choose_cohort: in sight
    etag = _etag(thread, ctx, after, limit)
    if request.if_none_match.contains(etag):
        return "", 304, {"ETag": f'"{etag}"', "Cache-Control": "private, no-cache"}
    rows, marked, has_more = comments.list_page(db, thread=thread, moderator=ctx["moderator"],
                                                viewer_id=ctx["viewer_id"], after=after, limit=limit)
    body = {"ok": True, "thread": serialize.roundtable_thread(thread, ctx),
            **serialize.page(rows, marked, has_more, ctx)}
    return body, 200, {"ETag": f'"{etag}"', "Cache-Control": "private, no-cache"}


def check_body(value):
    """Return a comment body that is a non-empty string within the size limit, or answer 400."""
    if not isinstance(value, str) or not value.strip():
        raise ApiError(400, "Write something first: 'body' must be non-empty Markdown text.")
    most = int(current_app.config["MAX_COMMENT_CHARS"])
    if len(value) > most:
        raise ApiError(400, f"'body' is too long: at most {most} characters.")
    return value


def thread_ref(thread_id):
    """Return a thread id (a whole number below 2**63) or a virtual thread key from the URL; else 404."""
    if thread_id.isascii() and thread_id.isdigit():
        number = int(thread_id)
        if number < 2**63:
            return number
    elif threads.parse_key(thread_id):
        return thread_id
    raise ApiError(404, "No such thread.")


@bp.post("/threads/<thread_id>/comments")
@login_required
@limiter.limit(writes_limit)
def create_comment(thread_id):
    """Add a comment or a reply to a thread the signed-in user can see (or a roundtable's, storing it)."""
    data = read_json(required={"body"}, optional={"parent_id", "question"})
    body = check_body(data["body"])
    question = data.get("question", False)
    if not isinstance(question, bool):
        raise ApiError(400, "'question' must be true or false.")
    parent_id = data.get("parent_id")
    if parent_id is not None and (not isinstance(parent_id, int) or isinstance(parent_id, bool)):
        raise ApiError(400, "'parent_id' must be a comment id (a number).")
    try:
        row, _, ctx = post_comment(get_db(), viewer=g.user, thread_ref=thread_ref(thread_id), body_md=body,
                                   parent_id=parent_id, question=question)
    except CommentInputError as exc:
        raise ApiError(400, str(exc)) from None
    return {"ok": True, "comment": serialize.comment(row, ctx)}, 201
