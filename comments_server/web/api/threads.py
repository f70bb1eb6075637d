"""Roundtable threads: read the viewer's cohort thread of an activity, and post to a thread."""

from __future__ import annotations

import hashlib
import re
from typing import Annotated, Any

from pydantic import PlainValidator, WithJsonSchema

from flask import Blueprint, current_app, g, request

from comments_server import access
from comments_server.access import threads as thread_access
from comments_server.actions.comments import CommentInputError, post_comment
from comments_server.store import catalog, comments, threads
from comments_server.web.contracts import Body, CommentId, CommentText, Flag, Page, Query, body, query
from comments_server.web.database import get_db
from comments_server.web.errors import ApiError
from comments_server.web.jsonfast import answer_named_by
from comments_server.web.security import limiter, login_required, writes_limit
from comments_server.web.serialize import comments as serialize

bp = Blueprint("threads", __name__, url_prefix="/api")


class ThreadQuery(Page):
    """A page of the viewer's cohort thread; ?cohort= picks another visible cohort of the program."""

    cohort: str | None = None


class NewComment(Body):
    """A comment, a question (top-level only) or a reply (``parent_id``)."""

    body: CommentText
    parent_id: CommentId | None = None
    question: Flag = False


def _etag(thread, ctx, after, limit):
    """Return the ETag of a page: it changes with the thread's version and with who is looking."""
    key = (f"{thread['id']}:{thread['version']}:{ctx['viewer_id']}:{ctx['role']}:{ctx['admin']}:"
           f"{thread['content_hash']}:{after}:{limit}")
    return hashlib.blake2b(key.encode(), digest_size=12).hexdigest()


@bp.get("/activities/<path:activity_id>/thread")
@login_required
@query(ThreadQuery)
def get_activity_thread(activity_id):
    """Return the viewer's cohort thread for a roundtable activity, a page of comments at a time."""
    after, limit = g.query.after, g.query.limit
    db = get_db()
    activity = catalog.get_activity(db, activity_id=activity_id)
    if activity is None or activity["kind"] != "roundtable":
        raise ApiError(404, f"No roundtable activity '{activity_id}'.")
    cohort_id = access.choose_cohort(db, g.user, program_id=activity["program_id"], requested=g.query.cohort)
    if cohort_id is None:
        raise ApiError(404, "No roundtable of yours here: you are not in a cohort of this program.")
    # a thread nobody posted to yet reads as empty, under a stable key: the first post stores it
    thread = threads.roundtable(db, activity_id=activity_id, cohort_id=cohort_id)
    ctx = thread_access.roundtable_context(g.user, thread)  # choose_cohort: in sight
    etag = _etag(thread, ctx, after, limit)
    if request.if_none_match.contains(etag):
        return "", 304, {"ETag": f'"{etag}"', "Cache-Control": "private, no-cache"}

    def build():
        rows, marked, has_more = comments.list_page(db, thread=thread, moderator=ctx["moderator"],
                                                    viewer_id=ctx["viewer_id"], after=after, limit=limit)
        key = comments.page_key(db, thread=thread, moderator=ctx["moderator"], after=after, limit=limit)
        return {"ok": True, "thread": serialize.roundtable_thread(thread, ctx),
                **serialize.page(rows, marked, has_more, ctx, key=key)}

    return answer_named_by(etag, build), 200, {"ETag": f'"{etag}"', "Cache-Control": "private, no-cache"}


MAX_COUNTS = 50  # activities per counts request: an index page's worth


def _activity_list(value, info):
    """Comma-separated roundtable activity ids, 1 to MAX_COUNTS of them, each a catalog id."""
    ids = [part.strip() for part in str(value).split(",") if part.strip()]
    if not ids:
        raise ValueError("'activities' must list at least one roundtable activity id, separated by commas.")
    if len(ids) > MAX_COUNTS:
        raise ValueError(f"'activities' lists {len(ids)} ids: at most {MAX_COUNTS} per request; split the list.")
    bad = [i for i in ids if not ACTIVITY_ID.fullmatch(i)]
    if bad:
        raise ValueError(f"'activities': '{bad[0][:80]}' is not an activity id (like sales/discovery-calls/roundtable).")
    return tuple(dict.fromkeys(ids))  # a tuple: the parsed query is shared (contracts.query)


_ID = r"[a-z0-9]+(-[a-z0-9]+)*(/[a-z0-9]+(-[a-z0-9]+)*){2}"
ACTIVITY_ID = re.compile(_ID)


class CountsQuery(Query):
    """?activities=<id>,<id>,...: the roundtable activities an index page shows."""

    activities: Annotated[Any, PlainValidator(_activity_list), WithJsonSchema({
        "type": "string", "description": f"comma-separated roundtable activity ids, at most {MAX_COUNTS}",
        "pattern": f"^{_ID}(,{_ID}){{0,{MAX_COUNTS - 1}}}$"})]


@bp.get("/threads/counts")
@login_required
@query(CountsQuery)
def get_counts():
    """Comments per roundtable for an index page, in the viewer's cohort of each; threads out of sight are absent."""
    db = get_db()
    synced = current_app.extensions["roundtable_catalog"].synced  # moves with every catalog sync of this process
    programs = catalog.roundtable_programs(db, activity_ids=g.query.activities, catalog_stamp=synced)
    cohorts = access.roundtable_cohorts(db, g.user, program_ids=programs.values())
    pairs = {aid: cohorts[pid] for aid, pid in programs.items() if pid in cohorts}
    stored = threads.find_many(db, pairs=list(pairs.items()))
    seen = sorted((aid, cohort_id, stored[aid]["id"] if aid in stored else None,
                   stored[aid]["version"] if aid in stored else 0) for aid, cohort_id in pairs.items())
    etag = hashlib.blake2b(repr(seen).encode(), digest_size=12).hexdigest()
    headers = {"ETag": f'"{etag}"', "Cache-Control": "private, no-cache"}
    if request.if_none_match.contains(etag):
        return "", 304, headers

    def build():  # the ETag holds each thread's version, which every change to what it counts moves
        counted = comments.live_counts(db, threads=list(stored.values()))
        return {"ok": True, "counts": {
            aid: {"cohort_id": cohort_id, "comments": counted.get(thread_id, 0) if thread_id else 0}
            for aid, cohort_id, thread_id, _ in seen}}

    return answer_named_by(etag, build), 200, headers


def thread_ref(thread_id):
    """Return a thread id (a whole number below 2**63) or a virtual thread key from the URL; else 404."""
    if thread_id.isascii() and thread_id.isdigit():
        if int(thread_id) < 2**63:
            return int(thread_id)
    elif threads.parse_key(thread_id):
        return thread_id
    raise ApiError(404, "No such thread.")


@bp.post("/threads/<thread_id>/comments")
@login_required
@limiter.limit(writes_limit)
@body(NewComment)
def create_comment(thread_id):
    """Add a comment or a reply to a thread the signed-in user can see (or a roundtable's, storing it)."""
    try:
        row, _, ctx = post_comment(get_db(), viewer=g.user, thread_ref=thread_ref(thread_id), body_md=g.body.body,
                                   parent_id=g.body.parent_id, question=g.body.question)
    except CommentInputError as exc:
        raise ApiError(400, str(exc)) from None
    return {"ok": True, "comment": serialize.comment(row, ctx)}, 201
