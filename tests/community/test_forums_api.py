"""Forums through HTTP: boards per program and for everyone, topics, replies, moderation, subscriptions, unread."""

from __future__ import annotations

from .conftest import assert_error, post_comment


def start(api, board="sales", title="Opening lines", body="How do you open?"):
    """Start a topic and return its JSON (asserting 201)."""
    response = api.post(f"/api/forums/boards/{board}/topics", {"title": title, "body": body})
    assert response.status_code == 201, response.json
    return response.json["topic"]


def test_learner_sees_everyone_board_and_own_program_only(sign_in):
    boards = sign_in("learner").get("/api/forums/boards").json["boards"]
    assert [b["id"] for b in boards] == ["everyone", "sales"]


def test_outsider_cannot_read_a_program_board(sign_in):
    start(sign_in("learner"))
    assert_error(sign_in("outsider").get("/api/forums/boards/sales"), 404)
    assert_error(sign_in("outsider").get("/api/forums/boards/ops"), 404)


def test_topic_and_threaded_reply_through_the_comment_engine(sign_in, db):
    learner, coach = sign_in("learner"), sign_in("coach")
    topic = start(learner, body="**bold** <script>alert(1)</script>")
    assert "<script" not in topic["body_html"] and "<strong>bold</strong>" in topic["body_html"]
    first = post_comment(coach, topic["thread_id"], "Start with a question.")
    reply = post_comment(learner, topic["thread_id"], "Thanks!", parent_id=first["id"])
    page = learner.get(f"/api/forums/topics/{topic['id']}").json
    assert [c["id"] for c in page["comments"]] == [first["id"], reply["id"]]
    assert page["comments"][0]["author"]["name"] == "Carla Coach"
    verbs = [r["verb"] for r in db.query("SELECT json_extract(verb, '$.display.en') AS verb FROM events")]
    assert verbs.count("created") == 1 and verbs.count("commented") == 2


def test_other_program_member_cannot_read_or_reply_to_a_topic(sign_in, app):
    topic = start(sign_in("learner"))
    outsider = sign_in("outsider")
    assert_error(outsider.get(f"/api/forums/topics/{topic['id']}"), 404)
    response = outsider.post(f"/api/threads/{topic['thread_id']}/comments", {"body": "hi"})
    assert_error(response, 404)


def test_everyone_board_is_open_to_every_signed_in_person(sign_in, anon):
    topic = start(sign_in("outsider"), board="everyone", title="Hello all")
    other = sign_in("other_learner")
    assert other.get(f"/api/forums/topics/{topic['id']}").status_code == 200
    post_comment(other, topic["thread_id"], "Hi!")
    assert_error(anon.get("/api/forums/boards/everyone"), 401)


def test_writing_to_a_locked_topic_is_refused(sign_in, db):
    learner, coach = sign_in("learner"), sign_in("coach")
    topic = start(learner)
    assert_error(learner.post(f"/api/forums/topics/{topic['id']}/moderate", {"locked": True}), 403)
    locked = coach.post(f"/api/forums/topics/{topic['id']}/moderate", {"locked": True}).json["topic"]
    assert locked["locked"] is True
    before = db.execute("SELECT COUNT(*) FROM comments").fetchone()[0]
    response = sign_in("learner2").post(f"/api/threads/{topic['thread_id']}/comments", {"body": "late"})
    assert_error(response, 403, "locked")
    assert db.execute("SELECT COUNT(*) FROM comments").fetchone()[0] == before
    assert learner.get(f"/api/forums/topics/{topic['id']}").json["thread"]["can_post"] is False
    post_comment(coach, topic["thread_id"], "Closing note from the coach.")


def test_coach_pins_and_moves_a_topic(sign_in):
    learner, coach = sign_in("learner"), sign_in("coach")
    start(learner, title="Older")
    topic = start(learner, title="Pin me")
    start(learner, title="Newest")
    coach.post(f"/api/forums/topics/{topic['id']}/moderate", {"pinned": True})
    titles = [t["title"] for t in learner.get("/api/forums/boards/sales").json["topics"]]
    assert titles[0] == "Pin me"
    moved = coach.post(f"/api/forums/topics/{topic['id']}/moderate", {"board": "everyone"}).json["topic"]
    assert moved["board"] == "everyone"
    assert_error(coach.post(f"/api/forums/topics/{topic['id']}/moderate", {"board": "ops"}), 400)


def test_only_the_author_edits_a_topic(sign_in):
    topic = start(sign_in("learner"))
    assert_error(sign_in("learner2").patch(f"/api/forums/topics/{topic['id']}", {"title": "Mine now"}), 403)
    edited = sign_in("learner").patch(f"/api/forums/topics/{topic['id']}", {"title": "Better title"})
    assert edited.json["topic"]["title"] == "Better title" and edited.json["topic"]["edited"]


def test_unread_markers_follow_replies(sign_in):
    learner, coach = sign_in("learner"), sign_in("coach")
    topic = start(coach)
    listed = learner.get("/api/forums/boards/sales").json["topics"][0]
    assert listed["unread"] is True
    learner.post(f"/api/forums/topics/{topic['id']}/read")
    assert learner.get("/api/forums/boards/sales").json["topics"][0]["unread"] is False
    post_comment(coach, topic["thread_id"], "New reply")
    listed = learner.get("/api/forums/boards/sales").json["topics"][0]
    assert listed["unread"] is True and listed["unread_count"] == 1


def test_subscriptions_are_recorded_and_listed(sign_in):
    learner = sign_in("learner")
    topic = start(learner)
    assert learner.post(f"/api/forums/topics/{topic['id']}/subscription", {"subscribed": True}).json["topic"]["subscribed"]
    learner.post("/api/forums/boards/sales/subscription", {"subscribed": True})
    subs = learner.get("/api/forums/subscriptions").json["subscriptions"]
    assert {(s["board"], s["topic_id"]) for s in subs} == {(None, topic["id"]), ("sales", None)}
    learner.post("/api/forums/boards/sales/subscription", {"subscribed": False})
    assert len(learner.get("/api/forums/subscriptions").json["subscriptions"]) == 1


def test_topic_writes_need_csrf(sign_in):
    learner = sign_in("learner")
    response = learner.post("/api/forums/boards/sales/topics", {"title": "x", "body": "y"},
                            headers={"X-CSRF-Token": ""})
    assert_error(response, 403)


def test_a_coach_hides_a_reply_in_a_topic(sign_in):
    learner, coach = sign_in("learner"), sign_in("coach")
    topic = start(learner)
    rude = post_comment(sign_in("learner2"), topic["thread_id"], "Rude words")
    assert_error(learner.post(f"/api/comments/{rude['id']}/hide", {"hidden": True}), 403)
    assert coach.post(f"/api/comments/{rude['id']}/hide", {"hidden": True}).json["comment"]["hidden"] is True
    assert learner.get(f"/api/forums/topics/{topic['id']}").json["comments"] == []
    assert [c["id"] for c in coach.get(f"/api/forums/topics/{topic['id']}").json["comments"]] == [rude["id"]]


def test_script_payloads_come_back_inert_everywhere(sign_in):
    learner = sign_in("learner")
    payload = '<img src=x onerror=alert(1)><script>alert(2)</script>[x](javascript:alert(3))'
    topic = start(learner, body=payload)
    post = learner.post("/api/blogs/posts", {"title": "t", "body": payload}).json["post"]
    page = learner.post("/api/wiki/sales/pages/Xss", {"body": payload, "base_revision": 0}).json["page"]
    for html in (topic["body_html"], post["body_html"], page["body_html"]):
        assert "<script" not in html and "onerror" not in html and "javascript:" not in html


def test_community_writes_are_rate_limited(app, sign_in):
    app.config["RATELIMIT_WRITES"] = "2/minute"  # read per request, as the core's writes do
    learner = sign_in("learner")
    start(learner, title="one")
    start(learner, title="two")
    assert_error(learner.post("/api/forums/boards/sales/topics", {"title": "three", "body": "x"}), 429)
    for _ in range(2):
        learner.post("/api/wiki/sales/pages/Limits", {"body": "x", "base_revision": 0})
    assert_error(learner.post("/api/wiki/sales/pages/Limits", {"body": "y", "base_revision": 1}), 429)
