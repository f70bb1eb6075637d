"""The OpenAPI path of coach-only blocks (issue 12): a module's facilitator notes, for its coaches."""

from __future__ import annotations

from comments_server.web.openapi.parts import _errors, _ok

COACH_NOTES_PATHS = {
    "/api/modules/{module_id}/coach-notes": {"get": {
        "summary": "A module's coach-only blocks: coaches of a cohort of its program, its authors and admins; "
                   "anyone else (signed in or not) gets 404, as for a module that does not exist",
        "parameters": [{"name": "module_id", "in": "path", "required": True, "schema": {"type": "string"},
                        "description": "catalog id, e.g. sales/discovery-calls (slashes allowed)"}],
        "responses": {"200": _ok("CoachNotes"), **_errors(404)}}},
}

COACH_NOTES_SCHEMAS = {
    "CoachNotes": {"type": "object", "properties": {
        "ok": {"type": "boolean"}, "module_id": {"type": "string"},
        "notes": {"type": "array", "description": "in page order; n matches the mount point's data-rt-note",
                  "items": {"type": "object", "properties": {
                      "n": {"type": "integer", "minimum": 1}, "title": {"type": "string"},
                      "html": {"type": "string", "description": "sanitised by the build (nh3)"}}}}}},
}
