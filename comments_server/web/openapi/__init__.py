"""The OpenAPI 3.1 description of /api, assembled from each area's paths; tests keep it equal to the routes.

Each area writes its paths, responses and errors (``core``, ``community``,
``notifications``, ``sessions``). A view that declares its request with
``web/contracts.py`` (``@body(Model)`` / ``@query(Model)``) gets its request
body and query parameters from that model here, so what the document says a
request may hold is what the server checks.
"""

from __future__ import annotations

import copy
import re

from flask import current_app

from comments_server.web.openapi.coach_notes import COACH_NOTES_PATHS, COACH_NOTES_SCHEMAS
from comments_server.web.openapi.community import COMMUNITY_PATHS, COMMUNITY_SCHEMAS
from comments_server.web.openapi.core import PATHS as CORE_PATHS
from comments_server.web.openapi.core import SCHEMAS as CORE_SCHEMAS
from comments_server.web.openapi.notifications import NOTIFICATION_PATHS, NOTIFICATION_SCHEMAS
from comments_server.web.openapi.parts import _json
from comments_server.web.openapi.quizzes import QUIZ_PATHS, QUIZ_SCHEMAS
from comments_server.web.openapi.sessions import SESSION_PATHS, SESSION_SCHEMAS

PATHS = {**CORE_PATHS, **COMMUNITY_PATHS, **NOTIFICATION_PATHS, **SESSION_PATHS, **COACH_NOTES_PATHS, **QUIZ_PATHS}
SCHEMAS = {**CORE_SCHEMAS, **COMMUNITY_SCHEMAS, **NOTIFICATION_SCHEMAS, **SESSION_SCHEMAS, **COACH_NOTES_SCHEMAS,
           **QUIZ_SCHEMAS}
REF = "#/components/schemas/{model}"


def document():
    """Return the whole OpenAPI document."""
    paths, schemas = copy.deepcopy(PATHS), copy.deepcopy(SCHEMAS)
    for path, method, view in _api_views():
        operation = paths.get(path, {}).get(method)
        if operation is not None:
            _from_contracts(operation, view, schemas)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Roundtable API", "version": "1",
                 "description": "Discussions, sign-in and sessions. State-changing requests send "
                                "Content-Type: application/json and X-CSRF-Token."},
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": {"Error": {"description": "Error", "content": _json(
                {"$ref": "#/components/schemas/Error"})}},
            "securitySchemes": {"session": {"type": "apiKey", "in": "cookie",
                                            "name": "roundtable_session"}},
        },
    }


def _api_views():
    """Yield (OpenAPI path, method, view function) for every /api route of the app."""
    for rule in current_app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = re.sub(r"<(?:[a-z_]+:)?([a-z_]+)>", r"{\1}", rule.rule)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                yield path, method.lower(), current_app.view_functions[rule.endpoint]


def request_schema(model):
    """Return the JSON schema of a request model, its nested models referenced from components."""
    return model.model_json_schema(ref_template=REF)


def _from_contracts(operation, view, schemas):
    """Put a view's declared request body and query parameters into its operation."""
    body_model = getattr(view, "request_model", None)
    if body_model is not None:
        schema = request_schema(body_model)
        schemas.update(schema.pop("$defs", {}))
        operation["requestBody"] = {"required": not getattr(view, "body_optional", False),
                                    "content": _json(schema)}
    query_model = getattr(view, "query_model", None)
    if query_model is not None:
        schema = request_schema(query_model)
        others = [p for p in operation.get("parameters", []) if p["in"] != "query"]
        required = set(schema.get("required", []))
        operation["parameters"] = others + [
            {"name": name, "in": "query", "required": name in required, "schema": prop}
            for name, prop in schema.get("properties", {}).items()]
