"""Each access rule of the comment engine and the community, refused from outside (HTTP).

A rule answers 404 when the thing is out of the viewer's sight and 403, with
its sentence, when it is in sight but the action is not allowed
(access/rules.py). Every rule of access/threads.py, access/comments.py and
access/community.py has a row here (test_every_rule_has_a_row).
"""

from __future__ import annotations

import pytest

from comments_server.access import rules
from server.conftest import THREAD_URL, assert_error, post_comment

from .conftest import MODULE


@pytest.fixture
def scene(sign_in, author):
    """A roundtable comment (learner's), a coach reply, a hidden comment, a locked topic, a post, a question."""
    learner, coach = sign_in("learner"), sign_in("coach")
    thread = learner.get(THREAD_URL).json["thread"]["id"]  # not stored yet: the first post stores it
    comment = post_comment(learner, thread, "Mine")
    thread = comment["thread_id"]
    reply = post_comment(coach, thread, "A coach's reply", parent_id=comment["id"])
    hidden = post_comment(sign_in("learner2"), thread, "Soon hidden")
    assert coach.post(f"/api/comments/{hidden['id']}/hide", {"hidden": True}).status_code == 200
    topic = learner.post("/api/forums/boards/sales/topics", {"title": "T", "body": "B"}).json["topic"]
    locked = learner.post("/api/forums/boards/sales/topics", {"title": "L", "body": "B"}).json["topic"]
    assert coach.post(f"/api/forums/topics/{locked['id']}/moderate", {"locked": True}).status_code == 200
    post = learner.post("/api/blogs/posts", {"title": "P", "body": "B"}).json["post"]
    question = learner.post(f"/api/modules/{MODULE}/questions", {"body": "Q?"}).json["question"]
    other = sign_in("other_learner").get(THREAD_URL).json["thread"]["id"]  # sales-b, virtual
    return {"thread": thread, "other_thread": other, "comment": comment["id"], "reply": reply["id"],
            "hidden": hidden["id"], "topic": topic["id"], "locked_thread": locked["thread_id"],
            "post": post["id"], "question": question["id"]}


# (rule, role, method, url, body, status, words of the answer)
TABLE = [
    ("thread.post", "other_learner", "POST", "/api/threads/{thread}/comments", {"body": "x"}, 404, "No such thread"),
    ("thread.post", "learner", "POST", "/api/threads/{other_thread}/comments", {"body": "x"}, 404, "No such thread"),
    ("thread.post", "observer", "POST", "/api/threads/{thread}/comments", {"body": "x"}, 403,
     "can read this roundtable but not post"),
    ("thread.post", "learner2", "POST", "/api/threads/{locked_thread}/comments", {"body": "x"}, 403,
     "This topic is locked"),
    ("thread.read", "outsider", "GET", "/api/forums/topics/{topic}", None, 404, "No such topic"),
    ("comment.edit", "learner2", "PATCH", "/api/comments/{comment}", {"body": "x"}, 403, "Only the author"),
    ("comment.edit", "other_learner", "PATCH", "/api/comments/{comment}", {"body": "x"}, 404, "No such comment"),
    ("comment.edit", "learner2", "PATCH", "/api/comments/{hidden}", {"body": "x"}, 404, "No such comment"),
    ("comment.delete", "coach", "DELETE", "/api/comments/{comment}", None, 403, "author or an admin"),
    ("comment.hide", "learner", "POST", "/api/comments/{reply}/hide", {"hidden": True}, 403, "coach of this cohort"),
    ("comment.hide", "other_coach", "POST", "/api/comments/{reply}/hide", {"hidden": True}, 404, "No such comment"),
    ("comment.mark_helpful", "coach", "POST", "/api/comments/{comment}/helpful", {"helpful": True}, 403,
     "Only a learner"),
    ("board.post", "observer", "POST", "/api/forums/boards/sales/topics", {"title": "x", "body": "y"}, 403,
     "not start topics"),
    ("board.post", "outsider", "POST", "/api/forums/boards/sales/topics", {"title": "x", "body": "y"}, 404,
     "No forum board"),
    ("topic.edit", "learner2", "PATCH", "/api/forums/topics/{topic}", {"title": "x"}, 403, "Only the author"),
    ("topic.delete", "learner2", "DELETE", "/api/forums/topics/{topic}", None, 403, "author or an admin"),
    ("topic.moderate", "learner", "POST", "/api/forums/topics/{topic}/moderate", {"pinned": True}, 403,
     "Only a coach or an admin"),
    ("topic.moderate", "outsider", "POST", "/api/forums/topics/{topic}/moderate", {"pinned": True}, 404,
     "No such topic"),
    ("post.edit", "learner2", "PATCH", "/api/blogs/posts/{post}", {"title": "x"}, 403, "Only the author"),
    ("post.edit", "other_learner", "PATCH", "/api/blogs/posts/{post}", {"title": "x"}, 404, "No such post"),
    ("post.delete", "learner2", "DELETE", "/api/blogs/posts/{post}", None, 403, "author or an admin"),
    ("question.publish", "coach", "POST", "/api/questions/{question}/publish", {}, 403, "Only an author"),
    ("question.publish", "learner2", "POST", "/api/questions/{question}/publish", {}, 404, "No such question"),
]


@pytest.mark.parametrize(("rule", "role", "method", "url", "body", "status", "words"), TABLE,
                         ids=[f"{r}-{who}-{s}" for r, who, _, _, _, s, _ in TABLE])
def test_refusal_from_outside(sign_in, scene, rule, role, method, url, body, status, words):
    api = sign_in(role)
    url = url.format(**scene)
    response = api.get(url) if method == "GET" else api._send(method, url, body)
    assert_error(response, status, words)


SLICE_A_MODULES = ("comments_server.access.threads", "comments_server.access.comments",
                   "comments_server.access.community")


def test_every_rule_has_a_row():
    ours = {name for name in rules.actions() if rules._RULES[name].__module__ in SLICE_A_MODULES}
    assert ours == {row[0] for row in TABLE}
