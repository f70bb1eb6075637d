"""The OpenAPI document of the API."""

from __future__ import annotations

from flask import Blueprint

from comments_server.web.openapi import document

bp = Blueprint("docs", __name__, url_prefix="/api")


@bp.get("/openapi.json")
def openapi():
    """Return the OpenAPI 3.1 document describing /api."""
    return document()
