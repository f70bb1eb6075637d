"""The API form of people."""

from __future__ import annotations


def session_user(user, *, dashboard):
    """Return the session JSON for a user; ``dashboard``: whether the dashboard has anything for them."""
    return {
        "id": user["id"], "name": user["name"], "email": user["email"], "admin": user["admin"],
        "memberships": [dict(m) for m in user["memberships"]], "dashboard": dashboard,
    }
