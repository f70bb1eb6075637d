"""The worker's daily checks (review reminders, learners behind) and `roundtable serve`'s one embedded worker."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import time
from pathlib import Path

import pytest
from support import live

from .conftest import PRESENTATION, email

UTC = dt.timezone.utc


def test_learners_behind_are_reported_to_their_coach_once_per_new_overdue_module(worker, db):
    # sales-a starts 2027-01-11: discovery-calls is due on the 18th, objection-handling on the 25th
    worker.run_once(at=dt.datetime(2027, 1, 20, 5, tzinfo=UTC))
    rows = list(db.query("SELECT user_id, subject FROM notifications WHERE kind = 'learner_behind' ORDER BY id"))
    coach = db.execute("SELECT id FROM users WHERE email = ?", [email("coach")]).fetchone()[0]
    assert {r["user_id"] for r in rows} == {coach}
    assert [r["subject"] for r in rows] == ["Lena Learner is behind by 1 module(s) in sales-a",
                                            "Liam Learner is behind by 1 module(s) in sales-a"]
    # the next day: nothing new to say; a week later: one more module overdue
    again = type(worker)(worker.app)
    again.run_once(at=dt.datetime(2027, 1, 21, 5, tzinfo=UTC))
    assert db.execute("SELECT COUNT(*) FROM notifications WHERE kind = 'learner_behind'").fetchone()[0] == 2
    type(worker)(worker.app).run_once(at=dt.datetime(2027, 1, 26, 5, tzinfo=UTC))
    assert db.execute("SELECT COUNT(*) FROM notifications WHERE kind = 'learner_behind'").fetchone()[0] == 4


def test_a_reviewer_is_reminded_the_day_before_the_due_date(sign_in, worker, smtp):
    learner = sign_in("learner")
    assert learner.post(f"/api/activities/{PRESENTATION}/presentation",
                        {"link": "https://slides.example.com/a"}).status_code == 201
    worker.run_once(at=dt.datetime(2027, 1, 10, 5, tzinfo=UTC))  # the allocation mail; too early to remind
    assert len(smtp.inbox.to(email("learner2"))) == 1
    type(worker)(worker.app).run_once(at=dt.datetime(2027, 1, 17, 5, tzinfo=UTC))
    type(worker)(worker.app).run_once(at=dt.datetime(2027, 1, 18, 5, tzinfo=UTC))  # once only
    subjects = smtp.inbox.subjects(email("learner2"))
    assert subjects[1:] == ["Reminder: your review of Lena Learner's presentation is due 2027-01-18"]


def test_roundtable_worker_once_sends_the_outbox(app, sign_in, smtp, tmp_path):
    from server.conftest import THREAD_URL

    from .conftest import post_comment

    learner = sign_in("learner")
    post_comment(learner, learner.get(THREAD_URL).json["thread"]["id"], "Hello")
    env = {**os.environ, "ROUNDTABLE_INSTANCE_PATH": app.instance_path, "ROUNDTABLE_SITE_DIR": app.config["SITE_DIR"],
           "ROUNDTABLE_SMTP_HOST": "127.0.0.1", "ROUNDTABLE_SMTP_PORT": str(smtp.port),
           "ROUNDTABLE_SMTP_STARTTLS": "false", "NO_MKDOCS_2_WARNING": "1",
           "ROUNDTABLE_DATABASE_URL": app.config["DATABASE_URL"], "ROUNDTABLE_SECRET_KEY": app.config["SECRET_KEY"]}
    out = live.run_cli("worker", "--once", env=env)
    assert "sent: 1" in out
    assert smtp.inbox.subjects(email("coach")) == ["Lena Learner posted in the roundtable of “Discovery Calls”"]


def _children(pid):
    """Return (pid, command line) of a process's children (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append((int(stat.parent.name),
                              (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()))
        except (OSError, ValueError, IndexError):
            continue
    return found


@pytest.mark.browser
def test_serve_runs_one_worker_beside_several_web_workers(built_site, tmp_path_factory, smtp):
    server = live.LiveServer(built_site, tmp_path_factory.mktemp("instance"), live.free_port(),
                                SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port, SMTP_STARTTLS="false",
                                NOTIFY_INTERVAL_SECONDS=1,
                                # the cohort's first week, before the 07:00 digests: whatever the time of day
                                CLOCK="2026-11-03T06:00:00Z")
    server.log = open(server.instance_dir / "serve.log", "w+")
    server.process = subprocess.Popen([live.ROUNDTABLE, "serve", "--port", str(server.port), "--workers", "2"],
                                      env=server.env, stdout=server.log, stderr=subprocess.STDOUT)
    try:
        server.wait_for_server()
        server.add_people()
        workers = [pid for pid, cmd in _children(server.process.pid) if " worker --parent-pid " in cmd]
        assert len(workers) == 1, _children(server.process.pid)
        lea = server.api_as("lea@example.com")
        thread_id = lea.get(f"{server.url}/api/activities/demo/talk-less/roundtable/thread").json()["thread"]["id"]
        assert lea.post(f"{server.url}/api/threads/{thread_id}/comments", json={"body": "Hi"}).status_code == 201
        deadline = time.monotonic() + 15
        while not smtp.inbox.to("cora@example.com") and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [str(m["Subject"]) for m in smtp.inbox.to("cora@example.com")] == \
            ["Lea Learner posted in the roundtable of “Talk less”"], server.output()
    finally:
        server.stop()
    deadline = time.monotonic() + 10
    while Path(f"/proc/{workers[0]}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not Path(f"/proc/{workers[0]}").exists(), "the outbox worker outlived `roundtable serve`"


@pytest.mark.parametrize("day, behind", [(dt.date(2027, 1, 20), 0), (dt.date(2027, 1, 26), 1),
                                         (dt.date(2027, 2, 9), 2)])
def test_the_behind_mail_agrees_with_the_dashboard_on_the_same_day(app, worker, db, sign_in, day, behind):
    """Issue 13: the worker mailed 'Lena is behind' by start + due_days while the dashboard read the cohort's own
    due dates; a slower cohort's coach was told weeks early. Both now ask the same rule."""
    from comments_server.domain import clock
    from comments_server.domain.clock import FixedClock

    # a fortnightly cohort: the build wrote these due dates for it (the first cohort's pace says the 18th)
    db.execute("""UPDATE cohorts SET due_dates = '{"sales/discovery-calls": "2027-01-25",
                  "sales/objection-handling": "2027-02-08"}' WHERE id = 'sales-a'""")
    db.conn.commit()
    moment = dt.datetime.combine(day, dt.time(5), tzinfo=UTC)
    worker.run_once(at=moment)
    mailed = [r["subject"] for r in db.query(
        "SELECT subject FROM notifications WHERE kind = 'learner_behind' AND subject LIKE 'Lena%'")]
    app.extensions["clock"] = FixedClock(moment)
    with clock.use(app.extensions["clock"]):  # the coach signs in that day too
        coach = sign_in("coach")
    cohort = coach.get("/api/dashboard/cohorts/sales-a").json
    shown = [r["n"] for a in cohort["attention"] if a["learner"]["name"] == "Lena Learner"
             for r in a["reasons"] if r["code"] == "behind"]
    assert shown == ([behind] if behind else [])
    assert mailed == ([f"Lena Learner is behind by {behind} module(s) in sales-a"] if behind else [])
