"""Who may do what in the community tools: one table of (role, method, url, status), refusals included."""

from __future__ import annotations

import pytest

from .conftest import MODULE


@pytest.fixture
def scene(sign_in, author):
    """A sales topic, a cohort post of the learner, a wiki page and a question of the learner."""
    learner = sign_in("learner")
    topic = learner.post("/api/forums/boards/sales/topics", {"title": "T", "body": "B"}).json["topic"]
    post = learner.post("/api/blogs/posts", {"title": "P", "body": "B"}).json["post"]
    learner.post("/api/wiki/sales/pages/Home", {"body": "Home", "base_revision": 0})
    question = learner.post(f"/api/modules/{MODULE}/questions", {"body": "Q?"}).json["question"]
    return {"topic": topic["id"], "post": post["id"], "question": question["id"]}


TABLE = [
    ("learner2", "GET", "/api/forums/topics/{topic}", None, 200),
    ("other_learner", "GET", "/api/forums/topics/{topic}", None, 200),  # same program, other cohort
    ("outsider", "GET", "/api/forums/topics/{topic}", None, 404),
    ("observer", "POST", "/api/forums/boards/sales/topics", {"title": "x", "body": "y"}, 403),
    ("learner2", "PATCH", "/api/forums/topics/{topic}", {"title": "x"}, 403),
    ("learner2", "DELETE", "/api/forums/topics/{topic}", None, 403),
    ("admin", "DELETE", "/api/forums/topics/{topic}", None, 200),
    ("learner", "POST", "/api/forums/topics/{topic}/moderate", {"pinned": True}, 403),
    ("other_coach", "POST", "/api/forums/topics/{topic}/moderate", {"pinned": True}, 200),  # coaches the program
    ("learner2", "GET", "/api/blogs/posts/{post}", None, 200),
    ("other_learner", "GET", "/api/blogs/posts/{post}", None, 404),
    ("other_coach", "GET", "/api/blogs/posts/{post}", None, 404),
    ("manager", "GET", "/api/blogs/posts/{post}", None, 200),
    ("admin", "GET", "/api/blogs/posts/{post}", None, 200),
    ("learner2", "PATCH", "/api/blogs/posts/{post}", {"title": "x"}, 403),
    ("learner2", "DELETE", "/api/blogs/posts/{post}", None, 403),
    ("outsider", "GET", "/api/wiki/sales/pages/Home", None, 404),
    ("observer", "POST", "/api/wiki/sales/pages/Home", {"body": "x", "base_revision": 1}, 403),
    ("learner", "POST", "/api/wiki/sales/pages/Home/protect", {"protected": True}, 403),
    ("coach", "POST", "/api/wiki/sales/pages/Home/protect", {"protected": True}, 200),
    ("learner2", "GET", "/api/questions/{question}", None, 404),
    ("manager", "GET", "/api/questions/{question}", None, 404),
    ("other_coach", "GET", "/api/questions/{question}", None, 404),
    ("coach", "GET", "/api/questions/{question}", None, 200),
    ("coach", "POST", "/api/questions/{question}/publish", {}, 403),
]


@pytest.mark.parametrize(("role", "method", "url", "body", "status"), TABLE,
                         ids=[f"{r}-{m}-{u}" for r, m, u, _, _ in TABLE])
def test_permissions(sign_in, scene, role, method, url, body, status):
    api = sign_in(role)
    url = url.format(**scene)
    response = api.get(url) if method == "GET" else api._send(method, url, body)
    assert response.status_code == status, response.get_data(as_text=True)
