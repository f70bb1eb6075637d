"""Who may do what to the sales-a thread and a learner's comment in it: one table, refusals included."""

from __future__ import annotations

import pytest

from .conftest import THREAD_URL, assert_error, post_comment

# (role, action, expected status)
TABLE = [
    ("learner", "read", 200), ("learner2", "read", 200), ("coach", "read", 200),
    ("manager", "read", 200), ("observer", "read", 200), ("admin", "read", 200),
    ("other_learner", "read", 404), ("other_coach", "read", 404), ("outsider", "read", 404),
    (None, "read", 401),
    ("learner2", "post", 201), ("coach", "post", 201), ("manager", "post", 201),
    ("admin", "post", 201), ("observer", "post", 403), ("other_learner", "post", 404),
    ("outsider", "post", 404), (None, "post", 401),
    ("learner", "edit", 200), ("learner2", "edit", 403), ("coach", "edit", 403),
    ("admin", "edit", 403), ("other_learner", "edit", 404), (None, "edit", 401),
    ("learner", "delete", 200), ("admin", "delete", 200), ("learner2", "delete", 403),
    ("coach", "delete", 403), ("other_coach", "delete", 404), (None, "delete", 401),
    ("coach", "hide", 200), ("admin", "hide", 200), ("learner", "hide", 403),
    ("manager", "hide", 403), ("observer", "hide", 403), ("other_coach", "hide", 404),
    (None, "hide", 401),
    ("learner2", "helpful", 200), ("learner", "helpful", 200), ("coach", "helpful", 403),
    ("admin", "helpful", 403), ("observer", "helpful", 403), ("other_learner", "helpful", 404),
    (None, "helpful", 401),
]


@pytest.fixture
def targets(sign_in, thread):
    """A learner's comment and, under it, a coach's reply (the target of 'helpful')."""
    comment = post_comment(sign_in("learner"), thread["id"], "mine")
    reply = post_comment(sign_in("coach"), thread["id"], "coach reply", parent_id=comment["id"])
    return thread, comment, reply


def do(api, action, thread, comment, reply):
    """Perform one action and return the response."""
    return {
        "read": lambda: api.get(THREAD_URL + "?cohort=sales-a"),
        "post": lambda: api.post(f"/api/threads/{thread['id']}/comments", {"body": "hello"}),
        "edit": lambda: api.patch(f"/api/comments/{comment['id']}", {"body": "changed"}),
        "delete": lambda: api.delete(f"/api/comments/{comment['id']}"),
        "hide": lambda: api.post(f"/api/comments/{comment['id']}/hide", {"hidden": True}),
        "helpful": lambda: api.post(f"/api/comments/{reply['id']}/helpful", {"helpful": True}),
    }[action]()


@pytest.mark.parametrize("role, action, status", TABLE)
def test_permission(sign_in, anon, targets, role, action, status):
    api = sign_in(role) if role else anon
    response = do(api, action, *targets)
    if status >= 400:
        assert_error(response, status)
    else:
        assert response.status_code == status, response.json


def test_refusals_change_nothing(sign_in, anon, targets, db):
    before = list(db.query("SELECT * FROM comments ORDER BY id"))
    for role, action, status in TABLE:
        if status >= 400:
            do(sign_in(role) if role else anon, action, *targets)
    assert list(db.query("SELECT * FROM comments ORDER BY id")) == before
    assert db.table("comment_helpful").count == 0
