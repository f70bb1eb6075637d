"""Sign-in links made outside a request, printed rather than mailed: for the CLI and the demo seed."""

from __future__ import annotations

from comments_server.domain import links
from comments_server.store import tokens
from comments_server.store.db import write_transaction


def signin_link_for(app, db, user, *, base_url, next_url="", days=None):
    """Create a sign-in token for ``user`` valid for ``days`` (default ADMIN_LINK_DAYS); return the link."""
    days = days or int(app.config["ADMIN_LINK_DAYS"])
    next_url = links.safe_next(next_url)
    with write_transaction(db):
        token = tokens.add_token(db, user_id=user["id"], minutes=days * 24 * 60, next_url=next_url)
    return links.signin_link(base_url, token, next_url)
