"""Building blocks of the OpenAPI document shared by every area's paths."""

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
ROW_ID = {"type": "integer", "minimum": 0, "maximum": 10**18 - 1}
COMMENT_ID = [{"name": "comment_id", "in": "path", "required": True, "schema": ROW_ID}]
# State-changing requests must be JSON even without fields (the CSRF content-type check)
EMPTY_BODY = {"required": True, "content": _json({"type": "object", "maxProperties": 0})}
COMMENT_BODY = {"type": "string", "minLength": 1, "maxLength": 20000, "pattern": "\\S"}
NEW_COMMENT = {"required": True, "content": _json({"oneOf": [
    {"type": "object", "required": ["body"], "additionalProperties": False,
     "description": "a top-level post, optionally a question",
     "properties": {"body": COMMENT_BODY, "parent_id": {"type": "null"},
                    "question": {"type": "boolean"}}},
    {"type": "object", "required": ["body", "parent_id"], "additionalProperties": False,
     "description": "a reply (never a question)",
     "properties": {"body": COMMENT_BODY, "parent_id": ROW_ID, "question": {"const": False}}},
]})}


def _write(summary, body, ok, extra_params=(), codes=(400, 401, 403, 404, 413, 429)):
    """Return the operation of a state-changing endpoint (CSRF header, JSON body)."""
    op = {"summary": summary, "parameters": CSRF + list(extra_params),
          "responses": {**ok, **_errors(*codes)}}
    if body is not None:
        op["requestBody"] = body
    return op
