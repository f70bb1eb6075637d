"""Delivery through the outbox: multipart mail, retries while the SMTP server is down, restarts, failures."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from server.conftest import THREAD_URL

from comments_server.domain.timeutil import now
from comments_server.notify.worker import Worker
from comments_server.store import notifications as store
from comments_server.store.db import connect

from .conftest import assert_error, email, post_comment


def _three_posts(sign_in):
    """Three learner posts: three mails to the coach in the outbox."""
    learner = sign_in("learner")
    thread = learner.get(THREAD_URL).json["thread"]
    return [post_comment(learner, thread["id"], f"Post {i} <script>alert(1)</script>")["id"] for i in range(3)]


def _outbox(db):
    """Return (status, attempts) of every outbox row, oldest first."""
    return [(r["status"], r["attempts"]) for r in db.query("SELECT status, attempts FROM outbox ORDER BY id")]


def test_a_mail_is_multipart_with_escaped_html_a_link_and_one_click_unsubscribe(sign_in, worker, smtp):
    [comment_id, *_] = _three_posts(sign_in)
    worker.run_once()
    message = smtp.inbox.to(email("coach"))[0]
    assert message.get_content_type() == "multipart/alternative"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].startswith("<https://learn.example.com/unsubscribe?token=")
    assert message["Message-ID"].startswith("<outbox-")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "<script>" in text and "<script>" not in html and "&lt;script&gt;" in html
    link = f"https://learn.example.com/sales/discovery-calls/#rt-comment-{comment_id}"
    assert link in text and f'href="{link}"' in html


def test_nothing_is_lost_or_sent_twice_when_the_smtp_server_was_down(sign_in, worker, smtp, db):
    smtp.stop()
    _three_posts(sign_in)
    t0 = now()
    assert worker.run_once(at=t0) == {"digests": 0, "sent": 0, "failed": 3}
    assert _outbox(db) == [("pending", 1)] * 3
    # backoff: not retried before the first wait (60 s), then the wait doubles
    assert worker.run_once(at=t0 + dt.timedelta(seconds=30))["failed"] == 0
    assert worker.run_once(at=t0 + dt.timedelta(seconds=61))["failed"] == 3
    row = next(db.query("SELECT next_attempt, last_error FROM outbox ORDER BY id"))
    assert row["next_attempt"] > (t0 + dt.timedelta(seconds=61 + 119)).isoformat()[:19]
    assert "Connection refused" in row["last_error"] or "Errno" in row["last_error"]
    smtp.start()
    assert worker.run_once(at=t0 + dt.timedelta(seconds=200))["sent"] == 3
    assert worker.run_once(at=t0 + dt.timedelta(seconds=5000))["sent"] == 0
    subjects = smtp.inbox.subjects(email("coach"))
    assert len(subjects) == 3 and len(smtp.inbox.messages) == 3
    assert _outbox(db) == [("sent", 3)] * 3


def test_a_worker_that_dies_mid_batch_leaves_the_rest_to_the_next_one(app, sign_in, smtp, db, monkeypatch):
    _three_posts(sign_in)
    first = Worker(app, name="first")
    real_mark_sent = store.mark_sent
    calls = []

    def crash_after_one(db, **kw):
        calls.append(kw["outbox_id"])
        real_mark_sent(db, **kw)
        if len(calls) == 1:
            raise KeyboardInterrupt("the worker is killed")

    monkeypatch.setattr(store, "mark_sent", crash_after_one)
    t0 = now()
    with pytest.raises(KeyboardInterrupt):
        first.run_once(at=t0)
    monkeypatch.setattr(store, "mark_sent", real_mark_sent)
    assert [s for s, _ in _outbox(db)] == ["sent", "sending", "sending"]
    second = Worker(app, name="second")
    # the dead worker's claims are left alone while its lease runs (it might still be sending)...
    assert second.run_once(at=t0 + dt.timedelta(seconds=10))["sent"] == 0
    # ...and taken over when it has run out
    assert second.run_once(at=t0 + dt.timedelta(seconds=301))["sent"] == 2
    assert len(smtp.inbox.to(email("coach"))) == 3
    assert len({m["Message-ID"] for m in smtp.inbox.to(email("coach"))}) == 3


def test_undeliverable_mail_is_kept_with_its_error_for_admins(sign_in, worker, smtp, db):
    smtp.stop()
    _three_posts(sign_in)
    t0 = now()
    for minutes in (0, 2, 10):  # NOTIFY_MAX_ATTEMPTS is 3 in these tests
        worker.run_once(at=t0 + dt.timedelta(minutes=minutes))
    assert _outbox(db) == [("failed", 3)] * 3
    smtp.start()
    assert worker.run_once(at=t0 + dt.timedelta(days=1))["sent"] == 0
    admin = sign_in("admin")
    body = admin.get("/api/admin/outbox?status=failed").json
    assert body["counts"] == {"failed": 3}
    assert all(m["last_error"] and m["to_addr"] == email("coach") for m in body["messages"])
    assert_error(sign_in("coach").get("/api/admin/outbox"), 403)
    assert_error(admin.get("/api/admin/outbox?status=lost"), 400)


def test_a_permanent_refusal_is_not_retried(app, sign_in, smtp, db):
    smtp.stop()

    class Refusing:
        async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
            return "550 No such user here"

    from aiosmtpd.controller import Controller

    controller = Controller(Refusing(), hostname="127.0.0.1", port=smtp.port)
    controller.start()
    try:
        _three_posts(sign_in)
        assert Worker(app).run_once()["failed"] == 3
    finally:
        controller.stop()
    assert _outbox(db) == [("failed", 1)] * 3


def test_without_smtp_mail_goes_to_the_log(app, sign_in, caplog):
    app.config["SMTP_HOST"] = ""
    _three_posts(sign_in)
    with caplog.at_level(logging.WARNING, logger="roundtable.worker"):
        assert Worker(app).run_once()["sent"] == 3
    assert caplog.text.count("Mail to carla.coach@example.com (no SMTP_HOST configured)") == 3
    conn = connect(app.config["DATABASE"])
    assert {r["transport"] for r in conn.query("SELECT transport FROM outbox")} == {"log"}
    conn.close()
