"""Choices: immediate, daily digest or never per kind; one-click unsubscribe; the in-site list and unread count."""

from __future__ import annotations

import re
import urllib.parse

from server.conftest import THREAD_URL

from comments_server.domain.timeutil import now

from .conftest import assert_error, email, post_comment


def _learner_posts(sign_in, n=1, text="Post"):
    """The learner posts n times in the roundtable."""
    learner = sign_in("learner")
    thread = learner.get(THREAD_URL).json["thread"]
    return thread, [post_comment(learner, thread["id"], f"{text} {i}") for i in range(n)]


def test_preferences_list_every_kind_and_change_some(sign_in):
    coach = sign_in("coach")
    body = coach.get("/api/notifications/preferences").json
    kinds = {p["kind"]: p["delivery"] for p in body["preferences"]}
    assert kinds["coach_post"] == "immediate" and kinds["learner_behind"] == "digest"
    r = coach.client.put("/api/notifications/preferences", json={"coach_post": "digest", "reply": "never"},
                         headers={"X-CSRF-Token": coach.csrf})
    assert r.status_code == 200
    kinds = {p["kind"]: p["delivery"] for p in coach.get("/api/notifications/preferences").json["preferences"]}
    assert (kinds["coach_post"], kinds["reply"], kinds["mention"]) == ("digest", "never", "immediate")
    bad = coach.client.put("/api/notifications/preferences", json={"coach_post": "hourly", "nope": "never"},
                           headers={"X-CSRF-Token": coach.csrf})
    assert_error(bad, 400, "unknown field 'nope'")


def test_null_keeps_a_kind_as_it_was(sign_in):
    # schemathesis found a 500 here: null was stored as the delivery
    coach = sign_in("coach")
    r = coach.client.put("/api/notifications/preferences", json={"reply": None, "mention": "digest"},
                         headers={"X-CSRF-Token": coach.csrf})
    assert r.status_code == 200, r.json
    kinds = {p["kind"]: p["delivery"] for p in r.json["preferences"]}
    assert (kinds["reply"], kinds["mention"]) == ("immediate", "digest")


def _choose(api, **choices):
    """Set delivery choices through the API."""
    r = api.client.put("/api/notifications/preferences", json=choices, headers={"X-CSRF-Token": api.csrf})
    assert r.status_code == 200, r.json


def test_never_sends_no_mail_but_keeps_the_in_site_list(sign_in, worker, smtp):
    coach = sign_in("coach")
    _choose(coach, coach_post="never")
    _learner_posts(sign_in, 2)
    assert worker.run_once(at=now().replace(hour=8))["sent"] == 0
    assert smtp.inbox.messages == []
    listed = coach.get("/api/notifications").json
    assert listed["unread"] == 2 and [n["kind"] for n in listed["notifications"]] == ["coach_post"] * 2


def test_digest_groups_a_days_items_by_kind_in_one_mail_per_person(sign_in, worker, smtp):
    coach, learner2 = sign_in("coach"), sign_in("learner2")
    _choose(coach, coach_post="digest", mention="digest")
    thread, _ = _learner_posts(sign_in, 2)
    post_comment(learner2, thread["id"], "Hey @Carla.Coach, look")
    morning = now().replace(hour=6)
    assert worker.run_once(at=morning) == {"digests": 0, "sent": 0, "failed": 0}
    assert worker.run_once(at=morning.replace(hour=8)) == {"digests": 1, "sent": 1, "failed": 0}
    [digest] = smtp.inbox.to(email("coach"))
    text = digest.get_body(("plain",)).get_content()
    assert str(digest["Subject"]).endswith(": 3 new")
    assert text.index("Mentions of you (@name) (1)") < text.index("New posts in roundtables you coach (2)") or \
        text.index("New posts in roundtables you coach (2)") < text.index("Mentions of you (@name) (1)")
    assert "Liam Learner mentioned you" in text
    # one digest a day: an item that comes later waits for tomorrow's
    _learner_posts(sign_in, 1, "Later")
    assert worker.run_once(at=morning.replace(hour=20))["digests"] == 0
    tomorrow = morning.replace(hour=8) + __import__("datetime").timedelta(days=1)
    assert worker.run_once(at=tomorrow)["digests"] == 1
    assert len(smtp.inbox.to(email("coach"))) == 2


def _unsubscribe_url(message):
    """Return the unsubscribe URL of a mail's List-Unsubscribe header, on the test client's host."""
    url = re.match(r"<(.+)>", message["List-Unsubscribe"]).group(1)
    parts = urllib.parse.urlparse(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "learn.example.com", "/unsubscribe")
    return f"{parts.path}?{parts.query}", urllib.parse.parse_qs(parts.query)["token"][0]


def test_unsubscribe_link_confirms_on_get_and_unsubscribes_in_one_click(app, sign_in, worker, smtp):
    coach = sign_in("coach")
    _learner_posts(sign_in)
    worker.run_once()
    path, token = _unsubscribe_url(smtp.inbox.to(email("coach"))[0])
    client = app.test_client()  # no session: the link works from any mail client
    page = client.get(path)
    assert page.status_code == 200 and b'<form method="post">' in page.data and b"Unsubscribe" in page.data
    prefs = {p["kind"]: p["delivery"] for p in coach.get("/api/notifications/preferences").json["preferences"]}
    assert prefs["coach_post"] == "immediate"  # a GET (a link preview, a scanner) changes nothing
    # RFC 8058: the mail client POSTs List-Unsubscribe=One-Click to the header's URL
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and b"Unsubscribed" in done.data
    prefs = {p["kind"]: p["delivery"] for p in coach.get("/api/notifications/preferences").json["preferences"]}
    assert prefs["coach_post"] == "never" and prefs["reply"] == "immediate"
    _learner_posts(sign_in)
    worker.run_once()
    assert len(smtp.inbox.to(email("coach"))) == 1
    assert client.post("/unsubscribe", data={"token": token + "x"}).status_code == 400


def test_in_site_list_unread_count_and_marking_read(sign_in):
    coach = sign_in("coach")
    _learner_posts(sign_in, 3)
    listed = coach.get("/api/notifications?limit=2").json
    assert listed["unread"] == 3 and listed["has_more"] is True and len(listed["notifications"]) == 2
    first = listed["notifications"][0]
    assert first["actor"] == "Lena Learner" and first["url"].startswith("sales/discovery-calls/#rt-comment-")
    assert coach.post("/api/notifications/read", {"ids": [first["id"]]}).json["unread"] == 2
    assert sign_in("learner").post("/api/notifications/read", {"ids": [first["id"]]}).json["changed"] == 0
    assert coach.post("/api/notifications/read", {}).json["unread"] == 0
    assert_error(coach.post("/api/notifications/read", {"ids": "all"}), 400)
    assert_error(sign_in("learner").get("/api/notifications?limit=x"), 400)
