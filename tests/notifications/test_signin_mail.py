"""Sign-in links through the outbox: the request does the same work for every address (issue 13).

Before, with SMTP configured, ``POST /api/auth/request-link`` mailed the link
inside the request: 50-65 ms for an enrolled address, 5-6 ms for an unknown
one, which told anyone who is enrolled. Now the request queues the address
typed and the worker makes and mails the link, or drops the row.
"""

from __future__ import annotations

import statistics
import time

import pytest

from comments_server.store import notifications as store

from .conftest import PEOPLE, email

ENROLLED = PEOPLE["learner"][0]
UNKNOWN = "stranger.danger@example.com"
ROUNDS = 25


@pytest.fixture
def app_config(app_config):
    """The notification tests' configuration (real SMTP) without the per-mailbox sign-in limit."""
    return {**app_config, "RATELIMIT_SIGNIN_EMAIL": "1000/minute", "NOTIFY_BATCH": 100}


def _timed(anon, address):
    """Return the milliseconds one request-link takes (it must answer 202)."""
    start = time.perf_counter()
    response = anon.post("/api/auth/request-link", {"email": address})
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 202
    return elapsed


def test_request_link_takes_the_same_time_for_enrolled_and_unknown_addresses(anon, worker, smtp):
    for address in (ENROLLED, UNKNOWN) * 3:  # warm up: the first requests open connections and caches
        _timed(anon, address)
    enrolled, unknown = [], []
    for _ in range(ROUNDS):  # interleaved, so a slow moment of the machine costs both sides
        enrolled.append(_timed(anon, ENROLLED))
        unknown.append(_timed(anon, UNKNOWN))
    assert smtp.inbox.messages == []  # nothing is mailed inside a request
    a, b = statistics.median(enrolled), statistics.median(unknown)
    print(f"request-link median: enrolled {a:.2f} ms, unknown {b:.2f} ms")
    assert abs(a - b) < 5 and abs(a - b) < 0.3 * max(a, b), (a, b)
    # the worker then mails the link to the enrolled address only
    counts = worker.run_once()
    assert counts["sent"] == ROUNDS + 3 and counts["failed"] == 0
    assert len(smtp.inbox.to(ENROLLED)) == ROUNDS + 3 and smtp.inbox.to(UNKNOWN) == []
    assert "/signin/?token=" in smtp.inbox.to(ENROLLED)[0].get_body(("plain",)).get_content()


def test_the_link_comes_from_the_worker_and_signs_in(app, anon, worker, smtp, db):
    anon.post("/api/auth/request-link", {"email": " Carla.Coach@Example.com ", "next": "/sales/"})
    (row,) = db.query("SELECT user_id, to_addr, kind, url FROM outbox")
    assert row == {"user_id": None, "to_addr": email("coach"), "kind": store.SIGNIN, "url": "/sales/"}
    assert db.table("login_tokens").count == 0  # no token exists before the worker makes the mail
    worker.run_once()
    (message,) = smtp.inbox.to(email("coach"))
    assert str(message["Subject"]) == "Your Roundtable sign-in link"
    link = next(line for line in message.get_body(("plain",)).get_content().splitlines() if "token=" in line)
    assert link.startswith("https://learn.example.com/signin/?token=") and link.endswith("&next=/sales/")
    body = anon.redeem(link.split("token=")[1].split("&")[0]).json
    assert body["user"]["email"] == email("coach") and body["next"] == "/sales/"


def test_an_unknown_address_leaves_no_row_behind(anon, worker, smtp, db):
    anon.post("/api/auth/request-link", {"email": UNKNOWN})
    assert worker.run_once()["sent"] == 0
    assert db.table("outbox").count == 0 and smtp.inbox.messages == []


def test_sign_in_mail_goes_before_the_rest_of_the_outbox(sign_in, anon, db):
    from .test_delivery import _three_posts

    _three_posts(sign_in)
    anon.post("/api/auth/request-link", {"email": ENROLLED})
    from comments_server.domain.timeutil import now

    rows = store.claim(db, worker="w", at=now(), lease_seconds=300, limit=2)
    assert [r["kind"] for r in rows][0] == store.SIGNIN and len(rows) == 2


def test_sign_in_mail_ignores_preferences_and_digests(app, sign_in, anon, worker, smtp):
    learner = sign_in("learner")
    body = learner.get("/api/notifications/preferences").json
    choices = {p["kind"]: "never" for p in body["preferences"]}
    assert learner.client.put("/api/notifications/preferences", json=choices,
                              headers={"X-CSRF-Token": learner.csrf}).status_code == 200
    anon.post("/api/auth/request-link", {"email": ENROLLED})
    worker.run_once()
    assert smtp.inbox.subjects(ENROLLED) == ["Your Roundtable sign-in link"]
