"""Search across forums, blogs and wiki, scoped to what the viewer may read."""

from __future__ import annotations

from typing import Annotated

from flask import Blueprint, g
from pydantic import WithJsonSchema

from comments_server.access import community as scopes
from comments_server.access.rules import can
from comments_server.store import search
from comments_server.web.database import get_db
from comments_server.web.contracts import NOT_BLANK, Query, WholeNumber, query
from comments_server.web.errors import ApiError
from comments_server.web.security import login_required

bp = Blueprint("search", __name__, url_prefix="/api/search")


class SearchQuery(Query):
    """?q=words&limit=<1..50>."""

    q: Annotated[str, WithJsonSchema({"type": "string", "minLength": 1, "pattern": NOT_BLANK})]
    limit: WholeNumber(1, 50) = 20


@bp.get("")
@login_required
@query(SearchQuery)
def search_community():
    """Return the forum topics and replies, blog posts and comments, and wiki pages matching ?q=."""
    text = g.query.q.strip()
    if not text:
        raise ApiError(400, "Type something to search for: ?q=words.")
    if len(text) > 200:
        raise ApiError(400, "'q' is too long: at most 200 characters.")
    limit, db, results = g.query.limit, get_db(), []
    for row in search.matches(db, text=text):  # every match asks the rules a direct read asks
        hit = _resolve(db, row)
        if hit:
            results.append({**hit, "snippet": row["snippet"]})
        if len(results) >= limit:
            break
    return {"ok": True, "query": text, "results": results}


def _resolve(db, row):
    """Return the public description of one index row if the viewer may read it, else None."""
    kind, ref = row["kind"], int(row["ref"])
    if kind == "topic":
        found = scopes.topic_in_sight(db, g.user, ref)
        return found and {"kind": "topic", "title": found[0]["title"], "topic_id": found[0]["id"],
                          "board": found[1]["id"]}
    if kind == "post":
        post = scopes.post_in_sight(db, g.user, ref)
        return post and {"kind": "post", "title": post["title"], "post_id": post["id"],
                         "author": post["author_name"]}
    if kind == "wiki":
        page = search.wiki_page(db, page_id=ref)
        if page is None or not can(db, g.user, "wiki.read", page):
            return None
        return {"kind": "wiki", "title": page["title"], "program_id": page["program_id"], "slug": page["slug"]}
    if kind == "comment":
        return _comment_hit(db, ref)
    return None


def _comment_hit(db, comment_id):
    """Return a hit for a live comment under a topic or post the viewer may read."""
    row = search.comment_owner(db, comment_id=comment_id)
    if row is None or row["deleted"] or row["hidden"]:
        return None
    if row["topic_id"]:
        found = scopes.topic_in_sight(db, g.user, row["topic_id"])
        return found and {"kind": "comment", "title": f"Reply in: {found[0]['title']}",
                          "topic_id": found[0]["id"], "board": found[1]["id"], "comment_id": comment_id}
    if row["post_id"]:
        post = scopes.post_in_sight(db, g.user, row["post_id"])
        return post and {"kind": "comment", "title": f"Comment on: {post['title']}",
                         "post_id": post["id"], "comment_id": comment_id}
    return None
