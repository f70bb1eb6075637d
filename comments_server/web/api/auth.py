"""Sign in by one-time link, sign out, and the session the widget starts from."""

from __future__ import annotations

from typing import Annotated

from flask import Blueprint, current_app, g, request, session
from flask_limiter.util import get_remote_address
from pydantic import BeforeValidator

from comments_server.access.activities import dashboard_scope
from comments_server.access.rules import can
from comments_server.actions import auth
from comments_server.domain import links
from comments_server.store import tokens
from comments_server.web.contracts import Body, body
from comments_server.web.database import get_db
from comments_server.web.errors import ApiError
from comments_server.web.security import (
    csrf_token,
    email_limit_key,
    limiter,
    signin_email_limit,
    signin_limit,
)
from comments_server.web.serialize.people import session_user

bp = Blueprint("auth", __name__, url_prefix="/api")

TOKEN_MESSAGES = {
    "unknown": "This sign-in link is not valid. Ask for a new one.",
    "used": "This sign-in link has already been used. Ask for a new one.",
    "expired": "This sign-in link has expired. Ask for a new one.",
}


def _address(value):
    """Keep something that may be an e-mail address; the 400 asks for the enrolled one."""
    if not isinstance(value, str) or "@" not in value or len(value) > 320:
        raise ValueError("Give the email address you were enrolled with.")
    return value


def _text(message, *, empty=False):
    """Return a before-validator that keeps a string (``empty``: even "") and refuses the rest with ``message``."""

    def keep(value):
        if not isinstance(value, str) or not (value or empty):
            raise ValueError(message)
        return value

    return BeforeValidator(keep)


class RequestLink(Body):
    """Ask for a sign-in link: the address enrolled with, and the page to open afterwards."""

    email: Annotated[str, BeforeValidator(_address)]
    next: Annotated[str, _text("'next' must be a path on this site, e.g. /sales/.", empty=True)] = ""


class Redeem(Body):
    """Redeem a sign-in link's token."""

    token: Annotated[str, _text(TOKEN_MESSAGES["unknown"])]


class Logout(Body):
    """Sign out: no fields."""


@bp.get("/session")
def get_session():
    """Return the signed-in user (or null) and the CSRF token for state-changing requests."""
    user = session_user(g.user, dashboard=_has_dashboard(g.user)) if g.user else None
    return {"ok": True, "user": user, "csrf_token": csrf_token()}


@bp.post("/auth/request-link")
@limiter.limit(signin_limit, key_func=get_remote_address)  # per address, generous: one office, one cohort
@limiter.limit(signin_email_limit, key_func=email_limit_key)  # per mailbox: no flood of links to one person
@body(RequestLink)
def request_link():
    """Queue a sign-in link for the address; answer 202 at once, the same way for every address."""
    root = links.site_root(current_app.config["BASE_URL"], request.host_url)
    auth.request_link(get_db(), email=g.body.email, next_url=g.body.next, site_root=root)
    return {"ok": True, "message": "If that address is enrolled, a sign-in link is on its way."}, 202


@bp.post("/auth/redeem")
@limiter.limit(signin_limit, key_func=get_remote_address)
@body(Redeem)
def redeem():
    """Sign in with a one-time token; 400 says whether it is unknown, used or expired."""
    try:
        user, next_url = auth.redeem(get_db(), token=g.body.token)
    except tokens.TokenError as exc:
        raise ApiError(400, TOKEN_MESSAGES[exc.reason]) from None
    _start_session(user["id"])
    return {"ok": True, "user": session_user(user, dashboard=_has_dashboard(user)), "csrf_token": csrf_token(),
            "next": next_url}


def _has_dashboard(user):
    """The dashboard's own rule: staff have one; people who are only learners have My progress."""
    return can(get_db(), user, "dashboard.see", dashboard_scope(get_db(), user))


def _start_session(user_id):
    """Start a fresh session for a user, with a new CSRF token (no session fixation)."""
    session.clear()
    session.permanent = True
    session["uid"] = user_id


@bp.post("/auth/logout")
@body(Logout, allow_empty=True)
def logout():
    """Sign out (a no-op when nobody is signed in) and start a fresh anonymous session."""
    auth.logout(get_db(), viewer=g.user)
    session.clear()
    return {"ok": True, "user": None, "csrf_token": csrf_token()}
