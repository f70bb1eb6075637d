"""Who is asking and may they: the session user, CSRF checks, JSON input and rate limits."""

from __future__ import annotations

import functools
import hmac
import secrets
import time

from flask import after_this_request, current_app, g, request, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse

from comments_server.domain import clock

from comments_server.web.errors import ApiError

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def _limit_key():
    """Rate-limit signed-in people by account and everyone else by address."""
    uid = session.get("uid")
    return f"user:{uid}" if uid else f"ip:{get_remote_address()}"


def email_limit_key():
    """Rate-limit sign-in links per e-mail address (an address the body lacks counts per address)."""
    data = request.get_json(silent=True)
    email = data.get("email") if isinstance(data, dict) else None
    if isinstance(email, str) and email.strip():
        return f"email:{email.strip().lower()}"
    return f"ip:{get_remote_address()}"


class AppLimits:
    """Rate limits declared on views at import time, enforced by a ``Limiter`` made per app.

    Flask-Limiter keeps its settings and storage on the ``Limiter`` object, so
    one module-level instance shared by every app in a process let one app's
    config (``RATELIMIT_ENABLED=False`` in a test fixture) and storage leak into
    the next. ``limit()`` only marks the view; :func:`bind_limits` wraps the
    marks in the app's own ``Limiter`` once its blueprints are registered.
    """

    def limit(self, value, *, key_func=None):
        """Mark a view with a limit (a string or a callable returning one), checked per app."""

        def mark(view):
            view.__dict__.setdefault("_rt_limits", []).append((value, key_func))
            return view

        return mark


limiter = AppLimits()


def signin_limit():
    """Return the configured per-address sign-in rate limit, e.g. "60/minute"."""
    return current_app.config["RATELIMIT_SIGNIN"]


def signin_email_limit():
    """Return the configured rate limit for sign-in links per e-mail address, e.g. "5 per 15 minutes"."""
    return current_app.config["RATELIMIT_SIGNIN_EMAIL"]


def writes_limit():
    """Return the configured rate limit for comment writes, e.g. "30/minute"."""
    return current_app.config["RATELIMIT_WRITES"]


def csrf_token():
    """Return this session's CSRF token, creating it on first use."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf():
    """Refuse a state-changing /api request that is not JSON or lacks the session's token.

    The content-type check (as isso does) stops plain HTML forms, which cannot
    send application/json; the token stops everything else cross-site.
    """
    if request.method not in STATE_CHANGING or not request.path.startswith("/api/"):
        return
    if request.routing_exception is not None:
        return  # let the 404/405 answer first: there is nothing to protect
    if request.mimetype != "application/json":
        raise ApiError(400, "Send the request as JSON: set Content-Type: application/json.")
    sent = request.headers.get("X-CSRF-Token", "")
    expected = session.get("csrf", "")
    if not sent:
        raise ApiError(403, "Missing X-CSRF-Token header: read csrf_token from GET /api/session.")
    if not expected or not hmac.compare_digest(sent, expected):
        raise ApiError(403, "Wrong CSRF token: read a fresh csrf_token from GET /api/session.")


def load_user():
    """Put the signed-in user (a dict with memberships) or None into ``g.user``."""
    from comments_server.web.sessions import signed_in_user

    g.user = signed_in_user()


def login_required(view):
    """Answer 401 unless someone is signed in."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if g.get("user") is None:
            raise ApiError(401, "Sign in to join the discussion.")
        return view(*args, **kwargs)

    return wrapped


def read_json(*, required=(), optional=(), allow_empty=False):
    """Return the request's JSON object limited to the allowed fields; 400 names what is wrong.

    ``allow_empty`` also accepts no body at all, for requests without fields (DELETE, logout).
    """
    if allow_empty and not request.get_data(cache=True):
        return {}
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "The request body must be a JSON object.")
    missing = [f"Missing field '{name}'." for name in required if name not in data]
    unknown = [
        f"Unknown field '{name}'." for name in data if name not in set(required) | set(optional)
    ]
    if missing or unknown:
        raise ApiError(400, *(missing + unknown))
    return data


def spend_write_budget():
    """Count a signed-in person's state-changing request against ONE budget shared by every write endpoint.

    RATELIMIT_WRITES is a budget per person, not per endpoint: after it, a
    person cannot go on through blog posts, topics or reflections instead.
    The counters live where every server process sees them (store/rate_limits.py).
    """
    if request.method not in STATE_CHANGING or not request.path.startswith("/api/") or g.get("user") is None:
        return
    if not current_app.config["RATELIMIT_ENABLED"]:  # the preview's sample server: its limiter never started
        return
    limiter = current_app.extensions["roundtable_limiter"]
    budget = parse(current_app.config["RATELIMIT_WRITES"])
    key = ("writes", f"user:{g.user['id']}")
    if not limiter.limiter.hit(budget, *key):
        reset = limiter.limiter.get_window_stats(budget, *key).reset_time
        wait = max(1, int(reset - clock.now().timestamp()) + 1)
        raise ApiError(429, f"Too many changes in a short time: the limit is {budget} for each person. "
                            f"Try again in {wait} s.", headers={"Retry-After": str(wait)})
    view = current_app.view_functions.get(request.endpoint)
    if current_app.config["RATELIMIT_HEADERS_ENABLED"] and _budget_marked(view):
        after_this_request(functools.partial(_budget_headers, limiter.limiter.get_window_stats(budget, *key),
                                             budget.amount))


def _budget_marked(view):
    """Whether a view is marked with the writes limit: the budget stands for it (see bind_limits)."""
    return any(value is writes_limit and key_func is None for value, key_func in getattr(view, "_rt_limits", ()))


def _budget_headers(stats, amount, response):
    """Send the X-RateLimit-* headers of the write budget, as Flask-Limiter sends a route limit's."""
    reset_at = int(stats.reset_time + 1)
    response.headers["X-RateLimit-Limit"] = str(amount)
    response.headers["X-RateLimit-Remaining"] = str(stats.remaining)
    response.headers["X-RateLimit-Reset"] = str(reset_at)
    response.headers["Retry-After"] = str(int(reset_at - time.time()))
    return response


def init_app(app):
    """Install this app's own rate limiter (counters in the database unless configured) and the hooks, CSRF first."""
    from comments_server.store import rate_limits

    if not app.config["RATELIMIT_STORAGE_URI"]:
        app.config["RATELIMIT_STORAGE_URI"] = rate_limits.uri_for(app.config["DATABASE"])
    app_limiter = app.extensions["roundtable_limiter"] = Limiter(key_func=_limit_key, app=app)
    hooks = app.before_request_funcs.get(None, [])
    if app_limiter._check_request_limit in hooks:
        # every limit here is a view's own (bind_limits), checked by the view's wrapper; the extension's
        # before-request check looks for app-wide limits (settings.py declares none), on every request
        hooks.remove(app_limiter._check_request_limit)
    _limiter_steps_only_where_limited(app, app_limiter)
    app.before_request(check_csrf)

    @app.before_request
    def _user():
        if request.path.startswith("/api/"):
            load_user()

    app.before_request(spend_write_budget)


def _limiter_steps_only_where_limited(app, app_limiter):
    """Run the extension's after-request step (X-RateLimit-* headers) and its teardown (a reset of its
    request state, which it first creates) only for views with a limit of their own.

    Most views (every read) have none; the two steps cost them about a tenth of a small answer.
    """
    limited = app.extensions["roundtable_limited_endpoints"] = set()

    def only_where_limited(step):
        return functools.wraps(step)(lambda arg=None: step(arg) if request.endpoint in limited else arg)

    for hooks, name in ((app.after_request_funcs, "__inject_headers"), (app.teardown_request_funcs, "__release_context")):
        funcs = hooks.get(None, [])
        step = next((f for f in funcs if getattr(getattr(f, "func", f), "__name__", "") == name), None)
        if step is not None:
            funcs[funcs.index(step)] = only_where_limited(step)


def bind_limits(app):
    """Wrap every view marked by ``limiter.limit`` in this app's ``Limiter``; call after the blueprints."""
    app_limiter = app.extensions["roundtable_limiter"]
    for endpoint, view in list(app.view_functions.items()):
        for value, key_func in view.__dict__.get("_rt_limits", ()):
            if value is writes_limit and key_func is None:
                # the write budget (spend_write_budget) already counted this request against the same limit,
                # per person, before the view: a second counter (a second write transaction per post)
                # could never refuse first. Views with this mark require a signed-in person.
                continue
            view = app_limiter.limit(value, key_func=key_func)(view)
            app.extensions["roundtable_limited_endpoints"].add(endpoint)
        app.view_functions[endpoint] = view
