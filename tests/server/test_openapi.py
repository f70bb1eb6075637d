"""The OpenAPI document and the app's routes describe the same API, in the style of sqlite-utils' test_docs."""

from __future__ import annotations

import re
import tempfile

import pytest

from comments_server import create_app

IGNORED_METHODS = {"HEAD", "OPTIONS"}


def api_routes(app):
    """Return {(openapi path, method)} for every url_map rule under /api."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = re.sub(r"<(?:[a-z_]+:)?([a-z_]+)>", r"{\1}", rule.rule)
        routes |= {(path, m.lower()) for m in rule.methods - IGNORED_METHODS}
    return routes


def documented(doc):
    """Return {(path, method)} of the OpenAPI document."""
    return {(path, method) for path, ops in doc["paths"].items() for method in ops}


@pytest.fixture
def doc(anon):
    return anon.get("/api/openapi.json").json


def test_openapi_is_served_as_3_1(doc):
    assert doc["openapi"].startswith("3.1")


def _routes_at_collection():
    """Return the routes of a throwaway app, so each route is its own test."""
    with tempfile.TemporaryDirectory() as tmp:
        return sorted(api_routes(create_app({"TESTING": True, "SITE_DIR": tmp}, instance_path=tmp)))


@pytest.mark.parametrize("route", _routes_at_collection())
def test_every_route_is_documented(doc, route):
    assert route in documented(doc), f"{route} is missing from comments_server/openapi.py"


def test_every_documented_path_exists(app, doc):
    assert documented(doc) <= api_routes(app)


def test_every_path_parameter_is_declared(doc):
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            declared = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
            assert declared == set(re.findall(r"{(\w+)}", path)), (path, method)


def test_every_ref_resolves(doc):
    text = str(doc)
    for ref in re.findall(r"#/components/(\w+)/(\w+)", text):
        assert ref[1] in doc["components"][ref[0]], ref
