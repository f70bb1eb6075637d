"""Ask the author: private question threads on a module, and publishing one to the roundtable."""

from __future__ import annotations

from .conftest import MODULE, assert_error, post_comment

ASK = f"/api/modules/{MODULE}/questions"


def ask(api, body="Why open with a question?"):
    """Ask the module's author and return the question (asserting 201)."""
    response = api.post(ASK, {"body": body})
    assert response.status_code == 201, response.json
    return response.json["question"]


def test_module_names_its_authors(sign_in, author):
    info = sign_in("learner").get(f"/api/modules/{MODULE}/authors").json
    assert [a["name"] for a in info["authors"]] == ["Ana Author"] and info["can_ask"] is True
    assert author.get(f"/api/modules/{MODULE}/authors").json["is_author"] is True


def test_only_learner_authors_coaches_and_admins_see_the_thread(sign_in, author):
    question = ask(sign_in("learner"))
    url = f"/api/questions/{question['id']}"
    for role in ("learner", "coach", "admin"):
        assert sign_in(role).get(url).status_code == 200, role
    assert author.get(url).status_code == 200
    for role in ("learner2", "other_learner", "other_coach", "manager", "outsider"):
        assert_error(sign_in(role).get(url), 404)
    assert_error(sign_in("learner2").post(f"/api/threads/{question['thread_id']}/comments", {"body": "x"}), 404)
    assert sign_in("learner2").get("/api/questions").json["questions"] == []


def test_author_answers_and_publishes_to_every_cohort_roundtable(sign_in, author, db):
    learner = sign_in("learner")
    question = ask(learner, "Is silence ok on a call?")
    answer = post_comment(author, question["thread_id"], "Yes: count to three.")
    page = learner.get(f"/api/questions/{question['id']}").json
    assert [c["body_html"] for c in page["comments"]][-1] == answer["body_html"]
    assert_error(learner.post(f"/api/questions/{question['id']}/publish"), 403)
    published = author.post(f"/api/questions/{question['id']}/publish").json
    assert published["cohorts"] == 2 and published["question"]["published"]
    for role in ("learner", "other_learner"):
        thread = sign_in(role).get(f"/api/activities/{MODULE}/roundtable/thread").json
        text = thread["comments"][-1]["body_html"]
        assert "count to three" in text and "silence" in text and "Lena" not in text
    assert_error(author.post(f"/api/questions/{question['id']}/publish"), 403)


def test_the_author_cannot_ask_and_outsiders_cannot_see_the_module(sign_in, author):
    assert_error(author.post(ASK, {"body": "Me?"}), 403)
    assert_error(sign_in("outsider").get(f"/api/modules/{MODULE}/authors"), 404)
    assert_error(sign_in("outsider").post(ASK, {"body": "hi"}), 404)
