"""Rate limits: sign-in per e-mail address and per network address, and each app's limiter its own."""

from comments_server import create_app

from .conftest import Api, assert_error


def _api(tmp_path, app_config, name, **config):
    """A JSON client on a fresh app with ``config`` on top of the test configuration."""
    return Api(create_app({**app_config, **config}, instance_path=str(tmp_path / name)).test_client())


def _ask(api, email):
    return api.post("/api/auth/request-link", {"email": email}).status_code


def test_a_cohort_can_ask_for_links_from_one_office_with_the_defaults(tmp_path, app_config):
    del app_config["RATELIMIT_SIGNIN"]
    api = _api(tmp_path, app_config, "office")
    assert [_ask(api, f"learner{i}@example.com") for i in range(30)] == [202] * 30


def test_request_link_is_limited_per_email_address(tmp_path, app_config):
    api = _api(tmp_path, app_config, "email", RATELIMIT_SIGNIN_EMAIL="2 per 15 minutes")
    assert [_ask(api, "a@example.com") for _ in range(2)] == [202, 202]
    assert_error(api.post("/api/auth/request-link", {"email": " A@Example.com"}), 429)
    assert _ask(api, "b@example.com") == 202


def test_request_link_is_limited_per_network_address(tmp_path, app_config):
    api = _api(tmp_path, app_config, "ip", RATELIMIT_SIGNIN="3/minute")
    assert [_ask(api, f"p{i}@example.com") for i in range(4)] == [202, 202, 202, 429]


def test_redeem_is_limited_per_network_address(tmp_path, app_config):
    api = _api(tmp_path, app_config, "redeem", RATELIMIT_SIGNIN="2/minute")
    for _ in range(2):
        assert api.post("/api/auth/redeem", {"token": "nope"}).status_code == 404  # no such link
    assert_error(api.post("/api/auth/redeem", {"token": "nope"}), 429)


def test_an_app_without_limits_does_not_switch_them_off_for_the_next(tmp_path, app_config):
    _api(tmp_path, app_config, "off", RATELIMIT_ENABLED=False)
    api = _api(tmp_path, app_config, "on", RATELIMIT_SIGNIN_EMAIL="1/minute")
    assert _ask(api, "a@example.com") == 202
    assert_error(api.post("/api/auth/request-link", {"email": "a@example.com"}), 429)


def test_a_new_app_does_not_reset_the_counts_of_another(tmp_path, app_config):
    first = _api(tmp_path, app_config, "first", RATELIMIT_SIGNIN_EMAIL="1/minute")
    assert _ask(first, "a@example.com") == 202
    _api(tmp_path, app_config, "second", RATELIMIT_SIGNIN_EMAIL="1/minute")
    assert_error(first.post("/api/auth/request-link", {"email": "a@example.com"}), 429)


def test_a_limited_route_says_its_limit_in_headers_and_an_unlimited_one_says_none(tmp_path, app_config):
    api = _api(tmp_path, app_config, "headers", RATELIMIT_SIGNIN="3/minute")
    asked = api.post("/api/auth/request-link", {"email": "a@example.com"})
    assert asked.status_code == 202 and int(asked.headers["X-RateLimit-Limit"]) >= 3
    remaining = int(asked.headers["X-RateLimit-Remaining"])
    session = api.get("/api/session")
    assert session.status_code == 200 and "X-RateLimit-Limit" not in session.headers
    again = api.post("/api/auth/request-link", {"email": "a@example.com"})  # the count went on between them
    assert int(again.headers["X-RateLimit-Remaining"]) == remaining - 1
