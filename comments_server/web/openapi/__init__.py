"""The OpenAPI 3.1 description of /api, assembled from each area's paths; tests keep it equal to the routes."""

from __future__ import annotations

from comments_server.web.openapi.community import COMMUNITY_PATHS, COMMUNITY_SCHEMAS
from comments_server.web.openapi.core import PATHS as CORE_PATHS
from comments_server.web.openapi.core import SCHEMAS as CORE_SCHEMAS
from comments_server.web.openapi.notifications import (
    NOTIFICATION_PATHS,
    NOTIFICATION_SCHEMAS,
)
from comments_server.web.openapi.parts import _json

PATHS = {**CORE_PATHS, **COMMUNITY_PATHS, **NOTIFICATION_PATHS}
SCHEMAS = {**CORE_SCHEMAS, **COMMUNITY_SCHEMAS, **NOTIFICATION_SCHEMAS}


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
