"""The OpenAPI 3.1 description of /api, built as data; tests keep it equal to the routes."""

from __future__ import annotations

ERROR = {"$ref": "#/components/responses/Error"}


def _json(schema):
    """Return a JSON content block for a schema."""
    return {"application/json": {"schema": schema}}


def _ok(schema_ref, description="OK"):
    """Return a response that carries one of the component schemas."""
    return {"description": description, "content": _json({"$ref": f"#/components/schemas/{schema_ref}"})}


def _body(properties, required):
    """Return a JSON request body with the given properties."""
    return {"required": True, "content": _json({
        "type": "object", "properties": properties, "required": required,
        "additionalProperties": False})}


def _errors(*codes):
    """Return error responses for the given status codes."""
    return {str(code): ERROR for code in codes}


CSRF = [{"name": "X-CSRF-Token", "in": "header", "required": True, "schema": {"type": "string"}}]
COMMENT_ID = [{"name": "comment_id", "in": "path", "required": True, "schema": {"type": "integer"}}]


def _write(summary, body, ok, extra_params=(), codes=(400, 401, 403, 404, 413, 429)):
    """Return the operation of a state-changing endpoint (CSRF header, JSON body)."""
    op = {"summary": summary, "parameters": CSRF + list(extra_params),
          "responses": {**ok, **_errors(*codes)}}
    if body is not None:
        op["requestBody"] = body
    return op


PATHS = {
    "/api/session": {"get": {
        "summary": "The signed-in user (or null) and the CSRF token",
        "responses": {"200": _ok("Session")}}},
    "/api/auth/request-link": {"post": _write(
        "Mail a one-time sign-in link (202 whether or not the address is enrolled)",
        _body({"email": {"type": "string"}, "next": {"type": "string"}}, ["email"]),
        {"202": _ok("Ok", "Accepted")}, codes=(400, 403, 413, 429))},
    "/api/auth/redeem": {"post": _write(
        "Sign in with a one-time token; 400 says unknown, already used or expired",
        _body({"token": {"type": "string"}}, ["token"]),
        {"200": _ok("Session")}, codes=(400, 403, 413, 429))},
    "/api/auth/logout": {"post": _write(
        "Sign out", {"required": False, "content": _json({"type": "object"})},
        {"200": _ok("Session")}, codes=(400, 403))},
    "/api/activities/{activity_id}/thread": {"get": {
        "summary": "The viewer's cohort thread of a roundtable activity, paged; ETag and 304",
        "parameters": [
            {"name": "activity_id", "in": "path", "required": True, "schema": {"type": "string"},
             "description": "catalog id, e.g. sales/discovery-calls/roundtable (slashes allowed)"},
            {"name": "cohort", "in": "query", "schema": {"type": "string"}},
            {"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 0}},
            {"name": "limit", "in": "query",
             "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 100}},
            {"name": "If-None-Match", "in": "header", "schema": {"type": "string"}},
        ],
        "responses": {"200": _ok("ThreadPage"), "304": {"description": "Not modified"},
                      **_errors(400, 401, 404)}}},
    "/api/threads/{thread_id}/comments": {"post": _write(
        "Add a comment or reply",
        _body({"body": {"type": "string"}, "parent_id": {"type": ["integer", "null"]},
               "question": {"type": "boolean"}}, ["body"]),
        {"201": _ok("CommentResult", "Created")},
        [{"name": "thread_id", "in": "path", "required": True, "schema": {"type": "integer"}}])},
    "/api/comments/{comment_id}": {
        "patch": _write("Edit one's own comment", _body({"body": {"type": "string"}}, ["body"]),
                        {"200": _ok("CommentResult")}, COMMENT_ID),
        "delete": _write("Delete a comment (author or admin); null when nothing is left to show",
                         None, {"200": _ok("CommentResult")}, COMMENT_ID),
    },
    "/api/comments/{comment_id}/hide": {"post": _write(
        "Hide or unhide a comment (coach of the cohort or admin)",
        _body({"hidden": {"type": "boolean"}}, ["hidden"]), {"200": _ok("CommentResult")},
        COMMENT_ID)},
    "/api/comments/{comment_id}/helpful": {"post": _write(
        "Mark a coach's reply helpful, or unmark it (learners)",
        _body({"helpful": {"type": "boolean"}}, ["helpful"]), {"200": _ok("CommentResult")},
        COMMENT_ID)},
    "/api/openapi.json": {"get": {
        "summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1",
                                                          "content": _json({"type": "object"})}}}},
}

STRING_OR_NULL = {"type": ["string", "null"]}

SCHEMAS = {
    "Error": {"type": "object", "required": ["ok", "error", "errors", "status"], "properties": {
        "ok": {"const": False}, "error": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "string"}}, "status": {"type": "integer"}}},
    "Ok": {"type": "object", "properties": {"ok": {"type": "boolean"}, "message": {"type": "string"}}},
    "User": {"type": "object", "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"}, "email": {"type": "string"},
        "admin": {"type": "boolean"}, "memberships": {"type": "array", "items": {
            "type": "object", "properties": {
                "cohort_id": {"type": "string"}, "program_id": {"type": "string"},
                "role": {"enum": ["learner", "coach", "manager", "observer"]}}}}}},
    "Session": {"type": "object", "required": ["ok", "user", "csrf_token"], "properties": {
        "ok": {"type": "boolean"}, "csrf_token": {"type": "string"}, "next": {"type": "string"},
        "user": {"oneOf": [{"$ref": "#/components/schemas/User"}, {"type": "null"}]}}},
    "Comment": {"type": "object", "properties": {
        "id": {"type": "integer"}, "thread_id": {"type": "integer"},
        "parent_id": {"type": ["integer", "null"]},
        "author": {"oneOf": [{"type": "null"}, {"type": "object", "properties": {
            "id": {"type": "integer"}, "name": {"type": "string"},
            "badges": {"type": "array", "items": {"enum": ["learner", "coach", "manager", "admin"]}}}}]},
        "body_html": {"type": "string"}, "body": {"type": "string"},
        "created": {"type": "string"}, "edited": STRING_OR_NULL, "deleted": {"type": "boolean"},
        "hidden": {"type": "boolean"}, "is_question": {"type": "boolean"},
        "question_open": {"type": "boolean"}, "helpful_count": {"type": "integer"},
        "marked_helpful_by_me": {"type": "boolean"}, "revision": {"type": "string"},
        "outdated": {"type": "boolean"},
        "can": {"type": "object", "properties": {k: {"type": "boolean"} for k in (
            "edit", "delete", "hide", "mark_helpful", "reply")}}}},
    "CommentResult": {"type": "object", "properties": {
        "ok": {"type": "boolean"},
        "comment": {"oneOf": [{"$ref": "#/components/schemas/Comment"}, {"type": "null"}]}}},
    "ThreadPage": {"type": "object", "properties": {
        "ok": {"type": "boolean"},
        "thread": {"type": "object", "properties": {
            "id": {"type": "integer"}, "activity_id": {"type": "string"},
            "cohort_id": {"type": "string"}, "prompt": {"type": "string"},
            "can_post": {"type": "boolean"},
            "module": {"type": "object", "properties": {k: {"type": "string"} for k in (
                "id", "title", "url", "content_hash")}}}},
        "comments": {"type": "array", "items": {"$ref": "#/components/schemas/Comment"}},
        "has_more": {"type": "boolean"}, "next_after": {"type": ["integer", "null"]}}},
}


def document():
    """Return the whole OpenAPI document."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Roundtable API", "version": "1",
                 "description": "Discussions, sign-in and sessions. State-changing requests send "
                                "Content-Type: application/json and X-CSRF-Token."},
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "responses": {"Error": {"description": "Error", "content": _json(
                {"$ref": "#/components/schemas/Error"})}},
            "securitySchemes": {"session": {"type": "apiKey", "in": "cookie",
                                            "name": "roundtable_session"}},
        },
    }
