"""Search across forums, blogs and wiki, scoped to what the viewer may read."""

from __future__ import annotations

from flask import Blueprint, g, request

from comments_server.store import search
from comments_server.web.database import get_db
from comments_server.web.api._community import int_arg
from comments_server.web.errors import ApiError
from comments_server.web.security import login_required

bp = Blueprint("search", __name__, url_prefix="/api/search")


@bp.get("")
@login_required
def search_community():
    """Return the forum topics and replies, blog posts and comments, and wiki pages matching ?q=."""
    text = request.args.get("q", "").strip()
    if not text:
        raise ApiError(400, "Type something to search for: ?q=words.")
    if len(text) > 200:
        raise ApiError(400, "'q' is too long: at most 200 characters.")
    results = search.search(get_db(), viewer=g.user, text=text, limit=int_arg("limit", 20, 1, 50))
    return {"ok": True, "query": text, "results": results}
