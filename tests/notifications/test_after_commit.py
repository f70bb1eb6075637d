"""Fan-out after the commit (issue 14): a post's write holds only the post; everyone is still told, even when
the request never gets to tell them (a failure, or the process dying between commit and fan-out)."""

from __future__ import annotations

import datetime as dt

import pytest
from server.conftest import THREAD_URL
from support.cli import commands_on
from support.statements import action_transactions, traced

from comments_server.actions.bus import BUS
from comments_server.domain import timeutil
from comments_server.domain.events.comments import CommentPosted
from comments_server.store.db import after_commit, write_transaction

from .conftest import email, post_comment

MENTION = "Thanks @Liam.Learner, what do you think?"


def told(db):
    """Return (recipient e-mail, kind) of every notification, sorted."""
    return sorted((r["email"], r["kind"]) for r in db.query(
        "SELECT u.email, n.kind FROM notifications n JOIN users u ON u.id = n.user_id"))


def pending(db):
    """Return the ids of after-commit markers not yet finished."""
    return [r["id"] for r in db.query("SELECT id FROM pending_followups")]


EXPECTED = [(email("coach"), "coach_post"), (email("learner2"), "mention")]


def test_the_post_commits_alone_and_everyone_is_told_before_the_answer(app, sign_in, db):
    learner = sign_in("learner")
    thread_id = learner.get(THREAD_URL).json["thread"]["id"]
    with traced(app.config["DATABASE"]) as statements:  # the test client's requests run in this thread
        post_comment(learner, thread_id, MENTION)
    # the write that stores the comment holds no notification: those come after its COMMIT
    writes = action_transactions(statements)
    first_write = writes[0]
    assert any(s.startswith("INSERT INTO comments") for s in first_write)
    assert not any("notifications" in s or "outbox" in s for s in first_write)
    # what follows takes ONE more write: every notification and mail, and the marker's removal with them
    assert len(writes) == 2, writes
    follow_up = writes[1]
    for table in ("notifications", "outbox", "DELETE FROM pending_followups"):
        assert any(table in s for s in follow_up), table
    # ... and when the answer arrives, every notification and mail is there, nothing left pending
    assert told(db) == EXPECTED
    assert db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 2
    assert pending(db) == []


@pytest.fixture
def worker_command(app, monkeypatch):
    """Run `roundtable worker --once` on the test app's instance (mail to the log: no SMTP in its settings)."""
    run = commands_on(app, monkeypatch)
    return lambda: run("worker", "--once")


def _age_markers(db, seconds):
    """Make the pending markers ``seconds`` older, as if the request had died that long ago."""
    with write_transaction(db):
        for marker in list(db.query("SELECT id, created FROM pending_followups")):
            created = dt.datetime.fromisoformat(marker["created"].replace("Z", "+00:00"))
            db.execute("UPDATE pending_followups SET created = ? WHERE id = ?",
                       [timeutil.iso(created - dt.timedelta(seconds=seconds)), marker["id"]])


def test_a_fan_out_that_failed_is_finished_by_the_worker(sign_in, db, monkeypatch, worker_command):
    learner = sign_in("learner")
    thread_id = learner.get(THREAD_URL).json["thread"]["id"]

    def broken(db, event):
        raise RuntimeError("the mail preferences table is locked")

    with monkeypatch.context() as patch:
        patch.setitem(BUS._after_commit, CommentPosted, [broken])
        comment = post_comment(learner, thread_id, MENTION)  # the post stands: the answer is 201
    assert told(db) == [] and len(pending(db)) == 1
    assert learner.get(THREAD_URL).json["comments"][-1]["id"] == comment["id"]
    # a young marker is its request's business: the worker leaves it
    worker_command()
    assert told(db) == [] and len(pending(db)) == 1
    _age_markers(db, 120)
    result = worker_command()
    assert result.exit_code == 0, result.output
    assert told(db) == EXPECTED and pending(db) == []
    assert [r["status"] for r in db.query("SELECT status FROM outbox")] == ["sent", "sent"]
    worker_command()  # run again: nobody is told twice
    assert told(db) == EXPECTED


def test_a_process_that_died_after_the_commit_loses_nothing(sign_in, db, monkeypatch, worker_command):
    learner = sign_in("learner")
    thread_id = learner.get(THREAD_URL).json["thread"]["id"]
    # the callbacks registered for after the commit never run, as when the process is killed at that moment
    with monkeypatch.context() as patch:
        patch.setattr("comments_server.actions.bus.after_commit", lambda db, callback: None)
        post_comment(learner, thread_id, MENTION)
    assert told(db) == [] and len(pending(db)) == 1
    _age_markers(db, 120)
    worker_command()
    assert told(db) == EXPECTED and pending(db) == []


def test_a_post_that_rolls_back_leaves_no_marker_and_tells_nobody(sign_in, db, monkeypatch):
    learner = sign_in("learner")
    thread_id = learner.get(THREAD_URL).json["thread"]["id"]

    def registered_then_failed(db, callback):  # the marker and its callback exist, then the write fails
        after_commit(db, callback)
        raise RuntimeError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr("comments_server.actions.bus.after_commit", registered_then_failed)
        assert learner.post(f"/api/threads/{thread_id}/comments", {"body": MENTION}).status_code == 500
    assert told(db) == [] and pending(db) == []
    assert db.execute("SELECT COUNT(*) FROM comments").fetchone()[0] == 0
