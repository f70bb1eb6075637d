"""A person's own data (issue 11): export everything held about a learner who posted, planned, presented and
reviewed; then erase them and find no trace of their text or name in the database, exports, search or
notifications, while other people's replies and records stay."""

from __future__ import annotations

import json
import os
import zipfile

from support.cli import commands_on

from comments_server.store.db import connect

from .conftest import PITCH, PLAN
from .test_presentations_api import GOOD, submit_all, upload, uploads

SECRET = "Zanzibar-mango"  # a word only Ana writes, to look for afterwards
THREAD = "/api/activities/sales/discovery/roundtable/thread"


def _ana_does_everything(as_user):
    ana, cora = as_user("ana"), as_user("cora")
    thread_id = ana.get(THREAD).get_json()["thread"]["id"]
    mine = ana.post(f"/api/threads/{thread_id}/comments", {"body": f"My {SECRET} opener"}).get_json()["comment"]
    assert cora.post(f"/api/threads/{thread_id}/comments", {"body": "Coach reply", "parent_id": mine["id"]}) \
        .status_code == 201
    assert ana.post(f"/api/activities/{PLAN}/plan", {"body": f"Plan: {SECRET} questions"}).status_code in (200, 201)
    assert upload(ana).status_code == 201
    ids = submit_all(as_user, ("ben", "cai", "dee"))
    target = next(t["submission_id"] for t in ana.get(f"/api/activities/{PITCH}/presentation").get_json()["to_review"])
    assert target in ids.values()
    assert ana.post(f"/api/presentations/{target}/reviews", {"scores": GOOD, "comment": f"{SECRET} review"}) \
        .status_code == 201
    return thread_id


def _everything(app):
    """Every text cell of every table, as one string."""
    conn = connect(app.config["DATABASE"])
    tables = ("SELECT tablename FROM pg_tables WHERE schemaname = 'public'" if conn.dialect == "postgresql"
              else "SELECT name FROM sqlite_master WHERE type = 'table'")
    out = []
    for (table,) in conn.execute(tables).fetchall():
        for row in conn.execute(f'SELECT * FROM "{table}"').fetchall():
            out.extend(str(cell) for cell in row if isinstance(cell, str))
    conn.close()
    return "\n".join(out)


def test_export_then_erase_a_learner_who_did_everything(app, as_user, tmp_path, monkeypatch):
    thread_id = _ana_does_everything(as_user)
    own = as_user("ana").get("/api/me/export").get_json()
    assert own["person"]["email"] == "ana@example.com"
    assert {"comments", "submissions", "reviews", "events", "memberships"} <= set(own["tables"])
    assert SECRET in json.dumps(own) and len(own["uploads"]) == 1

    run = commands_on(app, monkeypatch)
    out = run("user", "export", "ana@example.com", str(tmp_path / "ana.zip")).output
    assert "upload(s) written" in out
    with zipfile.ZipFile(tmp_path / "ana.zip") as z:
        assert SECRET in z.read("person.json").decode()
        assert [n for n in z.namelist() if n.startswith("uploads/")] == [f"uploads/{uploads(app)[0]}"]

    refused = run("user", "erase", "ana@example.com")
    assert refused.exit_code != 0 and "--yes" in refused.output and SECRET in _everything(app)
    erased = run("user", "erase", "ana@example.com", "--yes")
    assert "ana@example.com erased" in erased.output

    everything = _everything(app)
    assert SECRET not in everything and "Ana Learner" not in everything and "ana@example.com" not in everything
    assert uploads(app) == []  # her file is gone
    # others' work stays: the coach's reply is still in the thread, under a "deleted" placeholder
    comments = as_user("cora").get(THREAD).get_json()["comments"]
    assert [c["deleted"] for c in comments] == [True, False] and comments[1]["author"]["name"] == "Cora Coach"
    # exports and search no longer carry her
    events = as_user("root").get("/api/dashboard/cohorts/sales-q1/export?what=events&format=csv")
    assert events.status_code == 200 and SECRET not in events.get_data(as_text=True)
    assert "ana@example.com" not in events.get_data(as_text=True)
    assert thread_id
    # her session is gone: the old cookie signs no one in
    assert as_user("ana").get("/api/session").get_json()["user"] is None
    assert not os.path.exists(os.path.join(app.instance_path, "uploads", "missing"))


def test_every_table_that_points_at_a_person_has_an_erasure_policy(app):
    """A table added later with a reference to users must say what erasure does to it."""
    from comments_server.store import person_data
    from comments_server.store.db import connect

    db = connect(app.config["DATABASE"])
    try:
        pairs = person_data.person_tables(db)
    finally:
        db.close()
    second = {("notifications", "actor_id"), ("users", "manager_id")}
    missing = [f"{t}.{c}" for t, c in pairs if person_data.ERASE.get(t, (None,))[0] != c and (t, c) not in second]
    assert pairs and not missing, f"add these to person_data.ERASE: {missing}"
