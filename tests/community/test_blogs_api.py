"""Blogs through HTTP: posts per person, visibility per post, comments, reflections as posts, program list."""

from __future__ import annotations

from .conftest import assert_error, post_comment


def publish(api, visibility="cohort", title="What I learned", body="Listening *more*.", **extra):
    """Publish a post and return its JSON (asserting 201)."""
    response = api.post("/api/blogs/posts", {"title": title, "body": body, "visibility": visibility, **extra})
    assert response.status_code == 201, response.json
    return response.json["post"]


def test_cohort_post_is_hidden_from_another_cohort(sign_in):
    post = publish(sign_in("learner"))
    assert sign_in("learner2").get(f"/api/blogs/posts/{post['id']}").status_code == 200
    assert_error(sign_in("other_learner").get(f"/api/blogs/posts/{post['id']}"), 404)
    assert_error(sign_in("outsider").get(f"/api/blogs/posts/{post['id']}"), 404)
    assert post["id"] not in [p["id"] for p in sign_in("other_learner").get("/api/blogs").json["posts"]]


def test_program_post_reaches_the_other_cohort_not_other_programs(sign_in):
    post = publish(sign_in("learner"), visibility="program")
    assert sign_in("other_learner").get(f"/api/blogs/posts/{post['id']}").status_code == 200
    assert_error(sign_in("outsider").get(f"/api/blogs/posts/{post['id']}"), 404)


def test_everyone_post_reaches_everyone_signed_in(sign_in, anon):
    post = publish(sign_in("learner"), visibility="everyone")
    assert sign_in("outsider").get(f"/api/blogs/posts/{post['id']}").status_code == 200
    assert_error(anon.get(f"/api/blogs/posts/{post['id']}"), 401)


def test_editing_someone_elses_post_is_refused(sign_in, db):
    post = publish(sign_in("learner"))
    assert_error(sign_in("learner2").patch(f"/api/blogs/posts/{post['id']}", {"body": "mine"}), 403)
    assert_error(sign_in("learner2").delete(f"/api/blogs/posts/{post['id']}"), 403)
    assert db.execute("SELECT body_md FROM blog_posts").fetchone()[0] == "Listening *more*."
    edited = sign_in("learner").patch(f"/api/blogs/posts/{post['id']}", {"body": "Listening even more."})
    assert edited.json["post"]["body"] == "Listening even more." and edited.json["post"]["edited"]


def test_comments_on_a_post_and_their_scope(sign_in):
    post = publish(sign_in("learner"))
    comment = post_comment(sign_in("coach"), post["thread_id"], "Great point")
    page = sign_in("learner").get(f"/api/blogs/posts/{post['id']}").json
    assert [c["id"] for c in page["comments"]] == [comment["id"]]
    response = sign_in("other_learner").post(f"/api/threads/{post['thread_id']}/comments", {"body": "x"})
    assert_error(response, 404)


def test_visibility_must_be_known_and_cohort_ones_own(sign_in):
    learner = sign_in("learner")
    assert_error(learner.post("/api/blogs/posts", {"title": "t", "body": "b", "visibility": "world"}), 400)
    # an audience the author does not have: a conflict with who they are (issue 11), not a malformed request
    assert_error(learner.post("/api/blogs/posts", {"title": "t", "body": "b", "cohort": "sales-b"}), 409)
    assert_error(sign_in("outsider").post("/api/blogs/posts", {"title": "t", "body": "b"}), 409, "everyone")


def test_person_blog_and_program_recent_posts(sign_in):
    learner = sign_in("learner")
    mine = publish(learner, visibility="program", title="Program-wide")
    publish(learner, title="Cohort only")
    me = learner.get("/api/session").json["user"]["id"]
    other = sign_in("other_learner")
    assert [p["title"] for p in other.get(f"/api/blogs/people/{me}").json["posts"]] == ["Program-wide"]
    recent = other.get("/api/blogs/recent?program=sales").json["posts"]
    assert [p["id"] for p in recent] == [mine["id"]]
    assert_error(sign_in("outsider").get("/api/blogs/recent?program=sales"), 404)


def test_a_reflection_appears_as_a_post_linked_to_its_module(app, sign_in, db):
    # issue 4's reflections table: a row written there becomes a cohort post of its author
    learner = sign_in("learner")
    me = learner.get("/api/session").json["user"]
    db.execute("""INSERT INTO reflections (activity_id, user_id, cohort_id, body_md, body_html, created)
                  VALUES ('sales/discovery-calls/read', ?, 'sales-a', 'I talk too much.', '<p>I talk too much.</p>',
                          '2027-01-12T10:00:00.000Z')""", [me["id"]])
    db.conn.commit()
    posts = sign_in("learner2").get("/api/blogs").json["posts"]
    reflection = next(p for p in posts if p["reflection"])
    assert reflection["module"]["id"] == "sales/discovery-calls"
    assert reflection["title"] == "Reflection: Discovery Calls"
    assert_error(sign_in("other_learner").get(f"/api/blogs/posts/{reflection['id']}"), 404)
    refused = learner.patch(f"/api/blogs/posts/{reflection['id']}", {"body": "changed"})
    assert_error(refused, 403, "module page")
