"""The outbox without the global write lock: claims are conditional UPDATEs (PostgreSQL: FOR UPDATE SKIP
LOCKED), and one bad row stops nothing."""

from __future__ import annotations

import threading

from comments_server.domain.timeutil import now
from comments_server.store import notifications as store
from comments_server.store.db import connect, write_transaction

from .conftest import email


def _queue(db, subjects, to_addr):
    """Queue one mail per subject to ``to_addr``; return their ids."""
    with write_transaction(db):
        return [store.enqueue(db, user_id=None, to_addr=to_addr, kind="reply", subject=s, text="Hello",
                              url="sales/discovery-calls/") for s in subjects]


def test_two_workers_claiming_at_once_never_take_the_same_row(app, db, monkeypatch):
    ids = _queue(db, [f"Mail {i}" for i in range(20)], email("coach"))
    both_read = threading.Barrier(2)
    read_due = store._due_ids

    def read_then_wait(*args, **kwargs):
        found = read_due(*args, **kwargs)
        both_read.wait(timeout=10)  # both workers hold the same candidates before either claims
        return found

    monkeypatch.setattr(store, "_due_ids", read_then_wait)
    claimed, errors = {}, []

    def claim(name):
        conn = connect(app.config["DATABASE"])
        try:
            claimed[name] = [r["id"] for r in store.claim(conn, worker=name, at=now(), lease_seconds=300, limit=50)]
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=claim, args=(name,)) for name in ("first", "second")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert set(claimed["first"]).isdisjoint(claimed["second"])
    assert sorted(claimed["first"] + claimed["second"]) == sorted(ids)
    owners = {r["id"]: r["claimed_by"] for r in db.query("SELECT id, claimed_by FROM outbox")}
    assert all(owners[i] == name for name, got in claimed.items() for i in got)


def test_four_workers_draining_at_once_claim_every_row_exactly_once(app, db):
    ids = _queue(db, [f"Mail {i}" for i in range(120)], email("coach"))
    claimed, errors = [], []
    start = threading.Barrier(4)

    def drain(name):
        conn = connect(app.config["DATABASE"])
        try:
            start.wait(timeout=10)
            while rows := store.claim(conn, worker=name, at=now(), lease_seconds=300, limit=7):
                claimed.extend((name, r["id"]) for r in rows)
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=drain, args=(f"worker-{n}",)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sorted(i for _, i in claimed) == sorted(ids)  # every row once: none missed, none twice
    owners = {r["id"]: r["claimed_by"] for r in db.query("SELECT id, claimed_by FROM outbox")}
    assert all(owners[i] == name for name, i in claimed)


def test_a_row_that_cannot_be_built_is_failed_and_the_rest_of_the_batch_is_sent(worker, smtp, db):
    good_1, bad, good_2 = _queue(db, ["First", "Eve\nBcc: x@example.org replied", "Last"], email("coach"))
    counts = worker.run_once()
    assert counts == {"digests": 0, "sent": 2, "failed": 1}
    assert smtp.inbox.subjects(email("coach")) == ["First", "Last"]
    assert smtp.inbox.to("x@example.org") == []
    row = next(db.query("SELECT status, last_error FROM outbox WHERE id = ?", [bad]))
    assert row["status"] == "failed" and "linefeed" in row["last_error"].lower()
    assert worker.run_once()["failed"] == 0  # kept for an admin, not retried


def test_without_smtp_a_bad_row_is_failed_and_the_rest_logged(app, worker, db):
    app.config["SMTP_HOST"] = ""
    _, bad, _ = _queue(db, ["First", "Eve\r\nBcc: x@example.org replied", "Last"], email("coach"))
    assert worker.run_once()["sent"] == 2
    assert next(db.query("SELECT status FROM outbox WHERE id = ?", [bad]))["status"] == "failed"
