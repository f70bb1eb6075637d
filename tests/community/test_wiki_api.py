"""Wiki through HTTP: pages per program, [[links]], revisions, diff, revert, stale edits (409), protection."""

from __future__ import annotations

from .conftest import assert_error

PAGE = "/api/wiki/sales/pages/Objection-library"


def save(api, body, base, url=PAGE, **extra):
    """Save a page revision and return the response."""
    return api.post(url, {"body": body, "base_revision": base, **extra})


def test_members_create_and_edit_a_page_with_links(sign_in):
    learner = sign_in("learner")
    created = save(learner, "Start with [[Price objections]] and [[Timing|when]].", 0, title="Objection library")
    assert created.status_code == 201, created.json
    page = created.json["page"]
    assert page["revision"] == 1 and page["title"] == "Objection library"
    assert 'href="?program=sales&amp;page=Price-objections"' in page["body_html"]
    edited = save(sign_in("other_learner"), "Start with price.", 1)
    assert edited.status_code == 200 and edited.json["page"]["revision"] == 2
    listed = learner.get("/api/wiki/sales/pages").json["pages"]
    assert [(p["slug"], p["revision"]) for p in listed] == [("Objection-library", 2)]


def test_other_programs_wiki_is_out_of_scope(sign_in):
    save(sign_in("learner"), "Secret sauce", 0)
    assert_error(sign_in("outsider").get(PAGE), 404)
    assert_error(sign_in("learner").get("/api/wiki/ops/pages"), 404)
    assert_error(save(sign_in("outsider"), "mine", 1), 404)


def test_stale_edit_is_refused_with_the_text_kept(sign_in, db):
    learner, other = sign_in("learner"), sign_in("learner2")
    save(learner, "Version one", 0)
    assert save(other, "Version two by Liam", 1).status_code == 200
    conflict = save(learner, "My careful edit", 1)
    body = assert_error(conflict, 409, "while you were editing")
    assert body["your_text"] == "My careful edit"
    assert body["current"]["body"] == "Version two by Liam" and body["current"]["revision"] == 2
    assert db.execute("SELECT COUNT(*) FROM wiki_revisions").fetchone()[0] == 2


def test_history_diff_and_revert(sign_in):
    learner = sign_in("learner")
    save(learner, "line a\nline b", 0)
    save(learner, "line a\nline B", 1)
    history = learner.get(PAGE + "/history").json["revisions"]
    assert [r["revision"] for r in history] == [2, 1] and history[0]["author"]["name"] == "Lena Learner"
    diff = learner.get(PAGE + "/diff?from=1&to=2").json
    assert {"op": "-", "text": "line b"} in diff["lines"] and {"op": "+", "text": "line B"} in diff["lines"]
    reverted = learner.post(PAGE + "/revert", {"revision": 1, "base_revision": 2}).json["page"]
    assert reverted["revision"] == 3 and reverted["body"] == "line a\nline b"
    assert learner.get(PAGE + "/history").json["revisions"][0]["note"] == "Reverted to revision 1"
    # the same revert again is already done; a stale revert to other text is refused
    assert learner.post(PAGE + "/revert", {"revision": 1, "base_revision": 2}).json["page"]["revision"] == 3
    assert_error(learner.post(PAGE + "/revert", {"revision": 2, "base_revision": 2}), 409)
    assert_error(learner.get(PAGE + "/revisions/9"), 404)


def test_protected_page_is_for_coaches_and_admins(sign_in, db):
    learner, coach = sign_in("learner"), sign_in("coach")
    save(learner, "Open page", 0)
    assert_error(learner.post(PAGE + "/protect", {"protected": True}), 403)
    assert coach.post(PAGE + "/protect", {"protected": True}).json["page"]["protected"] is True
    assert_error(save(learner, "Vandalism", 1), 403, "protected")
    assert_error(learner.post(PAGE + "/revert", {"revision": 1, "base_revision": 1}), 403)
    assert save(coach, "Curated by the coach", 1).status_code == 200
    assert save(sign_in("admin"), "Admin touch", 2).status_code == 200


def test_observer_reads_but_does_not_edit(sign_in):
    save(sign_in("learner"), "Hello", 0)
    observer = sign_in("observer")
    assert observer.get(PAGE).status_code == 200
    assert_error(save(observer, "x", 1), 403)


def test_a_bad_page_name_is_refused(sign_in):
    assert_error(save(sign_in("learner"), "x", 0, url="/api/wiki/sales/pages/bad name!"), 400)


def test_saving_unchanged_text_makes_no_new_revision(sign_in):
    learner = sign_in("learner")
    save(learner, "Version one", 0)
    assert save(learner, "Version two", 1).json["page"]["revision"] == 2
    again = save(learner, "Version two", 1)  # the same save sent twice, e.g. a double click
    assert again.status_code == 200 and again.json["page"]["revision"] == 2
    assert save(learner, "Version two", 2).json["page"]["revision"] == 2
    assert [r["revision"] for r in learner.get(PAGE + "/history").json["revisions"]] == [2, 1]
