"""Rate limits in Redis (issue 15): with RATELIMIT_STORAGE_URI=redis://..., app servers that share nothing else
count one write budget per person and one sign-in limit per address; the database keeps no counters then."""

from __future__ import annotations

import redis
from support.redis_server import redis_url  # noqa: F401  (the fixture)

from comments_server import create_app

from .conftest import PEOPLE, THREAD_URL, Api, add_people, assert_error, make_token
from .test_write_budget import COOKIE, _comment


def _counters_in_database(app):
    from comments_server.store.db import connect

    db = connect(app.config["DATABASE"])
    try:
        return db.execute("SELECT COUNT(*) FROM rate_counters").fetchone()[0]
    finally:
        db.close()


def test_two_servers_share_one_write_budget_through_redis(app_config, tmp_path, redis_url):  # noqa: F811
    config = {**app_config, "RATELIMIT_WRITES": "3/minute", "RATELIMIT_STORAGE_URI": redis_url}
    one = create_app(config, instance_path=str(tmp_path / "shared"))
    add_people(one)
    two = create_app(config, instance_path=str(tmp_path / "shared"))  # a second server on the same database
    first = Api(one.test_client())
    assert first.redeem(make_token(one, PEOPLE["learner"][0])).status_code == 200
    second = Api(two.test_client())
    second.client.set_cookie(COOKIE, first.client.get_cookie(COOKIE).value)
    second.csrf = first.csrf
    thread_id = first.get(THREAD_URL).json["thread"]["id"]
    assert [_comment(first, thread_id, 1), _comment(second, thread_id, 2), _comment(first, thread_id, 3)] == \
        [201, 201, 201]
    assert_error(second.post(f"/api/threads/{thread_id}/comments", {"body": "Fourth"}), 429)
    assert_error(first.post(f"/api/threads/{thread_id}/comments", {"body": "Fifth"}), 429)
    assert _counters_in_database(one) == 0  # the counts are in Redis, not in the database
    assert redis.Redis.from_url(redis_url).keys("*writes*")


def _pair(config, tmp_path, name):
    """Two servers, each on its own database (they share nothing but what the config names)."""
    return [Api(create_app(config, instance_path=str(tmp_path / f"{name}-{n}")).test_client()) for n in (1, 2)]


def _ask(api, email):
    return api.post("/api/auth/request-link", {"email": email}).status_code


def test_servers_on_separate_databases_share_the_limit_per_address_only_through_redis(app_config, tmp_path,
                                                                                      redis_url):  # noqa: F811
    config = {**app_config, "RATELIMIT_SIGNIN_EMAIL": "2 per 15 minutes"}
    one, two = _pair(config, tmp_path, "apart")  # each database counts for itself: 2 + 2 pass
    assert [_ask(one, "lena@example.com"), _ask(two, "lena@example.com"), _ask(one, "lena@example.com"),
            _ask(two, "lena@example.com")] == [202] * 4
    one, two = _pair({**config, "RATELIMIT_STORAGE_URI": redis_url}, tmp_path, "redis")
    assert [_ask(one, "lena@example.com"), _ask(two, "lena@example.com")] == [202, 202]
    assert_error(one.post("/api/auth/request-link", {"email": "lena@example.com"}), 429)
    assert_error(two.post("/api/auth/request-link", {"email": "lena@example.com"}), 429)


def test_servers_on_separate_databases_share_the_limit_per_network_address_through_redis(app_config, tmp_path,
                                                                                        redis_url):  # noqa: F811
    config = {**app_config, "RATELIMIT_SIGNIN": "2/minute"}
    one, two = _pair(config, tmp_path, "apart")
    assert [_ask(one, "a@example.com"), _ask(two, "b@example.com"), _ask(one, "c@example.com")] == [202] * 3
    one, two = _pair({**config, "RATELIMIT_STORAGE_URI": redis_url}, tmp_path, "redis")
    assert [_ask(one, "a@example.com"), _ask(two, "b@example.com")] == [202, 202]
    assert_error(one.post("/api/auth/request-link", {"email": "c@example.com"}), 429)


def test_when_redis_stops_writes_are_refused_with_503_not_let_through_and_reads_go_on(app_config, tmp_path,
                                                                                  redis_url):  # noqa: F811
    app = create_app({**app_config, "RATELIMIT_STORAGE_URI": redis_url}, instance_path=str(tmp_path / "i"))
    add_people(app)
    learner = Api(app.test_client())
    assert learner.redeem(make_token(app, PEOPLE["learner"][0])).status_code == 200
    thread_id = learner.get(THREAD_URL).json["thread"]["id"]
    assert _comment(learner, thread_id, 1) == 201
    redis.Redis.from_url(redis_url).shutdown(nosave=True)
    refused = learner.post(f"/api/threads/{thread_id}/comments", {"body": "While Redis is down"})
    assert_error(refused, 503, "rate limits")
    assert refused.headers["Retry-After"] == "30"
    page = learner.get(THREAD_URL)
    assert page.status_code == 200 and [c["body_html"] for c in page.json["comments"]] == ["<p>Post 1</p>"]
