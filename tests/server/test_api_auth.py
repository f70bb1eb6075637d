"""Sign-in by one-time link, sessions, CSRF, cookies."""

from __future__ import annotations

from comments_server.notify.worker import Worker
from comments_server.store import events
from comments_server.store.db import connect

from .conftest import PEOPLE, Api, assert_error, make_token


def deliver(app):
    """Run one round of the outbox worker: sign-in links are mailed (here: printed) from there, not the request."""
    Worker(app, name="test-worker").run_once()


def test_session_without_sign_in_has_no_user_but_a_csrf_token(anon):
    body = anon.get("/api/session").json
    assert body["ok"] is True and body["user"] is None and len(body["csrf_token"]) > 20


def test_request_link_answers_202_for_known_and_unknown_addresses(app, anon, capsys):
    for email in (PEOPLE["learner"][0], "stranger@example.com"):
        response = anon.post("/api/auth/request-link", {"email": email})
        assert response.status_code == 202 and response.json["ok"] is True
    deliver(app)
    printed = capsys.readouterr().err
    assert f"Sign-in link for {PEOPLE['learner'][0]}: http://localhost/signin/?token=" in printed
    assert "stranger" not in printed


def test_emailed_link_signs_in_and_goes_to_next(app, anon, capsys):
    anon.post("/api/auth/request-link", {"email": PEOPLE["coach"][0], "next": "/sales/"})
    deliver(app)
    link = capsys.readouterr().err.strip().split(": ", 1)[1]
    assert link.endswith("&next=/sales/")
    token = link.split("token=")[1].split("&")[0]
    body = anon.redeem(token).json
    assert body["user"]["email"] == PEOPLE["coach"][0]
    assert body["next"] == "/sales/"
    session = anon.get("/api/session").json
    assert session["user"]["memberships"] == [
        {"cohort_id": "sales-a", "program_id": "sales", "role": "coach"}]


def test_request_link_uses_base_url_when_configured(app, anon, capsys):
    app.config["BASE_URL"] = "https://learn.example.com"
    anon.post("/api/auth/request-link", {"email": PEOPLE["coach"][0]})
    deliver(app)
    assert "https://learn.example.com/signin/?token=" in capsys.readouterr().err


def test_next_cannot_point_off_site(app, anon, capsys):
    anon.post("/api/auth/request-link", {"email": PEOPLE["coach"][0], "next": "//evil.example"})
    deliver(app)
    assert "next=" not in capsys.readouterr().err


def test_request_link_refuses_a_non_address(anon):
    assert_error(anon.post("/api/auth/request-link", {"email": 42}), 400, "email")


def test_sign_in_link_works_only_once(app, anon):
    token = make_token(app, PEOPLE["learner"][0])
    assert anon.redeem(token).status_code == 200
    assert_error(Api(app.test_client()).redeem(token), 409, "already been used")


def test_expired_sign_in_link_is_refused(app, anon):
    token = make_token(app, PEOPLE["learner"][0], minutes=-1)
    assert_error(anon.redeem(token), 409, "expired")
    assert anon.get("/api/session").json["user"] is None


def test_unknown_sign_in_link_is_refused(anon):
    assert_error(anon.redeem("not-a-real-token"), 404, "not valid")


def test_redeem_records_a_logged_in_event(app, anon, db):
    anon.redeem(make_token(app, PEOPLE["learner"][0]))
    (event,) = events.list_events(db, verb="logged-in")
    assert event["actor"]["mbox"] == f"mailto:{PEOPLE['learner'][0]}"


def test_logout_ends_the_session_and_rotates_the_csrf_token(sign_in):
    api = sign_in("learner")
    old = api.csrf
    body = api.post("/api/auth/logout").json
    assert body["user"] is None and body["csrf_token"] != old
    assert api.get("/api/session").json["user"] is None


def test_session_cookie_is_httponly_and_lax(app, anon):
    response = anon.redeem(make_token(app, PEOPLE["learner"][0]))
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_session_cookie_is_secure_over_https(app):
    client = app.test_client()
    csrf = client.get("/api/session", base_url="https://localhost").json["csrf_token"]
    response = client.post("/api/auth/redeem", base_url="https://localhost",
                           json={"token": make_token(app, PEOPLE["learner"][0])},
                           headers={"X-CSRF-Token": csrf})
    assert response.status_code == 200
    assert "Secure" in response.headers["Set-Cookie"]


def test_missing_csrf_token_is_refused(app):
    client = app.test_client()
    client.get("/api/session")
    response = client.post("/api/auth/request-link", json={"email": PEOPLE["learner"][0]})
    assert_error(response, 403, "X-CSRF-Token")


def test_wrong_csrf_token_is_refused(sign_in, thread):
    api = sign_in("learner")
    response = api.post(f"/api/threads/{thread['id']}/comments", {"body": "hi"},
                        headers={"X-CSRF-Token": "forged"})
    assert_error(response, 403, "wrong csrf token")


def test_csrf_token_of_another_session_is_refused(app, sign_in, thread):
    other = Api(app.test_client())
    api = sign_in("learner")
    response = api.post(f"/api/threads/{thread['id']}/comments", {"body": "hi"},
                        headers={"X-CSRF-Token": other.csrf})
    assert_error(response, 403, "csrf")


def test_form_post_is_refused_by_content_type(sign_in, thread, db):
    api = sign_in("learner")
    response = api.client.post(f"/api/threads/{thread['id']}/comments", data={"body": "hi"},
                               headers={"X-CSRF-Token": api.csrf})
    assert_error(response, 400, "application/json")
    assert db.table("comments").count == 0


def test_text_plain_post_is_refused(sign_in, thread):
    api = sign_in("learner")
    response = api.client.post(f"/api/threads/{thread['id']}/comments", data='{"body": "hi"}',
                               content_type="text/plain", headers={"X-CSRF-Token": api.csrf})
    assert_error(response, 400, "application/json")


def test_a_user_removed_from_the_db_is_signed_out(app, sign_in):
    api = sign_in("outsider")
    db = connect(app.config["DATABASE"])
    db.execute("DELETE FROM events")
    db.execute("DELETE FROM login_tokens")
    db.execute("DELETE FROM users WHERE email = ?", [PEOPLE["outsider"][0]])
    db.close()
    assert api.get("/api/session").json["user"] is None


def test_sign_in_requests_are_checked_by_their_contracts(anon):
    ask = "/api/auth/request-link"
    assert_error(anon.post(ask, {"email": "a@example.com", "next": 5}), 400, "'next' must be a path on this site")
    assert_error(anon.post(ask, {"email": "a@example.com", "colour": "red"}), 400, "Unknown field 'colour'.")
    assert_error(anon.post(ask, {}), 400, "Missing field 'email'.")
    assert anon.post(ask, {"email": "a@example.com", "next": ""}).status_code == 202
    assert_error(anon.post("/api/auth/redeem", {"token": ""}), 400, "not valid")
    assert_error(anon.post("/api/auth/redeem", {"token": 7}), 400, "not valid")
    assert_error(anon.post("/api/auth/logout", {"everywhere": True}), 400, "Unknown field 'everywhere'.")
