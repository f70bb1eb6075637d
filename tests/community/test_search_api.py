"""Search across forums, blogs and wiki never returns what the person may not read."""

from __future__ import annotations

from .conftest import assert_error, post_comment


def hits(api, q):
    """Return the (kind, title) pairs of a search."""
    response = api.get(f"/api/search?q={q}")
    assert response.status_code == 200, response.json
    return {(r["kind"], r["title"]) for r in response.json["results"]}


def test_search_finds_topics_posts_comments_and_wiki_pages(sign_in):
    learner = sign_in("learner")
    topic = learner.post("/api/forums/boards/sales/topics", {"title": "Gatekeepers", "body": "Zebra tactics"}).json["topic"]
    post_comment(sign_in("coach"), topic["thread_id"], "More zebra ideas")
    learner.post("/api/blogs/posts", {"title": "Zebra diary", "body": "Day one"})
    learner.post("/api/wiki/sales/pages/Zebras", {"body": "All about zebras", "base_revision": 0})
    found = hits(learner, "zebra")
    assert found == {("topic", "Gatekeepers"), ("comment", "Reply in: Gatekeepers"), ("post", "Zebra diary"),
                     ("wiki", "Zebras")}
    snippet = learner.get("/api/search?q=zebra").json["results"][0]["snippet"]
    assert "\x02" in snippet


def test_search_never_returns_what_the_person_may_not_read(sign_in):
    learner = sign_in("learner")
    learner.post("/api/forums/boards/sales/topics", {"title": "Quokka board", "body": "quokka"})
    learner.post("/api/blogs/posts", {"title": "Quokka cohort post", "body": "quokka", "visibility": "cohort"})
    learner.post("/api/wiki/sales/pages/Quokka", {"body": "quokka", "base_revision": 0})
    everyone = learner.post("/api/blogs/posts", {"title": "Quokka for all", "body": "quokka",
                                                 "visibility": "everyone"}).json["post"]
    assert hits(sign_in("outsider"), "quokka") == {("post", "Quokka for all")}
    assert ("post", "Quokka cohort post") not in hits(sign_in("other_learner"), "quokka")
    assert ("topic", "Quokka board") in hits(sign_in("other_learner"), "quokka")
    learner.delete(f"/api/blogs/posts/{everyone['id']}")
    assert hits(sign_in("outsider"), "quokka") == set()


def test_deleted_and_locked_content_follow_the_rules(sign_in):
    learner = sign_in("learner")
    topic = learner.post("/api/forums/boards/sales/topics", {"title": "Walrus", "body": "walrus"}).json["topic"]
    learner.delete(f"/api/forums/topics/{topic['id']}")
    assert hits(learner, "walrus") == set()


def test_search_needs_words_and_a_session(sign_in, anon):
    assert_error(sign_in("learner").get("/api/search?q="), 400)
    assert_error(anon.get("/api/search?q=x"), 401)
    assert sign_in("learner").get('/api/search?q="AND OR*(').status_code == 200
