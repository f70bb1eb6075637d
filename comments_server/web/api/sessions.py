"""Ending sessions: sign out on every device, and an admin ending a person's sessions."""

from __future__ import annotations

from flask import Blueprint, g

from comments_server.store import sessions, users
from comments_server.web.contracts import NoFields, body
from comments_server.web.database import get_db
from comments_server.web.errors import ApiError
from comments_server.web.security import csrf_token, login_required
from comments_server.web.sessions import end_everywhere

bp = Blueprint("sessions", __name__, url_prefix="/api")


@bp.post("/session/end-everywhere")
@login_required
@body(NoFields, allow_empty=True)
def end_my_sessions():
    """Sign out on every device, this one included; answer with a fresh anonymous CSRF token."""
    ended = end_everywhere(g.user["id"])
    return {"ok": True, "ended": ended, "csrf_token": csrf_token()}


@bp.post("/users/<int:user_id>/sessions/end")
@login_required
@body(NoFields, allow_empty=True)
def end_someones_sessions(user_id):
    """An admin ends every session of a person; they must sign in again."""
    if not g.user["admin"]:
        raise ApiError(403, "Only an admin can end someone else's sessions.")
    if users.get_user(get_db(), user_id=user_id) is None:
        raise ApiError(404, "No such person.")
    return {"ok": True, "ended": sessions.end_all(get_db(), user_id=user_id)}
