"""Notifications: the in-site list and unread count, preferences, one-click unsubscribe, the outbox for admins."""

from __future__ import annotations

import html

from flask import Blueprint, current_app, g, request

from comments_server.notify import emails
from comments_server.notify.core import KINDS
from comments_server.store import notifications as store
from comments_server.store.db import write_transaction
from comments_server.web.database import get_db
from comments_server.web.errors import ApiError
from comments_server.web.security import login_required, read_json

bp = Blueprint("notifications", __name__)

NOTIFICATION_FIELDS = ("id", "kind", "subject", "text", "url", "created")


def _int_arg(name, default, lo, hi):
    """Return an integer query parameter within bounds, or answer 400."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not lo <= int(raw) <= hi:
        raise ApiError(400, f"'{name}' must be a whole number from {lo} to {hi}.")
    return int(raw)


def _item(row):
    """Return the API form of one notification."""
    return {**{k: row[k] for k in NOTIFICATION_FIELDS}, "actor": row["actor_name"], "read": row["read_at"] is not None}


@bp.get("/api/notifications")
@login_required
def list_notifications():
    """The signed-in person's notifications, newest first, with the unread count."""
    limit = _int_arg("limit", 20, 0, 100)
    before = _int_arg("before", 0, 0, 10**18 - 1) or None
    rows = store.list_for(get_db(), user_id=g.user["id"], before=before, limit=limit + 1)
    return {"ok": True, "unread": store.unread_count(get_db(), user_id=g.user["id"]),
            "notifications": [_item(r) for r in rows[:limit]], "has_more": len(rows) > limit}


@bp.post("/api/notifications/read")
@login_required
def mark_read():
    """Mark the listed notifications (``ids``), or all of them, read; answer the new unread count."""
    data = read_json(optional={"ids"}, allow_empty=True)
    ids = data.get("ids")
    if ids is not None and (not isinstance(ids, list) or len(ids) > 500
                            or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids)):
        raise ApiError(400, "'ids' must be a list of at most 500 notification ids.")
    changed = store.mark_read(get_db(), user_id=g.user["id"], ids=ids)
    return {"ok": True, "changed": changed, "unread": store.unread_count(get_db(), user_id=g.user["id"])}


def _preferences(user_id):
    """Return every kind with its label, the person's delivery and the default."""
    chosen = store.preferences(get_db(), user_id=user_id)
    return [{"kind": kind, "label": label, "default": default, "delivery": chosen.get(kind, default)}
            for kind, (label, default) in KINDS.items()]


@bp.get("/api/notifications/preferences")
@login_required
def get_preferences():
    """How the signed-in person wants to hear about each kind: immediate, digest or never."""
    return {"ok": True, "preferences": _preferences(g.user["id"]), "deliveries": list(store.DELIVERIES)}


@bp.put("/api/notifications/preferences")
@login_required
def put_preferences():
    """Change some kinds' delivery: ``{"reply": "digest", ...}``; other kinds keep theirs."""
    data = read_json(optional=set(KINDS))
    wrong = [f"'{k}' must be one of {', '.join(store.DELIVERIES)}." for k, v in data.items()
             if v not in store.DELIVERIES]
    if wrong:
        raise ApiError(400, *wrong)
    with write_transaction(get_db()):
        store.set_preferences(get_db(), user_id=g.user["id"], choices=data)
    return {"ok": True, "preferences": _preferences(g.user["id"]), "deliveries": list(store.DELIVERIES)}


@bp.get("/api/admin/outbox")
@login_required
def admin_outbox():
    """Admins: the outbox, newest first (``?status=failed`` for undeliverable mail), and counts per status."""
    if not g.user["admin"]:
        raise ApiError(403, "Only admins can read the outbox.")
    status = request.args.get("status")
    if status not in (None, "pending", "sending", "sent", "failed"):
        raise ApiError(400, "'status' must be pending, sending, sent or failed.")
    rows = store.outbox_rows(get_db(), status=status, limit=_int_arg("limit", 100, 1, 1000))
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
    kinds = list(KINDS) if kind == emails.ALL_KINDS else [kind]
    with write_transaction(get_db()):
        store.set_preferences(get_db(), user_id=user_id, choices={k: "never" for k in kinds})
    return _page("Unsubscribed", f"<p>Done: no more {html.escape(what)}. Change your mind on the site's "
                 "notifications page.</p>")


def _page(title, body, status=200):
    """Return a tiny standalone HTML page."""
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"<meta name=\"viewport\" content=\"width=device-width\"></head><body style=\"font-family: sans-serif; "
            f"max-width: 36em; margin: 3em auto\"><h1>{html.escape(title)}</h1>{body}</body></html>",
            status, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store",
                     "Referrer-Policy": "no-referrer"})
