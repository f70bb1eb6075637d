"""Sessions are held on the server (issue 11): signing out ends a session everywhere its cookie was copied,
"sign out everywhere" and an admin end all of a person's sessions, an idle session ends by itself."""

from __future__ import annotations

import datetime as dt

from .conftest import PEOPLE, THREAD_URL, Api, assert_error

COOKIE = "roundtable_session"


def _copy(app, api):
    """Return a second client carrying a copy of ``api``'s session cookie, as a thief would."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, api.client.get_cookie(COOKIE).value)
    copy = Api.__new__(Api)
    copy.client, copy.csrf = thief, api.csrf
    return copy


def _post(api, thread_id):
    return api.post(f"/api/threads/{thread_id}/comments", {"body": "Still me?"})


def test_a_cookie_copied_before_logout_no_longer_posts(app, sign_in):
    learner = sign_in("learner")
    thread_id = learner.get(THREAD_URL).json["thread"]["id"]
    copy = _copy(app, learner)
    assert _post(copy, thread_id).status_code == 201  # the copy works while the session lives
    assert learner.post("/api/auth/logout").status_code == 200
    assert_error(_post(copy, thread_id), 401)
    assert copy.get("/api/session").json["user"] is None


def test_sign_out_everywhere_ends_every_device(app, sign_in):
    laptop, phone = sign_in("learner"), sign_in("learner")
    thread_id = phone.get(THREAD_URL).json["thread"]["id"]
    answer = laptop.post("/api/session/end-everywhere")
    assert answer.status_code == 200 and answer.json["ended"] == 2
    assert phone.get("/api/session").json["user"] is None
    assert laptop.get("/api/session").json["user"] is None
    assert_error(_post(phone, thread_id), 401)


def test_an_admin_ends_a_persons_sessions_and_nobody_else_may(app, sign_in, db):
    learner = sign_in("learner")
    learner_id = learner.get("/api/session").json["user"]["id"]
    coach = sign_in("coach")
    assert_error(coach.post(f"/api/users/{learner_id}/sessions/end"), 403)
    assert learner.get("/api/session").json["user"] is not None  # the refusal changed nothing
    admin = sign_in("admin")
    assert_error(admin.post("/api/users/999999/sessions/end"), 404)
    assert admin.post(f"/api/users/{learner_id}/sessions/end").json["ended"] == 1
    assert learner.get("/api/session").json["user"] is None
    assert admin.get("/api/session").json["user"]["email"] == PEOPLE["admin"][0]


def test_an_idle_session_ends_by_itself(app, sign_in):
    from comments_server.domain.clock import FixedClock

    learner = sign_in("learner")
    later = FixedClock(dt.datetime.now(dt.timezone.utc))
    app.extensions["clock"] = later
    later.advance(days=13)
    assert learner.get("/api/session").json["user"] is not None  # used on day 13: still live
    later.advance(days=13)
    assert learner.get("/api/session").json["user"] is not None  # 13 days after its last use
    later.advance(days=15)
    assert learner.get("/api/session").json["user"] is None  # 15 days unused (SESSION_IDLE_DAYS = 14)


def test_the_session_id_is_not_stored_in_clear(app, sign_in, db):
    learner = sign_in("learner")
    cookie = learner.client.get_cookie(COOKIE).value
    stored = [r["id_hash"] for r in db.query("SELECT id_hash FROM sessions")]
    assert stored and all(len(h) == 64 and h not in cookie for h in stored)
