"""Notifications: the in-site list and unread count, preferences, one-click unsubscribe, the outbox for admins."""

from __future__ import annotations

import html
from typing import Annotated

from flask import Blueprint, current_app, g, request
from pydantic import BeforeValidator, Field, ValidationInfo, WithJsonSchema, create_model

from comments_server.access.notifications import OUTBOX
from comments_server.access.rules import require
from comments_server.actions import notifications as actions
from comments_server.notify import emails
from comments_server.notify.core import KINDS
from comments_server.store import notifications as store
from comments_server.web.contracts import Body, Query, body, query
from comments_server.web.database import get_db
from comments_server.web.security import login_required
from comments_server.web.serialize import notifications as serialize

bp = Blueprint("notifications", __name__)

STATUSES = ("pending", "sending", "sent", "failed")


def whole_number(lo, hi):
    """Return a query-string type: a whole number from ``lo`` to ``hi`` written in ASCII digits."""

    def check(value, info: ValidationInfo):
        if not (isinstance(value, str) and value.isascii() and value.isdigit() and lo <= int(value) <= hi):
            raise ValueError(f"'{info.field_name}' must be a whole number from {lo} to {hi}.")
        return int(value)

    return Annotated[int, BeforeValidator(check), Field(json_schema_extra={"minimum": lo, "maximum": hi})]


def _delivery(value, info: ValidationInfo):
    """Keep one of the deliveries; the 400 lists them."""
    if value not in store.DELIVERIES:
        raise ValueError(f"'{info.field_name}' must be one of {', '.join(store.DELIVERIES)}.")
    return value


def _id(value):
    """A notification id as an int (``7.0`` is JSON Schema's integer 7), else None."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**63 else None


def _ids(value):
    """Keep a list of at most 500 notification ids."""
    ids = [_id(i) for i in value] if isinstance(value, list) else None
    if ids is None or len(ids) > 500 or None in ids:
        raise ValueError("'ids' must be a list of at most 500 notification ids.")
    return ids


def _status(value):
    """Keep one outbox status."""
    if value not in STATUSES:
        raise ValueError("'status' must be pending, sending, sent or failed.")
    return value


class ListQuery(Query):
    """A page of notifications: ``limit`` of them, older than the id ``before`` (0: the newest)."""

    limit: whole_number(0, 100) = 20
    before: whole_number(0, 10**18 - 1) = 0


class MarkRead(Body):
    """Which notifications to mark read: ``ids``, or (none given) all of them."""

    ids: Annotated[list[int], BeforeValidator(_ids), WithJsonSchema(
        {"type": "array", "maxItems": 500, "items": {"type": "integer", "minimum": 0, "maximum": 2**63 - 1}})] = None


# one optional field per kind: {"reply": "digest", ...}
Preferences = create_model(
    "Preferences", __base__=Body,
    **{kind: (Annotated[str, BeforeValidator(_delivery),
                        WithJsonSchema({"type": "string", "enum": list(store.DELIVERIES)})] | None, None)
       for kind in KINDS})


class OutboxQuery(Query):
    """Admins' view of the outbox: optionally one status, at most ``limit`` rows."""

    status: Annotated[str, BeforeValidator(_status), WithJsonSchema({"type": "string", "enum": list(STATUSES)})] = None
    limit: whole_number(1, 1000) = 100


@bp.get("/api/notifications")
@login_required
@query(ListQuery)
def list_notifications():
    """The signed-in person's notifications, newest first, with the unread count."""
    limit = g.query.limit
    rows = store.list_for(get_db(), user_id=g.user["id"], before=g.query.before or None, limit=limit + 1)
    return {"ok": True, "unread": store.unread_count(get_db(), user_id=g.user["id"]),
            "notifications": [serialize.item(r) for r in rows[:limit]], "has_more": len(rows) > limit}


@bp.post("/api/notifications/read")
@login_required
@body(MarkRead, allow_empty=True)
def mark_read():
    """Mark the listed notifications (``ids``), or all of them, read; answer the new unread count."""
    changed = actions.mark_read(get_db(), viewer=g.user, ids=g.body.ids)
    return {"ok": True, "changed": changed, "unread": store.unread_count(get_db(), user_id=g.user["id"])}


def _preferences_answer():
    """Answer with every kind's delivery for the signed-in person, and the deliveries there are."""
    chosen = store.preferences(get_db(), user_id=g.user["id"])
    return {"ok": True, "preferences": serialize.preferences(chosen), "deliveries": list(store.DELIVERIES)}


@bp.get("/api/notifications/preferences")
@login_required
def get_preferences():
    """How the signed-in person wants to hear about each kind: immediate, digest or never."""
    return _preferences_answer()


@bp.put("/api/notifications/preferences")
@login_required
@body(Preferences)
def put_preferences():
    """Change some kinds' delivery: ``{"reply": "digest", ...}``; other kinds keep theirs."""
    # null: keep that kind as it is (the same as leaving it out)
    actions.choose(get_db(), viewer=g.user, choices=g.body.model_dump(exclude_unset=True, exclude_none=True))
    return _preferences_answer()


@bp.get("/api/admin/outbox")
@login_required
@query(OutboxQuery)
def admin_outbox():
    """Admins: the outbox, newest first (``?status=failed`` for undeliverable mail), and counts per status."""
    require(get_db(), g.user, "outbox.read", OUTBOX)
    rows = store.outbox_rows(get_db(), status=g.query.status, limit=g.query.limit)
    return {"ok": True, "counts": store.outbox_counts(get_db()), "messages": rows}


# --------------------------------------------------------------------------- one-click unsubscribe (RFC 8058)
# Outside /api: a mail client's one-click POST is a form (List-Unsubscribe=One-Click),
# carries no CSRF token and no session; the signed token is the authority.


@bp.route("/unsubscribe", methods=["GET", "POST"])
def unsubscribe():
    """GET: a page that asks to confirm; POST (the page's button, or a mail client's one click): unsubscribe."""
    found = emails.read_unsubscribe_token(current_app.config["SECRET_KEY"], request.values.get("token", ""))
    if found is None:
        return _page("This unsubscribe link is not valid", "<p>Open the link from a recent mail again, or change "
                     "your choices on the notifications page of the site.</p>", 400)
    user_id, kind = found
    what = "every kind of Roundtable mail" if kind == emails.ALL_KINDS else f"mails about “{KINDS[kind][0].lower()}”"
    if request.method == "GET":
        token = html.escape(request.args["token"], quote=True)
        return _page("Unsubscribe?", f"<p>Stop {html.escape(what)}? Notifications stay in the site's list.</p>"
                     f"<form method=\"post\"><input type=\"hidden\" name=\"token\" value=\"{token}\">"
                     "<button type=\"submit\">Unsubscribe</button></form>")
    actions.unsubscribe(get_db(), user_id=user_id, kind=kind)
    return _page("Unsubscribed", f"<p>Done: no more {html.escape(what)}. Change your mind on the site's "
                 "notifications page.</p>")


def _page(title, body, status=200):
    """Return a tiny standalone HTML page."""
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"<meta name=\"viewport\" content=\"width=device-width\"></head><body style=\"font-family: sans-serif; "
            f"max-width: 36em; margin: 3em auto\"><h1>{html.escape(title)}</h1>{body}</body></html>",
            status, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store",
                     "Referrer-Policy": "no-referrer"})
