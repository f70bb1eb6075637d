"""Sign in by one-time link, sign out, and the session the widget starts from."""

from __future__ import annotations

import smtplib
from urllib.parse import quote

from flask import Blueprint, current_app, g, request, session
from flask_limiter.util import get_remote_address

from comments_server.notify import mail
from comments_server.store import events, tokens, users
from comments_server.store.db import write_transaction
from comments_server.web.database import get_db
from comments_server.web.errors import ApiError
from comments_server.web.security import (
    csrf_token,
    email_limit_key,
    limiter,
    read_json,
    signin_email_limit,
    signin_limit,
)

bp = Blueprint("auth", __name__, url_prefix="/api")

TOKEN_MESSAGES = {
    "unknown": "This sign-in link is not valid. Ask for a new one.",
    "used": "This sign-in link has already been used. Ask for a new one.",
    "expired": "This sign-in link has expired. Ask for a new one.",
}


@bp.get("/session")
def get_session():
    """Return the signed-in user (or null) and the CSRF token for state-changing requests."""
    user = users.public(g.user) if g.user else None
    return {"ok": True, "user": user, "csrf_token": csrf_token()}


def safe_next(value):
    """Keep only same-site relative paths, so a link cannot redirect elsewhere."""
    value = (value or "").strip()
    if not isinstance(value, str) or not value.startswith("/") or value.startswith("//"):
        return ""
    return value if "\\" not in value else ""


def signin_link(base_url, token, next_url=""):
    """Return the sign-in page URL that redeems ``token``."""
    link = f"{base_url.rstrip('/')}/signin/?token={token}"
    return link + (f"&next={quote(next_url, safe='/')}" if next_url else "")


def base_url():
    """Return the configured public URL, or this request's host URL."""
    return current_app.config["BASE_URL"] or request.host_url


@bp.post("/auth/request-link")
@limiter.limit(signin_limit, key_func=get_remote_address)  # per address, generous: one office, one cohort
@limiter.limit(signin_email_limit, key_func=email_limit_key)  # per mailbox: no flood of links to one person
def request_link():
    """Mail a sign-in link if the address belongs to someone; answer 202 either way."""
    data = read_json(required={"email"}, optional={"next"})
    if not isinstance(data["email"], str) or "@" not in data["email"]:
        raise ApiError(400, "Give the email address you were enrolled with.")
    if not isinstance(data.get("next", ""), str):
        raise ApiError(400, "'next' must be a path on this site, e.g. /sales/.")
    db = get_db()
    user = users.get_user(db, email=data["email"])
    if user is not None:
        next_url = safe_next(data.get("next"))
        with write_transaction(db):
            token = tokens.add_token(db, user_id=user["id"], next_url=next_url,
                                     minutes=int(current_app.config["LOGIN_LINK_MINUTES"]))
        _send(user, signin_link(base_url(), token, next_url))
    return {"ok": True, "message": "If that address is enrolled, a sign-in link is on its way."}, 202


def _send(user, link):
    """Send the link; a mail failure is logged, and the answer stays 202 (it must not reveal who exists)."""
    try:
        mail.send_signin_link(current_app.config, current_app.logger,
                              to=user["email"], name=user["name"], link=link)
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("Could not send the sign-in link to %s", user["email"])


@bp.post("/auth/redeem")
@limiter.limit(signin_limit, key_func=get_remote_address)
def redeem():
    """Sign in with a one-time token; 400 says whether it is unknown, used or expired."""
    data = read_json(required={"token"})
    if not isinstance(data["token"], str) or not data["token"]:
        raise ApiError(400, TOKEN_MESSAGES["unknown"])
    db = get_db()
    try:
        with write_transaction(db):
            row = tokens.redeem(db, token=data["token"])
            user = users.get_user(db, user_id=row["user_id"])
            events.add_event(db, user=user, verb="logged-in",
                             obj={"objectType": "Activity", "id": "urn:roundtable:site"})
    except tokens.TokenError as exc:
        raise ApiError(400, TOKEN_MESSAGES[exc.reason]) from None
    _start_session(user["id"])
    return {"ok": True, "user": users.public(user), "csrf_token": csrf_token(),
            "next": row["next"] or "/"}


def _start_session(user_id):
    """Start a fresh session for a user, with a new CSRF token (no session fixation)."""
    session.clear()
    session.permanent = True
    session["uid"] = user_id


@bp.post("/auth/logout")
def logout():
    """Sign out (a no-op when nobody is signed in) and start a fresh anonymous session."""
    read_json(allow_empty=True)
    if g.user is not None:
        db = get_db()
        with write_transaction(db):
            events.add_event(db, user=g.user, verb="logged-out",
                             obj={"objectType": "Activity", "id": "urn:roundtable:site"})
    session.clear()
    return {"ok": True, "user": None, "csrf_token": csrf_token()}
