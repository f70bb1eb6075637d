"""Limits that mean what they say (issue 11): one write budget per person across every write endpoint, and
counters every server process shares (two app instances on one database stand for two web workers)."""

from __future__ import annotations

import pytest

from comments_server import create_app

from .conftest import THREAD_URL, Api, assert_error

COOKIE = "roundtable_session"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_WRITES": "3/minute"}


def _comment(api, thread_id, n):
    return api.post(f"/api/threads/{thread_id}/comments", {"body": f"Post {n}"}).status_code


def test_one_budget_for_every_write_endpoint(sign_in):
    learner = sign_in("learner")
    thread_id = learner.get(THREAD_URL).json["thread"]["id"]
    assert [_comment(learner, thread_id, n) for n in range(3)] == [201, 201, 201]
    # the budget is spent: another endpoint is no way round it
    refused = learner.post("/api/blogs/posts", {"title": "Elsewhere", "body": "Another door"})
    assert_error(refused, 429)
    assert "for each person" in refused.json["error"] and int(refused.headers["Retry-After"]) >= 1
    assert_error(learner.post("/api/notifications/read", {}), 429)
    # someone else's budget is their own
    other = sign_in("learner2")
    assert _comment(other, thread_id, 9) == 201


def test_a_comment_answer_says_what_is_left_of_the_budget_every_write_spends(sign_in):
    learner = sign_in("learner")
    thread_id = learner.get(THREAD_URL).json["thread"]["id"]
    first = learner.post(f"/api/threads/{thread_id}/comments", {"body": "First"})
    assert (first.status_code, first.headers["X-RateLimit-Limit"], first.headers["X-RateLimit-Remaining"]) == \
        (201, "3", "2")
    assert 0 < int(first.headers["Retry-After"]) <= 60
    assert learner.post("/api/notifications/read", {}).status_code == 200  # another door, the same budget
    last = learner.post(f"/api/threads/{thread_id}/comments", {"body": "Last"})
    assert (last.status_code, last.headers["X-RateLimit-Remaining"]) == (201, "0")
    assert int(last.headers["X-RateLimit-Reset"]) >= int(first.headers["X-RateLimit-Reset"])
    assert_error(learner.post(f"/api/threads/{thread_id}/comments", {"body": "One too many"}), 429)


def test_two_server_processes_share_one_budget(app, app_config, sign_in):
    first = sign_in("learner")
    thread_id = first.get(THREAD_URL).json["thread"]["id"]
    second_app = create_app(app_config, instance_path=app.instance_path)  # another worker, same database
    second = Api(second_app.test_client())
    second.client.set_cookie(COOKIE, first.client.get_cookie(COOKIE).value)
    second.csrf = first.csrf
    assert [_comment(first, thread_id, 1), _comment(second, thread_id, 2), _comment(first, thread_id, 3)] == \
        [201, 201, 201]
    assert_error(second.post(f"/api/threads/{thread_id}/comments", {"body": "Fourth"}), 429)
    assert_error(first.post(f"/api/threads/{thread_id}/comments", {"body": "Fifth"}), 429)


def test_sign_in_limits_are_shared_by_server_processes(app, app_config):
    config = {**app_config, "RATELIMIT_SIGNIN_EMAIL": "2 per 15 minutes"}
    one = Api(create_app(config, instance_path=app.instance_path).test_client())
    two = Api(create_app(config, instance_path=app.instance_path).test_client())
    ask = {"email": "lena.learner@example.com"}
    assert [one.post("/api/auth/request-link", ask).status_code,
            two.post("/api/auth/request-link", ask).status_code] == [202, 202]
    assert_error(one.post("/api/auth/request-link", ask), 429)
    assert_error(two.post("/api/auth/request-link", ask), 429)
