"""The OpenAPI paths and schemas of notifications (issue 7)."""

from __future__ import annotations

from comments_server.notify.core import KINDS
from comments_server.web.openapi.parts import ROW_ID, _errors, _ok, _write

TEXT = {"type": "string"}
DELIVERY = {"type": "string", "enum": ["immediate", "digest", "never"]}


def _q(name, schema):
    """Return one query parameter."""
    return {"name": name, "in": "query", "required": False, "schema": schema}


NOTIFICATION_PATHS = {
    "/api/notifications": {"get": {
        "summary": "The signed-in person's notifications, newest first, and the unread count",
        "parameters": [_q("limit", {"type": "integer", "minimum": 0, "maximum": 100, "default": 20}),
                       _q("before", ROW_ID)],
        "responses": {"200": _ok("NotificationList"), **_errors(400, 401)}}},
    "/api/notifications/read": {"post": _write(
        "Mark notifications read: the listed ids, or all without a body", {"required": False, "content": {
            "application/json": {"schema": {"type": "object", "additionalProperties": False, "properties": {
                "ids": {"type": "array", "maxItems": 500, "items": ROW_ID}}}}}},
        {"200": _ok("NotificationsRead")}, codes=(400, 401, 403, 429))},
    "/api/notifications/preferences": {
        "get": {"summary": "Delivery per kind: immediate, daily digest or never (mail only; the list keeps all)",
                "responses": {"200": _ok("NotificationPreferences"), **_errors(401)}},
        "put": _write("Change the delivery of some kinds", {"required": True, "content": {"application/json": {
            "schema": {"type": "object", "additionalProperties": False,
                       "properties": {kind: DELIVERY for kind in KINDS}}}}},
            {"200": _ok("NotificationPreferences")}, codes=(400, 401, 403, 429))},
    "/api/admin/outbox": {"get": {
        "summary": "Admins: the mail outbox (failed mail keeps its error) and counts per status",
        "parameters": [_q("status", {"type": "string", "enum": ["pending", "sending", "sent", "failed"]}),
                       _q("limit", {"type": "integer", "minimum": 1, "maximum": 1000})],
        "responses": {"200": _ok("Outbox"), **_errors(400, 401, 403)}}},
}
NOTIFICATION_SCHEMAS = {
    "NotificationList": {"type": "object", "properties": {
        "ok": {"type": "boolean"}, "unread": {"type": "integer"}, "has_more": {"type": "boolean"},
        "notifications": {"type": "array", "items": {"type": "object", "properties": {
            "id": {"type": "integer"}, "kind": {"type": "string", "enum": list(KINDS)}, "subject": TEXT,
            "text": TEXT, "url": TEXT, "created": TEXT, "actor": {"type": ["string", "null"]},
            "read": {"type": "boolean"}}}}}},
    "NotificationsRead": {"type": "object", "properties": {
        "ok": {"type": "boolean"}, "changed": {"type": "integer"}, "unread": {"type": "integer"}}},
    "NotificationPreferences": {"type": "object", "properties": {
        "ok": {"type": "boolean"}, "deliveries": {"type": "array", "items": DELIVERY},
        "preferences": {"type": "array", "items": {"type": "object", "properties": {
            "kind": TEXT, "label": TEXT, "default": DELIVERY, "delivery": DELIVERY}}}}},
    "Outbox": {"type": "object", "properties": {
        "ok": {"type": "boolean"}, "counts": {"type": "object"},
        "messages": {"type": "array", "items": {"type": "object"}}}},
}
