"""Request contracts are declared once (issue 13): every state-changing /api operation validates its JSON body
with a pydantic model, and the OpenAPI document's request schema for it is that model's schema; query models
likewise give the documented query parameters."""

from __future__ import annotations

import re
import tempfile

import pytest

from comments_server import create_app
from comments_server.web.openapi import query_schemas, request_schema

# A file upload is multipart (or JSON {link}); its fields are checked by web/uploads.py and the view.
MULTIPART = {("post", "/api/activities/{activity_id}/presentation")}


def _operations():
    """(OpenAPI path, method, has body model, has query model) of every /api route of a throwaway app."""
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"TESTING": True, "SITE_DIR": tmp}, instance_path=tmp)
        out = []
        for rule in app.url_map.iter_rules():
            if rule.rule.startswith("/api/"):
                path = re.sub(r"<(?:[a-z_]+:)?([a-z_]+)>", r"{\1}", rule.rule)
                view = app.view_functions[rule.endpoint]
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                    out.append((path, method.lower(), getattr(view, "request_model", None),
                                getattr(view, "query_model", None)))
        return out


OPERATIONS = _operations()
ALL_WRITES = [(p, m, body) for p, m, body, _ in OPERATIONS if m in ("post", "put", "patch", "delete")]
WRITES = [(p, m, body) for p, m, body in ALL_WRITES if (m, p) not in MULTIPART]
QUERIES = [(p, m, query) for p, m, _, query in OPERATIONS if query is not None]


@pytest.fixture(scope="module")
def doc(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("contracts")
    return create_app({"TESTING": True, "SITE_DIR": str(tmp)}, instance_path=str(tmp)).test_client() \
        .get("/api/openapi.json").json


@pytest.mark.parametrize("path, method, model", WRITES, ids=[f"{m} {p}" for p, m, _ in WRITES])
def test_every_write_validates_its_body_with_the_documented_model(doc, path, method, model):
    assert model is not None, f"{method.upper()} {path} checks its body by hand: declare it with @body(Model)"
    schema = request_schema(model)
    schema.pop("$defs", None)
    documented = doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    assert documented == schema


@pytest.mark.parametrize("path, method, model", QUERIES, ids=[f"{m} {p}" for p, m, _ in QUERIES])
def test_documented_query_parameters_are_the_query_model(doc, path, method, model):
    documented = {p["name"]: p["schema"] for p in doc["paths"][path][method].get("parameters", [])
                  if p["in"] == "query"}
    assert documented == query_schemas(model)


def test_the_multipart_exemption_is_still_a_route():
    assert MULTIPART <= {(m, p) for p, m, _ in ALL_WRITES}
