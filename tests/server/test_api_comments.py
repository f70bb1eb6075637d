"""Edit, delete, hide and mark helpful: who may, who may not, and what others then see."""

from __future__ import annotations

import pytest

from comments_server.store import events

from .conftest import THREAD_URL, assert_error, post_comment


@pytest.fixture
def comment(sign_in, thread):
    """A learner's comment in the sales-a thread."""
    return post_comment(sign_in("learner"), thread["id"], "First thoughts")


def listed(api):
    """Return the comments the api's user sees in the sales-a thread, by id."""
    return {c["id"]: c for c in api.get(THREAD_URL + "?cohort=sales-a").json["comments"]}


def test_author_edits_and_comment_is_marked_edited(sign_in, comment, db):
    api = sign_in("learner")
    body = api.patch(f"/api/comments/{comment['id']}", {"body": "Better *thoughts*"}).json
    assert body["comment"]["body_html"] == "<p>Better <em>thoughts</em></p>"
    assert body["comment"]["edited"] and body["comment"]["body"] == "Better *thoughts*"
    assert len(events.list_events(db, verb="edited")) == 1


def test_someone_elses_comment_cannot_be_edited(sign_in, comment):
    for role in ("learner2", "coach", "admin"):
        response = sign_in(role).patch(f"/api/comments/{comment['id']}", {"body": "mine now"})
        assert_error(response, 403, "only the author")
    assert listed(sign_in("learner"))[comment["id"]]["body_html"] == "<p>First thoughts</p>"


def test_comment_of_another_cohort_is_404(sign_in, comment):
    other = sign_in("other_learner")
    assert_error(other.patch(f"/api/comments/{comment['id']}", {"body": "x"}), 404)
    assert_error(other.delete(f"/api/comments/{comment['id']}"), 404)
    assert_error(sign_in("other_coach").post(f"/api/comments/{comment['id']}/hide",
                                             {"hidden": True}), 404)


def test_unknown_comment_is_404(sign_in):
    assert_error(sign_in("learner").patch("/api/comments/999999", {"body": "x"}), 404)


def test_delete_without_replies_removes_it_from_the_thread(sign_in, comment, db):
    response = sign_in("learner").delete(f"/api/comments/{comment['id']}")
    assert response.status_code == 200 and response.json["comment"] is None
    assert comment["id"] not in listed(sign_in("learner2"))
    assert db.table("comments").count == 1  # soft delete: the row stays
    assert events.list_events(db, verb="deleted")


def test_delete_with_replies_stays_as_deleted_placeholder(sign_in, thread, comment):
    post_comment(sign_in("coach"), thread["id"], "A reply", parent_id=comment["id"])
    placeholder = sign_in("learner").delete(f"/api/comments/{comment['id']}").json["comment"]
    assert placeholder["deleted"] is True and placeholder["body_html"] == ""
    assert placeholder["author"] is None and "body" not in placeholder
    seen = listed(sign_in("learner2"))[comment["id"]]
    assert seen["deleted"] is True and seen["can"] == {
        "edit": False, "delete": False, "hide": False, "mark_helpful": False, "reply": False}


def test_deleted_comment_cannot_be_deleted_or_edited_again(sign_in, comment):
    api = sign_in("learner")
    api.delete(f"/api/comments/{comment['id']}")
    assert_error(api.delete(f"/api/comments/{comment['id']}"), 404)
    assert_error(api.patch(f"/api/comments/{comment['id']}", {"body": "back"}), 404)


def test_others_cannot_delete_but_admin_can(sign_in, comment):
    for role in ("learner2", "coach", "manager"):
        assert_error(sign_in(role).delete(f"/api/comments/{comment['id']}"), 403)
    assert sign_in("admin").delete(f"/api/comments/{comment['id']}").status_code == 200


def test_coach_hides_and_learners_no_longer_see_it(sign_in, comment, db):
    coach = sign_in("coach")
    body = coach.post(f"/api/comments/{comment['id']}/hide", {"hidden": True}).json
    assert body["comment"]["hidden"] is True
    assert comment["id"] not in listed(sign_in("learner2"))
    assert comment["id"] not in listed(sign_in("learner"))
    assert listed(coach)[comment["id"]]["hidden"] is True
    assert listed(sign_in("admin"))[comment["id"]]["body_html"] == "<p>First thoughts</p>"
    assert events.list_events(db, verb="hid")
    coach.post(f"/api/comments/{comment['id']}/hide", {"hidden": False})
    assert comment["id"] in listed(sign_in("learner2"))


def test_hidden_comment_with_replies_is_a_placeholder_for_learners(sign_in, thread, comment):
    post_comment(sign_in("learner2"), thread["id"], "reply", parent_id=comment["id"])
    sign_in("coach").post(f"/api/comments/{comment['id']}/hide", {"hidden": True})
    seen = listed(sign_in("learner2"))[comment["id"]]
    assert seen["hidden"] is True and seen["body_html"] == "" and seen["author"] is None


def test_learner_cannot_hide(sign_in, comment):
    for role in ("learner", "learner2", "manager", "observer"):
        response = sign_in(role).post(f"/api/comments/{comment['id']}/hide", {"hidden": True})
        assert_error(response, 403, "coach")


def test_admin_can_hide(sign_in, comment):
    assert sign_in("admin").post(f"/api/comments/{comment['id']}/hide",
                                 {"hidden": True}).status_code == 200


def test_hide_needs_a_boolean(sign_in, comment):
    assert_error(sign_in("coach").post(f"/api/comments/{comment['id']}/hide", {"hidden": "yes"}),
                 400, "hidden")


def test_learner_marks_coach_reply_helpful(sign_in, thread, comment, db):
    reply = post_comment(sign_in("coach"), thread["id"], "Try this", parent_id=comment["id"])
    assert reply["can"]["mark_helpful"] is False  # the coach looking at their own reply
    learner = sign_in("learner")
    assert listed(learner)[reply["id"]]["can"]["mark_helpful"] is True
    body = learner.post(f"/api/comments/{reply['id']}/helpful", {"helpful": True}).json
    assert body["comment"]["helpful_count"] == 1 and body["comment"]["marked_helpful_by_me"]
    learner.post(f"/api/comments/{reply['id']}/helpful", {"helpful": True})
    seen = listed(sign_in("learner2"))[reply["id"]]
    assert seen["helpful_count"] == 1 and seen["marked_helpful_by_me"] is False
    learner.post(f"/api/comments/{reply['id']}/helpful", {"helpful": False})
    assert listed(learner)[reply["id"]]["helpful_count"] == 0
    assert events.list_events(db, verb="liked") and events.list_events(db, verb="unliked")


def test_coach_cannot_mark_helpful(sign_in, thread, comment):
    reply = post_comment(sign_in("coach"), thread["id"], "Try this", parent_id=comment["id"])
    for role in ("coach", "admin", "manager"):
        response = sign_in(role).post(f"/api/comments/{reply['id']}/helpful", {"helpful": True})
        assert_error(response, 403, "learner")


def test_learner_reply_cannot_be_marked_helpful(sign_in, comment):
    response = sign_in("learner2").post(f"/api/comments/{comment['id']}/helpful", {"helpful": True})
    assert_error(response, 403, "coach's reply")


def test_writes_are_rate_limited(app, sign_in, thread):
    app.config["RATELIMIT_WRITES"] = "3/minute"
    api = sign_in("learner2")
    for i in range(3):
        post_comment(api, thread["id"], f"n{i}")
    response = api.post(f"/api/threads/{thread['id']}/comments", {"body": "too many"})
    assert_error(response, 429)


def test_delete_takes_no_fields(sign_in, comment):
    api = sign_in("learner")
    assert_error(api.delete(f"/api/comments/{comment['id']}", {"why": "x"}), 400, "unknown field")
    response = api.client.delete(f"/api/comments/{comment['id']}", content_type="application/json",
                                 headers={"X-CSRF-Token": api.csrf})
    assert response.status_code == 200  # no body at all is fine too


def test_huge_ids_are_404_not_500(sign_in):
    api = sign_in("learner")
    assert_error(api.post(f"/api/comments/{2**70}/helpful", {"helpful": True}), 404)
    assert_error(api.post(f"/api/threads/{2**64}/comments", {"body": "x"}), 404)


def test_huge_id_on_a_shared_path_is_404_for_every_method(sign_in):
    api = sign_in("learner")
    assert_error(api.delete(f"/api/comments/{2**63}"), 404)
    assert_error(api.patch(f"/api/comments/{2**63}", {"body": "x"}), 404)
