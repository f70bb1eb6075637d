"""Reading a roundtable thread and posting to it: cohorts, paging, ETags, questions, revisions."""

from __future__ import annotations

import json
import os
import time

from comments_server.store import events

from .conftest import (
    HASH_2,
    THREAD_URL,
    assert_error,
    make_catalog,
    post_comment,
    write_catalog,
)


def test_first_read_shows_the_viewers_cohort_thread_without_storing_it(sign_in, db):
    # issue 13: a GET never writes; the thread is stored by its first post (changed from "count == 1")
    body = sign_in("learner").get(THREAD_URL).json
    assert body["thread"]["cohort_id"] == "sales-a"
    assert body["thread"]["activity_id"] == "sales/discovery-calls/roundtable"
    assert body["thread"]["prompt"] == "Prompt of sales/discovery-calls/roundtable?"
    assert body["thread"]["module"]["title"] == "Discovery-Calls".replace("-", " ").title()
    assert body["thread"]["can_post"] is True
    assert body["comments"] == [] and body["has_more"] is False and body["next_after"] is None
    assert db.table("threads").count == 0


def test_first_post_stores_the_thread_once(sign_in, db):
    learner, coach = sign_in("learner"), sign_in("coach")
    first = learner.get(THREAD_URL)
    again = coach.get(THREAD_URL)
    assert first.json["thread"]["id"] == again.json["thread"]["id"]  # a stable answer before any post
    assert learner.get(THREAD_URL, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    one = post_comment(learner, first.json["thread"]["id"], "First")
    two = post_comment(coach, again.json["thread"]["id"], "Second, through the same key")
    assert one["thread_id"] == two["thread_id"] and db.table("threads").count == 1
    assert learner.get(THREAD_URL).json["thread"]["id"] == one["thread_id"]


def test_a_stored_threads_key_still_refuses_other_cohorts(sign_in, db):
    theirs = sign_in("other_learner").get(THREAD_URL).json["thread"]
    assert_error(sign_in("learner").post(f"/api/threads/{theirs['id']}/comments", {"body": "x"}), 404)
    assert_error(sign_in("learner").post("/api/threads/new.bm9wZQ/comments", {"body": "x"}), 404)
    assert db.table("threads").count == 0 and db.table("comments").count == 0


def test_cohorts_of_one_program_get_separate_threads(sign_in):
    mine = sign_in("learner").get(THREAD_URL).json["thread"]
    theirs = sign_in("other_learner").get(THREAD_URL).json["thread"]
    assert (mine["cohort_id"], theirs["cohort_id"]) == ("sales-a", "sales-b")
    assert mine["id"] != theirs["id"]


def test_learner_cannot_read_other_cohort_thread(sign_in):
    assert_error(sign_in("learner").get(THREAD_URL + "?cohort=sales-b"), 404)


def test_learner_cannot_read_other_programs_thread(sign_in):
    assert_error(sign_in("learner").get("/api/activities/ops/basics/roundtable/thread"), 404)


def test_learner_cannot_post_to_other_cohort_thread(sign_in, db):
    theirs = sign_in("other_learner").get(THREAD_URL).json["thread"]
    assert_error(sign_in("learner").post(f"/api/threads/{theirs['id']}/comments", {"body": "x"}), 404)
    assert db.table("comments").count == 0


def test_admin_reads_any_cohort(sign_in):
    admin = sign_in("admin")
    assert admin.get(THREAD_URL + "?cohort=sales-b").json["thread"]["cohort_id"] == "sales-b"
    assert admin.get(THREAD_URL).json["thread"]["cohort_id"] in {"sales-a", "sales-b"}


def test_manager_sees_cohorts_of_direct_reports(sign_in):
    assert sign_in("manager").get(THREAD_URL).json["thread"]["cohort_id"] == "sales-a"


def test_outsider_gets_404(sign_in):
    assert_error(sign_in("outsider").get(THREAD_URL), 404)


def test_unknown_or_non_roundtable_activity_is_404(sign_in):
    api = sign_in("learner")
    assert_error(api.get("/api/activities/sales/nope/roundtable/thread"), 404)
    assert_error(api.get("/api/activities/sales/discovery-calls/plan/thread"), 404)


def test_observer_reads_but_cannot_post(sign_in, thread):
    observer = sign_in("observer")
    assert observer.get(THREAD_URL).json["thread"]["can_post"] is False
    assert_error(observer.post(f"/api/threads/{thread['id']}/comments", {"body": "hi"}), 403)


def test_post_and_reply_come_back_in_order(sign_in, thread):
    learner, coach = sign_in("learner"), sign_in("coach")
    first = post_comment(learner, thread["id"], "Opening with a **recap**")
    reply = post_comment(coach, thread["id"], "Nice", parent_id=first["id"])
    assert first["body_html"] == "<p>Opening with a <strong>recap</strong></p>"
    assert first["author"]["badges"] == ["learner"] and reply["author"]["badges"] == ["coach"]
    assert reply["parent_id"] == first["id"]
    listed = learner.get(THREAD_URL).json["comments"]
    assert [c["id"] for c in listed] == [first["id"], reply["id"]]
    assert listed[0]["body"] == "Opening with a **recap**" and "body" not in listed[1]


def test_manager_and_admin_badges(sign_in, thread):
    assert post_comment(sign_in("manager"), thread["id"])["author"]["badges"] == ["manager"]
    assert post_comment(sign_in("admin"), thread["id"])["author"]["badges"] == ["admin"]


def test_reply_to_a_comment_of_another_thread_is_refused(sign_in, thread):
    other = sign_in("learner").get("/api/activities/sales/objection-handling/roundtable/thread")
    stranger = post_comment(sign_in("learner"), other.json["thread"]["id"])
    response = sign_in("learner").post(f"/api/threads/{thread['id']}/comments",
                                       {"body": "x", "parent_id": stranger["id"]})
    assert_error(response, 404, "parent_id")  # as for any id the viewer cannot see


def test_bad_post_bodies_are_refused_with_the_field_named(sign_in, thread):
    api = sign_in("learner")
    url = f"/api/threads/{thread['id']}/comments"
    assert_error(api.post(url, {}), 400, "missing field 'body'")
    assert_error(api.post(url, {"body": "   "}), 400, "body")
    assert_error(api.post(url, {"body": "x", "colour": "red"}), 400, "unknown field 'colour'")
    assert_error(api.post(url, {"body": "x", "question": "yes"}), 400, "question")
    assert_error(api.post(url, {"body": "x" * 20001}), 400, "too long")
    assert_error(api.post(url, {"body": "x", "parent_id": "1"}), 400, "parent_id")


def test_question_stays_open_until_a_coach_replies(sign_in, thread):
    learner, learner2, coach = sign_in("learner"), sign_in("learner2"), sign_in("coach")
    question = post_comment(learner, thread["id"], "How do I start?", question=True)
    assert question["is_question"] and question["question_open"]
    post_comment(learner2, thread["id"], "Same question", parent_id=question["id"])
    assert learner.get(THREAD_URL).json["comments"][0]["question_open"] is True
    post_comment(coach, thread["id"], "Like this", parent_id=question["id"])
    assert learner.get(THREAD_URL).json["comments"][0]["question_open"] is False


def test_a_reply_cannot_be_a_question(sign_in, thread):
    api = sign_in("learner")
    first = post_comment(api, thread["id"])
    response = api.post(f"/api/threads/{thread['id']}/comments",
                        {"body": "x", "parent_id": first["id"], "question": True})
    assert_error(response, 400, "top-level")


def test_every_post_appends_an_xapi_event(sign_in, thread, db):
    post_comment(sign_in("learner"), thread["id"], "My view")
    post_comment(sign_in("learner"), thread["id"], "Help?", question=True)
    commented = events.list_events(db, verb="commented")
    asked = events.list_events(db, verb="asked")
    assert len(commented) == 1 and len(asked) == 1
    assert commented[0]["verb"]["id"] == "http://adlnet.gov/expapi/verbs/commented"
    assert commented[0]["object"]["id"] == "urn:roundtable:activity:sales/discovery-calls/roundtable"
    assert commented[0]["context"]["extensions"]["urn:roundtable:cohort"] == "sales-a"
    assert commented[0]["result"]["response"] == "My view"


def test_etag_answers_304_until_the_thread_changes(sign_in, thread):
    api = sign_in("learner")
    first = api.get(THREAD_URL)
    etag = first.headers["ETag"]
    again = api.get(THREAD_URL, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    post_comment(sign_in("learner2"), thread["id"])
    changed = api.get(THREAD_URL, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_etag_differs_between_viewers(sign_in, thread):
    etag = sign_in("learner").get(THREAD_URL).headers["ETag"]
    assert sign_in("learner2").get(THREAD_URL, headers={"If-None-Match": etag}).status_code == 200


def test_each_viewer_reads_their_own_answer_of_one_thread_version(sign_in, thread):
    """The same version read by its author, another learner and the coach, twice each: own flags every time."""
    comment = post_comment(sign_in("learner"), thread["id"], "My opening question")
    readers = {"learner": sign_in("learner"), "learner2": sign_in("learner2"), "coach": sign_in("coach")}
    for _ in range(2):  # the second round is answered from what the first built
        seen = {role: api.get(THREAD_URL).json["comments"][0] for role, api in readers.items()}
        assert all(c["id"] == comment["id"] for c in seen.values())
        assert seen["learner"]["can"]["edit"] is True and seen["learner"]["body"] == "My opening question"
        assert seen["learner2"]["can"]["edit"] is False and "body" not in seen["learner2"]
        assert seen["coach"]["can"]["hide"] is True and seen["learner2"]["can"]["hide"] is False


def test_paging_with_after_and_limit(sign_in, thread):
    api = sign_in("learner")
    ids = [post_comment(api, thread["id"], f"comment {i}")["id"] for i in range(5)]
    page = api.get(THREAD_URL + "?limit=2").json
    assert [c["id"] for c in page["comments"]] == ids[:2]
    assert page["has_more"] is True and page["next_after"] == ids[1]
    page = api.get(THREAD_URL + f"?limit=2&after={page['next_after']}").json
    assert [c["id"] for c in page["comments"]] == ids[2:4]
    page = api.get(THREAD_URL + f"?limit=2&after={page['next_after']}").json
    assert [c["id"] for c in page["comments"]] == ids[4:]
    assert page["has_more"] is False and page["next_after"] is None


def test_paging_parameters_are_checked(sign_in):
    api = sign_in("learner")
    assert_error(api.get(THREAD_URL + "?limit=201"), 400, "limit")
    assert_error(api.get(THREAD_URL + "?limit=0"), 400, "limit")
    assert_error(api.get(THREAD_URL + "?after=abc"), 400, "after")


def test_default_page_is_100(sign_in, thread, db):
    api = sign_in("learner")
    db.table("comments").insert_all(
        [{"thread_id": thread["id"], "author_id": 1, "body_md": "x", "body_html": "<p>x</p>",
          "created": "2027-01-01T00:00:00.000Z", "revision": ""} for _ in range(150)])
    db.execute("UPDATE threads SET version = version + 1")
    page = api.get(THREAD_URL).json
    assert len(page["comments"]) == 100 and page["has_more"]
    assert len(api.get(THREAD_URL + "?limit=200").json["comments"]) == 150


def test_comments_on_an_earlier_revision_are_marked_outdated(app, sign_in, thread, site_dir):
    api = sign_in("learner")
    old = post_comment(api, thread["id"], "Written on the first version")
    assert old["outdated"] is False and old["revision"].startswith("sha256:1")
    path = site_dir / "catalog.json"
    write_catalog(site_dir, make_catalog(discovery_hash=HASH_2))
    os.utime(path, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    body = api.get(THREAD_URL).json
    assert body["thread"]["module"]["content_hash"] == HASH_2
    assert body["comments"][0]["outdated"] is True
    new = post_comment(api, thread["id"], "Written on the second")
    assert new["outdated"] is False and new["revision"] == HASH_2
    assert json.loads(path.read_text())["programs"][0]["modules"][0]["content_hash"] == HASH_2
