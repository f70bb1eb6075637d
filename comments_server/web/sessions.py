"""Sessions: a signed cookie that names a session the server holds (store/sessions.py).

The cookie (HttpOnly, SameSite=Lax, Secure over https) keeps what an anonymous
visitor needs (the CSRF token) and, once signed in, the user id and a session
id. The session counts only while the server's row for that id is live, so
signing out ends it everywhere the cookie was copied, "sign out everywhere"
and an admin end all of a person's sessions, and a session unused for
``SESSION_IDLE_DAYS`` ends by itself.

The row follows the cookie session here, in one place: a session that gains a
user without a session id gets a new row; one that loses its user (or is
replaced by another) ends the row it came with. The sign-in and sign-out
views only set or clear the cookie session, as with plain Flask sessions.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface

from comments_server.store import sessions as store
from comments_server.web.database import get_db


class ServerSessions(SecureCookieSessionInterface):
    """Signed-cookie sessions backed by a server-side row per sign-in."""

    def get_cookie_secure(self, app):
        """Mark the cookie Secure when configured or when this request came over https."""
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure

    def open_session(self, app, request):
        """Open the cookie session and remember which server session it arrived with."""
        opened = super().open_session(app, request)
        if opened is not None:
            opened.arrived_with = opened.get("sid")
        return opened

    def save_session(self, app, session, response):
        """Begin or end the server's record to match the cookie session, then write the cookie."""
        arrived_with = getattr(session, "arrived_with", None)
        if arrived_with and session.get("sid") != arrived_with:
            store.end(get_db(), session_id=arrived_with)  # signed out, or replaced by a new sign-in
        if session.get("uid") and not session.get("sid"):
            session["sid"] = store.begin(get_db(), user_id=session["uid"],
                                         lifetime=app.permanent_session_lifetime)
        super().save_session(app, session, response)


def signed_in_user_id():
    """Return the user id of this request's session if its server record is live, else None."""
    uid, sid = session.get("uid"), session.get("sid")
    if not uid or not sid:
        return None
    idle = timedelta(days=current_app.config["SESSION_IDLE_DAYS"])
    live = store.live_user_id(get_db(), session_id=sid, idle=idle)
    if live != uid:
        # ended elsewhere (signed out, everywhere, by an admin) or idle: drop it from the cookie too
        session.pop("uid", None)
        session.pop("sid", None)
        session.arrived_with = None
        return None
    return uid


def end_everywhere(user_id):
    """End every session of a person, this one included; return how many ended."""
    g.pop("user", None)
    session.pop("uid", None)
    session.pop("sid", None)
    session.arrived_with = None
    return store.end_all(get_db(), user_id=user_id)
