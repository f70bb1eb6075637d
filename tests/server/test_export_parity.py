"""An export holds a row exactly when the same viewer's API shows its item (issues 11 and 13): the cohort's event
export (xAPI) is compared, viewer by viewer, with what the API answers for a visible comment, a hidden comment
and a plan with its text."""

from __future__ import annotations

import pytest

from .conftest import THREAD_URL

PLAN = "sales/discovery-calls/plan"
EXPORT = "/api/dashboard/cohorts/sales-a/export?what=events&format=xapi"
VIEWERS = ["coach", "manager", "observer", "admin"]


@pytest.fixture
def scene(sign_in):
    """A learner's visible comment, a comment the coach hid, and a plan with its debrief text."""
    learner, coach = sign_in("learner"), sign_in("coach")
    thread_id = learner.get(THREAD_URL).json["thread"]["id"]
    visible = learner.post(f"/api/threads/{thread_id}/comments", {"body": "Open question first"}).json["comment"]
    thread_id = visible["thread_id"]
    hidden = learner.post(f"/api/threads/{thread_id}/comments", {"body": "Something to hide"}).json["comment"]
    assert coach.post(f"/api/comments/{hidden['id']}/hide", {"hidden": True}).status_code == 200
    plan = learner.post(f"/api/activities/{PLAN}/plan", {"body": "My plan for Acme"})
    assert plan.status_code in (200, 201), plan.json
    plan_id = plan.json["plan"]["id"]
    submitted = learner.post(f"/api/plans/{plan_id}/submit", {"encounter_at": "2026-01-05T10:00:00Z"})
    assert submitted.status_code == 200, submitted.json
    debrief = learner.post(f"/api/plans/{plan_id}/debrief", {"body": "It went well at Acme"})
    assert debrief.status_code == 200, debrief.json
    return {"visible": visible["id"], "hidden": hidden["id"], "plan": plan_id, "thread": thread_id}


def _api_shows(api, item, scene):
    """What the viewer's API answers for each item: True when it shows the item (its text)."""
    if item == "plan":
        return api.get(f"/api/plans/{scene['plan']}").status_code == 200
    comments = api.get(THREAD_URL + "?cohort=sales-a").json.get("comments", [])
    return any(c["id"] == scene[item] and c["body_html"] for c in comments)


def _export_has(statements, item, scene):
    if item == "plan":
        return any(st["object"]["id"].endswith(f"/{PLAN}") and "response" in st.get("result", {})
                   for st in statements)
    return any(st["context"].get("extensions", {}).get("urn:roundtable:comment") == scene[item] for st in statements)


@pytest.mark.parametrize("role", VIEWERS)
@pytest.mark.parametrize("item", ["visible", "hidden", "plan"])
def test_an_export_row_is_present_exactly_when_the_api_shows_the_item(sign_in, scene, role, item):
    viewer = sign_in(role)
    answer = viewer.get(EXPORT)
    assert answer.status_code == 200, answer.json
    assert _export_has(answer.json, item, scene) == _api_shows(viewer, item, scene)


def test_the_scene_covers_both_answers(sign_in, scene):
    """Guard: each item is shown to some viewer and refused to another, so the matrix can tell."""
    shown = {(role, item): _api_shows(sign_in(role), item, scene) for role in VIEWERS for item in ("hidden", "plan")}
    assert shown[("coach", "hidden")] and not shown[("manager", "hidden")]
    assert shown[("manager", "plan")] and not shown[("observer", "plan")]


def test_a_deleted_comment_leaves_no_words_in_the_log_or_the_export(sign_in, db):
    learner = sign_in("learner")
    thread_id = learner.get(THREAD_URL).json["thread"]["id"]
    comment = learner.post(f"/api/threads/{thread_id}/comments", {"body": "Regrettable words"}).json["comment"]
    assert learner.delete(f"/api/comments/{comment['id']}").status_code == 200
    assert "Regrettable" not in sign_in("admin").get(EXPORT).get_data(as_text=True)
    assert not any("Regrettable" in (row["result"] or "") for row in db.query("SELECT result FROM events"))


def test_a_deleted_blog_post_keeps_no_body(sign_in, db):
    learner = sign_in("learner")
    post = learner.post("/api/blogs/posts", {"title": "Draft thoughts", "body": "Half-baked idea"})
    assert post.status_code == 201, post.json
    assert learner.delete(f"/api/blogs/posts/{post.json['post']['id']}").status_code == 200
    assert not any("Half-baked" in str(row) for row in db.query("SELECT body_md, body_html FROM blog_posts"))
    assert not any("Half-baked" in (row["result"] or "") for row in db.query("SELECT result FROM events"))
