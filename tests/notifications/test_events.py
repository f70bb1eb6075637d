"""Who is told about what: each event kind against a real SMTP server, never the actor, never out of scope."""

from __future__ import annotations

from server.conftest import THREAD_URL

from comments_server.domain.timeutil import now

from .conftest import AUTHOR, MODULE, PRESENTATION, email, post_comment


def deliver(worker):
    """Run one worker round and return its counts."""
    return worker.run_once()


def test_learner_post_tells_the_coach_of_that_cohort_only(sign_in, worker, smtp):
    learner = sign_in("learner")
    thread = learner.get(THREAD_URL).json["thread"]
    comment = post_comment(learner, thread["id"], "How do I open with a *hard* account?")
    assert deliver(worker)["sent"] == 1
    [message] = smtp.inbox.to(email("coach"))
    assert str(message["Subject"]) == "Lena Learner posted in the roundtable of “Discovery Calls”"
    assert f"https://learn.example.com/sales/discovery-calls/#rt-comment-{comment['id']}" in \
        message.get_body(("plain",)).get_content()
    for other in ("learner", "learner2", "other_coach", "manager", "admin", "other_learner"):
        assert smtp.inbox.to(email(other)) == []


def test_reply_tells_the_parent_author_not_the_replier(sign_in, worker, smtp):
    learner, coach = sign_in("learner"), sign_in("coach")
    thread = learner.get(THREAD_URL).json["thread"]
    top = post_comment(learner, thread["id"], "First")
    post_comment(coach, thread["id"], "Good question", parent_id=top["id"])
    deliver(worker)
    assert smtp.inbox.subjects(email("learner")) == ["Carla Coach replied to you in the roundtable of “Discovery Calls”"]
    # the coach hears of the learner's post, not of their own reply
    assert smtp.inbox.subjects(email("coach")) == ["Lena Learner posted in the roundtable of “Discovery Calls”"]


def test_a_coach_replying_to_their_own_post_tells_nobody(sign_in, worker, smtp):
    coach = sign_in("coach")
    thread = coach.get(THREAD_URL).json["thread"]
    top = post_comment(coach, thread["id"], "Welcome")
    post_comment(coach, thread["id"], "And more", parent_id=top["id"])
    assert deliver(worker)["sent"] == 0
    assert smtp.inbox.messages == []


def test_mentions_reach_people_who_can_see_the_thread_only(sign_in, worker, smtp, db):
    learner = sign_in("learner")
    thread = learner.get(THREAD_URL).json["thread"]
    posted = post_comment(learner, thread["id"], "@Liam.Learner and @olga.other and @mona, what do you think?")
    assert posted["body_html"].startswith('<p><span class="rt-mention">@Liam.Learner</span> and ')
    deliver(worker)
    assert smtp.inbox.subjects(email("learner2")) == ["Lena Learner mentioned you in the roundtable of “Discovery Calls”"]
    assert smtp.inbox.subjects(email("manager")) == ["Lena Learner mentioned you in the roundtable of “Discovery Calls”"]
    assert smtp.inbox.to(email("other_learner")) == []  # another cohort: cannot see the thread
    kinds = [r["kind"] for r in db.query("SELECT kind FROM notifications ORDER BY id")]
    assert sorted(kinds) == ["coach_post", "mention", "mention"]


def _plan(api):
    """Save and submit the learner's plan; return its id."""
    url = f"/api/activities/{MODULE}/plan/plan"
    plan_id = api.post(url, {"body": "Open with the budget question."}).json["plan"]["id"]
    assert api.post(f"/api/plans/{plan_id}/submit", {}).status_code == 200
    return plan_id


def test_submitted_plan_waits_for_the_manager_and_a_comment_reaches_the_learner(sign_in, worker, smtp):
    learner, manager = sign_in("learner"), sign_in("manager")
    plan_id = _plan(learner)
    r = manager.post(f"/api/plans/{plan_id}/comments", {"body": "Ask about <b>timing</b> too."})
    assert r.status_code == 201, r.json
    deliver(worker)
    [waiting] = smtp.inbox.to(email("manager"))
    assert str(waiting["Subject"]) == "Lena Learner's plan for “Discovery Calls” is waiting for you"
    [feedback] = smtp.inbox.to(email("learner"))
    assert str(feedback["Subject"]) == "Mona Manager commented on your plan for “Discovery Calls”"
    assert "&lt;b&gt;timing&lt;/b&gt;" in feedback.get_body(("html",)).get_content()
    assert smtp.inbox.to(email("coach")) == []  # feedback_from: manager


def test_presentation_allocates_a_reviewer_who_is_told_and_the_presenter_hears_of_the_review(sign_in, worker, smtp):
    learner, peer = sign_in("learner"), sign_in("learner2")
    r = learner.post(f"/api/activities/{PRESENTATION}/presentation", {"link": "https://slides.example.com/a"})
    assert r.status_code == 201, r.json
    deliver(worker)
    [allocated] = smtp.inbox.to(email("learner2"))
    assert str(allocated["Subject"]) == "Please review Lena Learner's presentation for “Discovery Calls”"
    sub_id = r.json["submission"]["id"]
    r = peer.post(f"/api/presentations/{sub_id}/reviews", {"scores": {"clarity": 4}, "comment": "Clear."})
    assert r.status_code in (200, 201), r.json
    deliver(worker)
    # reviewers are anonymous in this module: the presenter is told "A reviewer"
    assert smtp.inbox.subjects(email("learner")) == ["A reviewer reviewed your presentation for “Discovery Calls”"]


def test_question_to_the_author_and_the_authors_answer(sign_in, author, worker, smtp):
    learner = sign_in("learner")
    r = learner.post(f"/api/modules/{MODULE}/questions", {"body": "Why open with budget?", "title": "Budget"})
    assert r.status_code == 201, r.json
    deliver(worker)
    assert smtp.inbox.subjects(AUTHOR) == ["Lena Learner asked you a question about “Discovery Calls”"]
    question = author.get("/api/questions").json["questions"][0]
    thread_id = author.get(f"/api/questions/{question['id']}").json["thread"]["id"]
    post_comment(author, thread_id, "Because it qualifies the deal.")
    deliver(worker)
    assert smtp.inbox.subjects(email("learner")) == ["Ana Author replied to you in “Discovery Calls”"]


def test_followers_of_a_board_hear_of_new_topics_and_of_replies(sign_in, worker, smtp, db):
    coach, learner = sign_in("coach"), sign_in("learner")
    assert coach.post("/api/forums/boards/sales/subscription", {"subscribed": True}).status_code == 200
    assert sign_in("other_learner").post("/api/forums/boards/ops/subscription", {"subscribed": True}).status_code != 500
    r = learner.post("/api/forums/boards/sales/topics", {"title": "Cold calls", "body": "Any tips?"})
    assert r.status_code == 201, r.json
    topic = r.json["topic"]
    rows = list(db.query("SELECT user_id, kind, delivery, url FROM notifications"))
    assert [(r["kind"], r["delivery"], r["url"]) for r in rows] == [("subscription", "digest", f"forum/?topic={topic['id']}")]
    post_comment(learner, topic["thread_id"], "Also: voicemail?")
    assert db.execute("SELECT COUNT(*) FROM notifications WHERE kind = 'subscription'").fetchone()[0] == 2
    morning = now().replace(hour=6)  # subscriptions default to the daily digest, from 07:00 UTC
    assert worker.run_once(at=morning)["sent"] == 0
    assert worker.run_once(at=morning.replace(hour=8)) == {"digests": 1, "sent": 1, "failed": 0}
    [digest] = smtp.inbox.to(email("coach"))
    text = digest.get_body(("plain",)).get_content()
    assert "New posts in topics and boards you follow (2)" in text
    assert "New topic: Cold calls" in text and "New reply in the topic “Cold calls”" in text


def test_hiding_a_comment_tells_its_author_with_a_link_to_the_thread(sign_in, worker, smtp, db):
    learner, coach = sign_in("learner"), sign_in("coach")
    thread = learner.get(THREAD_URL).json["thread"]
    comment = post_comment(learner, thread["id"], "Something the coach will hide")
    thread = learner.get(THREAD_URL).json["thread"]  # stored with the first post: its id is a number now
    deliver(worker)
    assert coach.post(f"/api/comments/{comment['id']}/hide", {"hidden": True}).status_code == 200
    deliver(worker)
    [message] = smtp.inbox.to(email("learner"))
    assert str(message["Subject"]) == "Carla Coach hid your comment in the roundtable of “Discovery Calls”"
    assert f"https://learn.example.com/sales/discovery-calls/#rt-thread-{thread['id']}" in \
        message.get_body(("plain",)).get_content()
    [notice] = learner.get("/api/notifications").json["notifications"]
    assert notice["kind"] == "moderation" and notice["url"].endswith(f"#rt-thread-{thread['id']}")
    # showing it again and hiding it once more tells nobody twice; the coach (the actor) is never told of it
    coach.post(f"/api/comments/{comment['id']}/hide", {"hidden": False})
    coach.post(f"/api/comments/{comment['id']}/hide", {"hidden": True})
    deliver(worker)
    assert len(smtp.inbox.to(email("learner"))) == 1
    assert [m for m in smtp.inbox.to(email("coach")) if "hid" in str(m["Subject"])] == []
