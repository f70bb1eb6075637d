"""Presentations over the API: upload or link, allocation, reviews, feedback, and the refusals."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import zipfile

import pytest

from comments_server.domain.allocation import Assignment, peer_loads
from comments_server.actions import reviews as actions
from comments_server.store import completions, reviews, users
from comments_server.web.database import get_db

from .conftest import COHORT, PITCH, assert_error

URL = f"/api/activities/{PITCH}/presentation"
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
GOOD = {"clarity": 4, "customer focus": 5, "next step": 3}
BASE = "http://rt.test/xapi"  # the statements' IRI base of the conftest app (BASE_URL)


def pptx_bytes():
    """A minimal zip that is a pptx by its members."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("ppt/presentation.xml", "<p:presentation/>")
    return buf.getvalue()


def upload(api, data=PDF, name="pitch.pdf"):
    """Submit a file as multipart with the CSRF header."""
    return api.client.post(URL, data={"file": (io.BytesIO(data), name)}, headers={"X-CSRF-Token": "token"},
                           content_type="multipart/form-data")


def uploads(app):
    """Files under instance/uploads."""
    folder = os.path.join(app.instance_path, "uploads")
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def submit_all(as_user, names=("ana", "ben", "cai", "dee")):
    """Everyone submits a link; return {name: presentation id}."""
    ids = {}
    for name in names:
        r = as_user(name).post(URL, {"link": f"https://slides.example.com/{name}"})
        assert r.status_code == 201, r.get_json()
        ids[name] = r.get_json()["submission"]["id"]
    return ids


def test_upload_is_stored_outside_the_site_and_served_only_to_those_allowed(app, as_user):
    ana = as_user("ana")
    r = upload(ana)
    assert r.status_code == 201, r.get_json()
    sub = r.get_json()["submission"]
    assert sub["file"]["name"] == "pitch.pdf" and sub["file"]["type"] == "application/pdf"
    stored = uploads(app)
    assert len(stored) == 1 and stored[0].endswith(".pdf") and stored[0] != "pitch.pdf"
    assert not os.path.exists(os.path.join(app.config["SITE_DIR"], stored[0]))

    got = ana.get(sub["file"]["url"])
    assert got.status_code == 200 and got.data == PDF
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert got.headers["Content-Disposition"].startswith("attachment")
    reviewers = [name for name in ("ben", "cai", "dee")
                 if any(t["presenter"]["name"] == "Ana Learner"
                        for t in as_user(name).get(URL).get_json()["to_review"])]
    assert len(reviewers) == 2  # peer_reviews: 2
    outsider = ({"ben", "cai", "dee"} - set(reviewers)).pop()
    assert as_user(reviewers[0]).get(sub["file"]["url"]).status_code == 200
    assert_error(as_user(outsider).get(sub["file"]["url"]), 404)
    assert_error(as_user("ola").get(sub["file"]["url"]), 404)
    assert_error(as_user("mia").get(sub["file"]["url"]), 404)  # managers are not on the list
    assert as_user("cora").get(sub["file"]["url"]).status_code == 200
    assert as_user("root").get(sub["file"]["url"]).status_code == 200


def test_pptx_is_accepted_by_its_contents(app, as_user):
    assert upload(as_user("ana"), pptx_bytes(), "deck.pptx").status_code == 201


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"MZ\x90\x00 not a pdf", "pitch.pdf", "does not look like a PDF"),
        (PDF, "pitch.exe", "not an accepted presentation"),
        (PDF, "pitch", "not an accepted presentation"),
        (b"PK\x03\x04junk", "deck.pptx", "does not look like a PowerPoint"),
        (b"", "pitch.pdf", "The file is empty"),
    ],
)
def test_wrong_type_is_refused_and_nothing_is_saved(app, as_user, data, name, message):
    assert_error(upload(as_user("ana"), data, name), 400, message)
    assert uploads(app) == []
    assert as_user("ana").get(URL).get_json()["submission"] is None


def test_too_large_is_refused_with_the_limit_and_nothing_is_saved(app, as_user):
    app.config["MAX_UPLOAD_MB"] = 0.001  # about 1 KB
    big = PDF + b"0" * 4096
    assert_error(upload(as_user("ana"), big), 413, "at most 0.001 MB")
    assert uploads(app) == []
    assert as_user("ana").get(URL).get_json()["submission"] is None


def test_upload_needs_the_csrf_token(as_user):
    ana = as_user("ana")
    r = ana.client.post(URL, data={"file": (io.BytesIO(PDF), "p.pdf")}, content_type="multipart/form-data")
    assert_error(r, 403, "X-CSRF-Token")
    r = ana.client.post(f"/api/plans/1/submit", data={"x": "1"}, content_type="multipart/form-data",
                        headers={"X-CSRF-Token": "token"})
    assert_error(r, 400, "Send the request as JSON")  # only the upload endpoint takes multipart


def test_link_submission_and_bad_links(as_user):
    ana = as_user("ana")
    assert_error(ana.post(URL, {"link": "javascript:alert(1)"}), 400, "http(s) address")
    assert ana.post(URL, {"link": "https://slides.example.com/a"}).status_code == 201
    assert_error(ana.post(URL, {"link": "https://slides.example.com/b"}), 409, "already submitted")


def test_reviewers_are_allocated_evenly_and_never_oneself(app, as_user):
    ids = submit_all(as_user)
    with app.app_context():
        rows = reviews.live_assignments(get_db(), activity_id=PITCH, cohort_id=COHORT)
    pairs = [(r["presenter_id"], r["reviewer_id"]) for r in rows]
    assert all(p != r for p, r in pairs) and len(pairs) == len(set(pairs))
    per_presenter = {p: sum(1 for q, _ in pairs if q == p) for p, _ in pairs}
    assert set(per_presenter.values()) == {2}
    loads = peer_loads({r for _, r in pairs} | {p for p, _ in pairs},
                       [Assignment(p, r) for p, r in pairs])
    assert max(loads.values()) - min(loads.values()) <= 1
    assert len(ids) == 4


def test_review_feedback_averages_and_anonymity(as_user):
    ids = submit_all(as_user)
    ana = as_user("ana")
    mine = ana.get(URL).get_json()
    assert mine["feedback"]["count"] == 0 and mine["feedback"]["target"] == 2
    reviewers = [n for n in ("ben", "cai", "dee")
                 if any(t["submission_id"] == ids["ana"] for t in as_user(n).get(URL).get_json()["to_review"])]
    scores = [GOOD, {"clarity": 2, "customer focus": 3, "next step": 5}]
    for name, s in zip(reviewers, scores):
        r = as_user(name).post(f"/api/presentations/{ids['ana']}/reviews", {"scores": s, "comment": f"From {name}"})
        assert r.status_code == 201, r.get_json()
    feedback = ana.get(f"/api/presentations/{ids['ana']}/feedback").get_json()["feedback"]
    assert feedback["averages"] == {"clarity": 3.0, "customer focus": 4.0, "next step": 4.0}
    assert [r["reviewer"] for r in feedback["reviews"]] == ["Peer 1", "Peer 2"]  # reviewers_named: false
    # the presenter rates helpfulness; nobody else can
    review_id = feedback["reviews"][0]["id"]
    assert_error(as_user(reviewers[0]).post(f"/api/reviews/{review_id}/helpfulness", {"rating": 5}), 403)
    assert_error(as_user("ola").post(f"/api/reviews/{review_id}/helpfulness", {"rating": 5}), 404)
    assert_error(ana.post(f"/api/reviews/{review_id}/helpfulness", {"rating": 9}), 400, "from 1 to 5")
    r = ana.post(f"/api/reviews/{review_id}/helpfulness", {"rating": 4})
    assert r.status_code == 200 and r.get_json()["review"]["helpfulness"] == 4


def set_pitch_option(db, key, value):
    """Change one option of the pitch activity, as a rebuilt catalog would (in SQL both engines take)."""
    options = json.loads(next(db.query("SELECT options FROM activities WHERE id = ?", [PITCH]))["options"])
    db.execute("UPDATE activities SET options = ? WHERE id = ?", [json.dumps({**options, key: value}), PITCH])


def test_reviewers_named_when_the_module_says_so(app, as_user):
    with app.app_context():
        db = get_db()
        set_pitch_option(db, "reviewers_named", True)
        db.conn.commit()
    ids = submit_all(as_user, ("ana", "ben"))
    as_user("ben").post(f"/api/presentations/{ids['ana']}/reviews", {"scores": GOOD, "comment": "Nice"})
    feedback = as_user("ana").get(f"/api/presentations/{ids['ana']}/feedback").get_json()["feedback"]
    assert [r["reviewer"] for r in feedback["reviews"]] == ["Ben Learner"]


def test_refusals_own_unallocated_twice_and_bad_scores(as_user):
    ids = submit_all(as_user)
    ana = as_user("ana")
    assert_error(ana.post(f"/api/presentations/{ids['ana']}/reviews", {"scores": GOOD, "comment": "me"}), 403,
                 "your own presentation")
    allocated = {t["submission_id"] for t in ana.get(URL).get_json()["to_review"]}
    others = [ids[n] for n in ("ben", "cai", "dee") if ids[n] not in allocated]
    assert len(others) == 1
    assert_error(ana.post(f"/api/presentations/{others[0]}/reviews", {"scores": GOOD, "comment": "x"}), 404)
    target = allocated.pop()
    assert_error(ana.post(f"/api/presentations/{target}/reviews", {"scores": {"clarity": 6}, "comment": "x"}), 400,
                 "Score 'clarity' from 1 to 5")
    assert_error(ana.post(f"/api/presentations/{target}/reviews",
                          {"scores": {**GOOD, "charm": 3}, "comment": "x"}), 409, "'charm' is not a criterion")
    assert ana.post(f"/api/presentations/{target}/reviews", {"scores": GOOD, "comment": "ok"}).status_code == 201
    assert_error(ana.post(f"/api/presentations/{target}/reviews", {"scores": GOOD, "comment": "again"}), 409,
                 "already reviewed")
    assert_error(as_user("ola").get(f"/api/presentations/{target}"), 404)
    assert_error(as_user("mia").post(f"/api/presentations/{target}/reviews", {"scores": GOOD, "comment": "x"}), 404)


def test_coach_can_review_any_presentation_of_the_cohort(as_user):
    ids = submit_all(as_user, ("ana",))
    cora = as_user("cora")
    listed = cora.get(URL).get_json()["cohort_presentations"]
    assert [p["id"] for p in listed] == [ids["ana"]]
    r = cora.post(f"/api/presentations/{ids['ana']}/reviews", {"scores": GOOD, "comment": "Coach says"})
    assert r.status_code == 201 and r.get_json()["review"]["role"] == "coach"
    assert_error(as_user("otto").post(f"/api/presentations/{ids['ana']}/reviews",
                                      {"scores": GOOD, "comment": "x"}), 404)  # another cohort's coach


def test_presentation_completes_when_reviews_received_and_given(as_user):
    ids = submit_all(as_user)
    for name in ("ana", "ben", "cai", "dee"):
        for t in as_user(name).get(URL).get_json()["to_review"]:
            r = as_user(name).post(f"/api/presentations/{t['submission_id']}/reviews",
                                   {"scores": GOOD, "comment": "Good"})
            assert r.status_code == 201
    progress = as_user("ana").get("/api/progress").get_json()["learner"]["programs"][0]
    pitch = next(m for m in progress["modules"] if m["id"] == "sales/pitch-day")
    statuses = {a["kind"]: a["status"] for a in pitch["activities"]}
    assert statuses["presentation"] == "complete"
    feedback = next(f for f in pitch["feedback"] if f["kind"] == "presentation")
    assert feedback["count"] == 2 and feedback["averages"]["clarity"] == 4.0
    assert ids


def test_tiny_cohort_gets_what_it_allows_plus_the_coach(app, as_user):
    """Two learners, three reviews asked: one peer each and the coach."""
    with app.app_context():
        db = get_db()
        set_pitch_option(db, "peer_reviews", 3)
        db.execute("DELETE FROM memberships WHERE user_id IN (SELECT id FROM users WHERE email IN (?, ?))",
                   ["cai@example.com", "dee@example.com"])
        db.conn.commit()
    ids = submit_all(as_user, ("ana", "ben"))
    with app.app_context():
        rows = reviews.live_assignments(get_db(), activity_id=PITCH, cohort_id=COHORT)
    for name in ("ana", "ben"):
        mine = sorted(r["role"] for r in rows if r["submission_id"] == ids[name])
        assert mine == ["coach", "peer"]
    assert as_user("ana").get(URL).get_json()["feedback"]["target"] == 2


def test_reviewer_leaving_the_cohort_is_replaced(app, as_user):
    ids = submit_all(as_user)
    with app.app_context():
        db = get_db()
        before = reviews.live_assignments(db, activity_id=PITCH, cohort_id=COHORT)
        dee = users.get_user(db, email="dee@example.com")["id"]
        db.execute("DELETE FROM memberships WHERE user_id = ?", [dee])
        db.conn.commit()
    as_user("ana").get(URL)  # lazily re-allocates
    with app.app_context():
        after = reviews.live_assignments(get_db(), activity_id=PITCH, cohort_id=COHORT)
    assert any(r["reviewer_id"] == dee for r in before)
    assert not any(r["reviewer_id"] == dee for r in after)
    for name in ("ana", "ben", "cai"):
        assert sum(1 for r in after if r["submission_id"] == ids[name] and r["role"] == "peer") == 2


def test_short_of_reviews_after_the_due_date_goes_to_more_peers_then_the_coach(app, as_user):
    ids = submit_all(as_user)
    with app.app_context():
        db = get_db()
        activity = completions.get_activity(db, activity_id=PITCH)
        due = dt.date(2027, 1, 11) + dt.timedelta(days=28)
        assert actions.escalate_due(db, activity=activity, cohort_id=COHORT, xapi_base=BASE, today=due) == []
        first = actions.escalate_due(db, activity=activity, cohort_id=COHORT, xapi_base=BASE, today=due + dt.timedelta(days=3))
        assert first and all(a.role == "peer" and a.reason == "escalated" for a in first)
        again = actions.escalate_due(db, activity=activity, cohort_id=COHORT, xapi_base=BASE, today=due + dt.timedelta(days=4))
        assert again == []  # idempotent per stage
        coach = actions.escalate_due(db, activity=activity, cohort_id=COHORT, xapi_base=BASE, today=due + dt.timedelta(days=6))
        assert {a.role for a in coach} == {"coach"}
        assert {a.presenter for a in coach} == set(users.get_user(db, email=f"{n}@example.com")["id"]
                                                   for n in ids)


def test_other_cohort_cannot_see_presentations(as_user):
    ids = submit_all(as_user, ("ana",))
    assert_error(as_user("ola").get(f"/api/presentations/{ids['ana']}"), 404)
    assert_error(as_user("otto").get(f"/api/presentations/{ids['ana']}/feedback"), 404)
    assert_error(as_user("ben").get(f"/api/presentations/{ids['ana']}/feedback"), 404)


def test_concurrent_submissions_allocate_consistently(app, as_user):
    """Four presenters at once: BEGIN IMMEDIATE serialises the read-then-write of allocation."""
    import threading

    clients = {n: as_user(n) for n in ("ana", "ben", "cai", "dee")}
    results, barrier = {}, threading.Barrier(4)

    def go(name):
        barrier.wait()
        results[name] = clients[name].post(URL, {"link": f"https://slides.example.com/{name}"}).status_code

    threads = [threading.Thread(target=go, args=(n,)) for n in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(results.values()) == {201}
    with app.app_context():
        rows = reviews.live_assignments(get_db(), activity_id=PITCH, cohort_id=COHORT)
    pairs = [(r["presenter_id"], r["reviewer_id"]) for r in rows]
    assert len(pairs) == len(set(pairs)) == 8 and all(p != r for p, r in pairs)
    loads = peer_loads([c.id for c in clients.values()], [Assignment(p, r) for p, r in pairs])
    assert set(loads.values()) == {2}


def test_escalate_all_covers_every_cohort(app, as_user):
    submit_all(as_user, ("ana", "ben"))
    with app.app_context():
        db = get_db()
        assert actions.escalate_all(db, xapi_base=BASE, today=dt.date(2027, 1, 1)) == {}
        done = actions.escalate_all(db, xapi_base=BASE, today=dt.date(2027, 3, 1))  # well past the due date: peers, then coach
    assert list(done) == [(PITCH, COHORT)]
    assert {a.role for a in done[(PITCH, COHORT)]} == {"peer", "coach"}


def test_an_admin_who_reviews_a_presentation_still_reads_its_feedback(as_user):
    ids = submit_all(as_user)
    root, feedback_url = as_user("root"), f"/api/presentations/{ids['ana']}/feedback"
    assert root.get(feedback_url).status_code == 200
    r = root.post(f"/api/presentations/{ids['ana']}/reviews", {"scores": GOOD, "comment": "Admin says"})
    assert r.status_code == 201, r.get_json()
    after = root.get(feedback_url)
    assert after.status_code == 200, after.get_json()
    assert any("Admin says" in r["comment_html"] for r in after.get_json()["feedback"]["reviews"])
    assert_error(as_user("otto").get(feedback_url), 404)  # another cohort's coach still does not
