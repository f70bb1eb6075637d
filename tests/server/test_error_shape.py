"""Every error under /api has one JSON shape, including the ones werkzeug raises itself."""

from __future__ import annotations

from comments_server.web.errors import ApiError

from .conftest import assert_error


def test_unknown_api_url_is_json_404(anon):
    assert_error(anon.get("/api/no-such-thing"), 404)


def test_wrong_method_is_json_405_and_keeps_allow(anon):
    response = anon.post("/api/session")
    assert_error(response, 405)
    assert "GET" in response.headers["Allow"]


def test_too_large_body_is_json_413(app, anon):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = anon.post("/api/auth/request-link", {"email": "x" * 2000 + "@example.com"})
    assert_error(response, 413)


def test_server_error_is_json_500_without_details(app):
    @app.get("/api/test-crash")
    def crash():
        raise RuntimeError("secret internals")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    body = assert_error(app.test_client().get("/api/test-crash"), 500)
    assert "secret" not in body["error"]


def test_signed_out_read_is_json_401(anon):
    assert_error(anon.get("/api/activities/sales/discovery-calls/roundtable/thread"), 401, "sign in")


def test_api_error_carries_every_message(app):
    @app.get("/api/test-many")
    def many():
        raise ApiError(400, "first problem", "second problem")

    body = assert_error(app.test_client().get("/api/test-many"), 400)
    assert body["errors"] == ["first problem", "second problem"]


def test_rate_limit_is_json_429(tmp_path, app_config):
    from comments_server import create_app

    from .conftest import Api

    app_config["RATELIMIT_SIGNIN"] = "2/minute"
    api = Api(create_app(app_config, instance_path=str(tmp_path / "limited")).test_client())
    for _ in range(2):
        assert api.post("/api/auth/request-link", {"email": "a@example.com"}).status_code == 202
    response = api.post("/api/auth/request-link", {"email": "a@example.com"})
    assert_error(response, 429, "too many requests")
    assert "Retry-After" in response.headers or "X-RateLimit-Limit" in response.headers


def test_site_404_is_not_json(anon):
    response = anon.get("/no/such/page.html")
    assert response.status_code == 404
    assert response.mimetype != "application/json"
