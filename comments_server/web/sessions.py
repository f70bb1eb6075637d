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

import threading
import time
from collections import OrderedDict
from datetime import timedelta

from itsdangerous import BadSignature

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
        """Open the cookie session and remember which server session it arrived with.

        A cookie whose signature this process checked before is not checked again
        (:class:`VerifiedCookies`); its age still is, as Flask does.
        """
        value = request.cookies.get(self.get_cookie_name(app))
        if not value or not app.secret_key:
            opened = super().open_session(app, request)
        else:
            max_age = app.permanent_session_lifetime.total_seconds()
            known = VERIFIED.get((app.secret_key, value), max_age=max_age)
            if known is None:
                try:
                    data, signed = self.get_signing_serializer(app).loads(value, max_age=int(max_age),
                                                                          return_timestamp=True)
                except BadSignature:
                    return self._arrived(self.session_class())
                known = VERIFIED.put((app.secret_key, value), data, signed.timestamp())
            opened = self.session_class(known)  # a copy: the request may change its session
        return self._arrived(opened)

    @staticmethod
    def _arrived(opened):
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
        if session and not self.should_set_cookie(app, session):  # most requests: the cookie stays as it is
            if session.accessed:
                _vary_on_cookie(response)
            return
        super().save_session(app, session, response)


def _vary_on_cookie(response):
    """Add ``Vary: Cookie`` as Flask does for a session read, without building its header set."""
    vary = response.headers.get("Vary")
    if not vary:
        response.headers["Vary"] = "Cookie"
    elif "cookie" not in vary.lower():
        response.headers["Vary"] = f"{vary}, Cookie"


class VerifiedCookies:
    """Session cookies whose signature this process has checked: (secret key, cookie) -> (data, signed at).

    Verifying a cookie (HMAC, base64, JSON) was an eighth of a thread read's CPU, and
    a browser sends the same cookie with every request. Only cookies that passed the
    check are kept, so a forged cookie never lands here; the key holds the secret key,
    so apps in one process (tests) keep apart. Values are small (ids, the CSRF token).
    """

    def __init__(self, size=4096):
        self.size, self.entries, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key, *, max_age):
        """Return the data of a checked cookie still younger than ``max_age`` seconds, else None."""
        with self.lock:
            found = self.entries.get(key)
            if found is None:
                return None
            data, signed = found
            if time.time() - signed > max_age:
                del self.entries[key]
                return None
            self.entries.move_to_end(key)
            return data

    def put(self, key, data, signed):
        """Remember a checked cookie's data and when it was signed; return the data."""
        with self.lock:
            self.entries[key] = (data, signed)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return data


VERIFIED = VerifiedCookies()


def signed_in_user():
    """Return the person signed in by this request's session (a user with memberships) if its server record is live."""
    uid, sid = session.get("uid"), session.get("sid")
    if not uid or not sid:
        return None
    idle = timedelta(days=current_app.config["SESSION_IDLE_DAYS"])
    person = store.live_user(get_db(), session_id=sid, idle=idle)
    if person is None or person["id"] != uid:
        # ended elsewhere (signed out, everywhere, by an admin) or idle: drop it from the cookie too
        session.pop("uid", None)
        session.pop("sid", None)
        session.arrived_with = None
        return None
    return person


def end_everywhere(user_id):
    """End every session of a person, this one included; return how many ended."""
    g.pop("user", None)
    session.pop("uid", None)
    session.pop("sid", None)
    session.arrived_with = None
    return store.end_all(get_db(), user_id=user_id)
