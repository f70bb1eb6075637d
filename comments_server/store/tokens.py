"""One-time sign-in links: only the token's hash is stored; each redeems once before it expires."""

from __future__ import annotations

import hashlib
import secrets

from comments_server.domain.timeutil import later_iso, now_iso


class TokenError(Exception):
    """A sign-in token that cannot be redeemed; ``reason`` is unknown, used or expired."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def _hash(token):
    """Return the stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def add_token(db, *, user_id, minutes, next_url=""):
    """Create a sign-in token valid for ``minutes`` and return it (the only time it exists in clear)."""
    token = secrets.token_urlsafe(32)
    db.table("login_tokens").insert({
        "token_hash": _hash(token), "user_id": user_id, "created": now_iso(),
        "expires": later_iso(minutes=minutes), "used_at": None, "next": next_url or "",
    })
    return token


def redeem(db, *, token):
    """Mark a token used and return its row; raise TokenError if unknown, used or expired.

    The UPDATE itself checks that the token is unused and unexpired and is
    answered by its rowcount, so two redeems of one link cannot both win,
    with or without a database-wide write lock. Call inside the write.
    """
    stamp = now_iso()
    cursor = db.execute("UPDATE login_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires >= ?",
                        [stamp, _hash(token), stamp])
    row = next(db.query("SELECT * FROM login_tokens WHERE token_hash = ?", [_hash(token)]), None)
    if cursor.rowcount == 1:
        return row
    if row is None:
        raise TokenError("unknown")
    raise TokenError("used" if row["used_at"] else "expired")
