"""The OpenAPI paths of ending sessions (sign out everywhere; an admin ends a person's sessions)."""

from __future__ import annotations

from comments_server.web.openapi.parts import ROW_ID, _ok, _write

SESSION_PATHS = {
    "/api/session/end-everywhere": {"post": _write(
        "Sign out on every device: every session of the signed-in person ends, this one too",
        None, {"200": _ok("SessionsEnded")}, codes=(400, 401, 403))},
    "/api/users/{user_id}/sessions/end": {"post": _write(
        "Admins: end every session of a person (they must sign in again)", None,
        {"200": _ok("SessionsEnded")},
        [{"name": "user_id", "in": "path", "required": True, "schema": ROW_ID}], codes=(400, 401, 403, 404))},
}

SESSION_SCHEMAS = {
    "SessionsEnded": {"type": "object", "properties": {
        "ok": {"type": "boolean"}, "ended": {"type": "integer"}, "csrf_token": {"type": "string"}}},
}
