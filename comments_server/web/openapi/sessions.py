"""The OpenAPI paths of a person's sessions and data: sign out everywhere, an admin ends sessions, my data."""

from __future__ import annotations

from comments_server.web.openapi.parts import ROW_ID, _errors, _ok, _write

SESSION_PATHS = {
    "/api/me/export": {"get": {
        "summary": "Everything Roundtable holds about the signed-in person: every record that points at them",
        "responses": {"200": _ok("PersonalData"), **_errors(401)}}},
    "/api/session/end-everywhere": {"post": _write(
        "Sign out on every device: every session of the signed-in person ends, this one too",
        None, {"200": _ok("SessionsEnded")}, codes=(400, 401, 403))},
    "/api/users/{user_id}/sessions/end": {"post": _write(
        "Admins: end every session of a person (they must sign in again)", None,
        {"200": _ok("SessionsEnded")},
        [{"name": "user_id", "in": "path", "required": True, "schema": ROW_ID}], codes=(400, 401, 403, 404))},
}

SESSION_SCHEMAS = {
    "PersonalData": {"type": "object", "properties": {
        "ok": {"type": "boolean"}, "format": {"type": "integer"}, "exported": {"type": "string"},
        "person": {"type": "object"}, "tables": {"type": "object"},
        "uploads": {"type": "array", "items": {"type": "string"}}}},
    "SessionsEnded": {"type": "object", "properties": {
        "ok": {"type": "boolean"}, "ended": {"type": "integer"}, "csrf_token": {"type": "string"}}},
}
