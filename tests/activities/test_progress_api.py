"""My progress, mark as read, reflections, and completion recomputed from records."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os

from support.statements import traced

from comments_server.store import completions, events
from comments_server.web.database import get_db

from .conftest import CATALOG, COHORT, READ, REFLECTION, Api, assert_error, make_app

READ_URL = f"/api/activities/{READ}/read"
REFLECTION_URL = f"/api/activities/{REFLECTION}/reflection"
WRITES = ("BEGIN", "INSERT", "UPDATE", "DELETE", "REPLACE")


def module(api, module_id):
    """The viewer's progress entry for one module."""
    for program in api.get("/api/progress").get_json()["learner"]["programs"]:
        for m in program["modules"]:
            if m["id"] == module_id:
                return m
    raise AssertionError(module_id)


def test_progress_lists_every_module_not_started(as_user):
    body = as_user("ana").get("/api/progress").get_json()
    program = body["learner"]["programs"][0]
    assert program["id"] == "sales" and program["cohort"]["id"] == COHORT
    assert [m["status"] for m in program["modules"]] == ["not_started"] * 4
    assert program["next"]["text"] == "Draft your plan."  # plan-a-call requires only the plan
    assert program["modules"][0]["due"] == "2027-01-25"
    assert "manager" not in body


def test_mark_as_read_is_idempotent_and_starts_the_module(as_user, app):
    ana = as_user("ana")
    assert ana.get(READ_URL).get_json()["read"] is False
    first = ana.post(READ_URL).get_json()
    assert first["read"] is True
    assert ana.post(READ_URL).get_json()["read_at"] == first["read_at"]
    pitch = module(ana, "sales/pitch-day")
    assert pitch["status"] == "in_progress"
    assert {a["kind"]: a["status"] for a in pitch["activities"]}["read"] == "complete"
    with app.app_context():
        experienced = events.list_events(get_db(), verb=None)
    assert sum(1 for e in experienced if e["verb"]["id"].endswith("/experienced")) == 1


def test_reflection_post_edit_and_cohort_view(as_user):
    ana, ben, ola = as_user("ana"), as_user("ben"), as_user("ola")
    assert_error(ana.post(REFLECTION_URL, {"body": " "}), 400, "Write something first")
    r = ana.post(REFLECTION_URL, {"body": "I will *listen* more."})
    assert r.status_code == 200 and "<em>listen</em>" in r.get_json()["mine"]["body_html"]
    r = ana.post(REFLECTION_URL, {"body": "I will listen more and talk less."})
    assert r.get_json()["mine"]["edited"] and len(r.get_json()["reflections"]) == 1
    assert [x["author_name"] for x in ben.get(REFLECTION_URL).get_json()["reflections"]] == ["Ana Learner"]
    assert ola.get(REFLECTION_URL).get_json()["reflections"] == []  # another cohort
    pitch = module(ana, "sales/pitch-day")
    assert {a["kind"]: a["status"] for a in pitch["activities"]}["reflection"] == "complete"


def test_coach_cannot_post_a_learner_record(as_user):
    cora = as_user("cora")
    assert_error(cora.post(READ_URL), 403, "Only learners")
    assert_error(cora.post(REFLECTION_URL, {"body": "x"}), 403, "Only learners")


def _completed(app, user_id):
    """The learner's stored completion ids, read straight from the database."""
    with app.app_context():
        return completions.completed_ids(get_db(), user_id=user_id, cohort_id=COHORT)


def test_roundtable_post_completes_the_module_when_posted(as_user, app):
    ana = as_user("ana")
    ana.post("/api/activities/sales/discovery/read/read")
    thread = ana.get("/api/activities/sales/discovery/roundtable/thread").get_json()["thread"]
    assert ana.post(f"/api/threads/{thread['id']}/comments", {"body": "I open with a question."}).status_code == 201
    # stored by the post itself, before anyone reads the progress page
    assert {"sales/discovery", "sales/discovery/read", "sales/discovery/roundtable"} <= _completed(app, ana.id)
    assert module(ana, "sales/discovery")["status"] == "complete"


def test_deleting_the_only_roundtable_post_takes_the_completion_back(as_user, app):
    ana = as_user("ana")
    thread = ana.get("/api/activities/sales/discovery/roundtable/thread").get_json()["thread"]
    comment = ana.post(f"/api/threads/{thread['id']}/comments", {"body": "First thoughts."}).get_json()["comment"]
    assert "sales/discovery/roundtable" in _completed(app, ana.id)
    assert ana._send("DELETE", f"/api/comments/{comment['id']}", {}).status_code == 200
    assert "sales/discovery/roundtable" not in _completed(app, ana.id)


def test_a_further_post_keeps_the_completion_and_the_last_deletion_takes_it_back(as_user, app):
    ana = as_user("ana")
    thread = ana.get("/api/activities/sales/discovery/roundtable/thread").get_json()["thread"]
    url = f"/api/threads/{thread['id']}/comments"
    first = ana.post(url, {"body": "First thoughts."}).get_json()["comment"]
    second = ana.post(url, {"body": "And a second one."}).get_json()["comment"]  # already complete: the short way
    assert "sales/discovery/roundtable" in _completed(app, ana.id)
    assert ana._send("DELETE", f"/api/comments/{first['id']}", {}).status_code == 200
    assert "sales/discovery/roundtable" in _completed(app, ana.id)  # the second post still counts
    assert ana._send("DELETE", f"/api/comments/{second['id']}", {}).status_code == 200
    assert "sales/discovery/roundtable" not in _completed(app, ana.id)
    assert ana.post(url, {"body": "Back again."}).status_code == 201
    assert "sales/discovery/roundtable" in _completed(app, ana.id)


def test_a_coach_post_stores_no_completion(as_user, app):
    cora = as_user("cora")
    thread = cora.get("/api/activities/sales/discovery/roundtable/thread").get_json()["thread"]
    assert cora.post(f"/api/threads/{thread['id']}/comments", {"body": "Welcome."}).status_code == 201
    assert _completed(app, cora.id) == set()


def test_progress_is_a_pure_read(as_user, app):
    ana, mia = as_user("ana"), as_user("mia")
    ana.post(READ_URL)
    for who in (ana, mia):  # a session's hourly last_seen mark is written before watching starts
        who.get("/api/session")
    with traced(app.config["DATABASE"]) as seen:
        assert module(ana, "sales/pitch-day")["status"] == "in_progress"
        assert mia.get("/api/progress").status_code == 200
    assert seen and [s for s in seen if s.upper().startswith(WRITES)] == []


def test_manager_sees_reports_progress(as_user):
    ana, mia = as_user("ana"), as_user("mia")
    ana.post(READ_URL)
    body = mia.get("/api/progress").get_json()
    names = [r["name"] for r in body["manager"]["reports"]]
    assert names == ["Ana Learner", "Ben Learner", "Ola Other"]
    ana_report = body["manager"]["reports"][0]
    pitch = next(m for m in ana_report["programs"][0]["modules"] if m["id"] == "sales/pitch-day")
    assert pitch["status"] == "in_progress" and "feedback" not in pitch
    assert body["manager"]["waiting"] == []


def test_overdue_after_the_due_date(app, as_user):
    ana = as_user("ana")
    with app.app_context():
        db = get_db()
        mod = completions.get_module(db, module_id="sales/pitch-day")
        state = completions.module_state(db, user_id=ana.id, cohort_id=COHORT, module=mod,
                                         today=dt.date(2027, 3, 1))
    assert state["status"] == "overdue"


def test_progress_needs_sign_in(app):
    assert_error(app.test_client().get("/api/progress"), 401)


def _resync(app, catalog):
    """Write a new catalog.json into the site and sync it now."""
    with open(os.path.join(app.config["SITE_DIR"], "catalog.json"), "w") as f:
        json.dump(catalog, f)
    app.extensions["roundtable_catalog"].sync_now()


def test_due_dates_come_from_the_catalog_per_cohort(app, as_user):
    catalog = copy.deepcopy(CATALOG)
    # the build computed this cohort's dates at its own pace: not start + due_days (2027-01-25)
    catalog["programs"][0]["cohorts"][0]["due_dates"] = {"sales/plan-a-call": "2027-02-15",
                                                         "sales/pitch-day": "2027-03-29"}
    _resync(app, catalog)
    ana = as_user("ana")
    assert module(ana, "sales/plan-a-call")["due"] == "2027-02-15"
    assert module(ana, "sales/coach-plan")["due"] == "2027-02-01"  # not in due_dates: start + due_days
    with app.app_context():
        db = get_db()
        mod = completions.get_module(db, module_id="sales/pitch-day")
        state = completions.module_state(db, user_id=ana.id, cohort_id=COHORT, module=mod,
                                         today=dt.date(2027, 3, 1))  # past start + 28 days, before the catalog's date
    assert state["status"] == "not_started" and state["due"] == "2027-03-29"


def test_an_older_catalog_without_due_dates_falls_back_to_start_plus_due_days(app, as_user):
    catalog = copy.deepcopy(CATALOG)
    catalog["programs"][0]["cohorts"][0]["due_dates"] = {"sales/plan-a-call": "2027-02-15"}
    _resync(app, catalog)
    _resync(app, CATALOG)  # rebuilt with an older generator: the stored dates go too
    assert module(as_user("ana"), "sales/plan-a-call")["due"] == "2027-01-25"


def _join_late(app, email, name, on):
    """`roundtable user add` on day ``on``, by the app's clock: a learner joining the cohort then."""
    from comments_server.actions.people import add_user
    from comments_server.domain.clock import FixedClock, use

    with app.app_context(), use(FixedClock(dt.datetime.fromisoformat(on).replace(tzinfo=dt.timezone.utc))):
        add_user(get_db(), email=email, name=name, cohort=COHORT, role="learner")


def _status(api, module_id):
    """A module's (status, due) on the viewer's My progress."""
    entry = module(api, module_id)
    return entry["status"], entry["due"]


def test_a_late_joiners_due_dates_count_from_the_day_they_joined(app, as_user):
    """sales-q1 starts 2027-01-11; plan-a-call is due 14 days on. Lia joins on 2027-01-26, 15 days late."""
    from comments_server.domain.clock import FixedClock

    clock = app.extensions["clock"] = FixedClock(dt.datetime(2027, 1, 27, 9, tzinfo=dt.timezone.utc))
    _join_late(app, "lia@example.com", "Lia Late", "2027-01-26T10:00:00")
    ana, lia = as_user("ana"), as_user("lia")
    assert _status(ana, "sales/plan-a-call") == ("overdue", "2027-01-25")  # in the cohort from its start
    assert _status(lia, "sales/plan-a-call") == ("not_started", "2027-02-09")  # 14 days from joining
    assert _status(lia, "sales/coach-plan") == ("not_started", "2027-02-16")
    # the coach's matrix says the same, cell for cell
    matrix = as_user("cora").get(f"/api/dashboard/cohorts/{COHORT}").get_json()["matrix"]
    row = next(r for r in matrix["rows"] if r["learner"]["name"] == "Lia Late")
    assert "overdue" not in row["cells"] and row["cells"][0] == "not_started"
    clock.advance(days=14)  # 2027-02-10: now Lia is late too (signed in afresh: two weeks idle end a session)
    assert _status(Api(app, "lia@example.com"), "sales/plan-a-call") == ("overdue", "2027-02-09")


def test_a_cohort_with_fixed_dates_keeps_them_for_late_joiners(app, as_user):
    from comments_server.domain.clock import FixedClock

    catalog = copy.deepcopy(CATALOG)
    catalog["programs"][0]["cohorts"][0]["late_joiners"] = "fixed"  # programs.yml: late_joiners: fixed
    _resync(app, catalog)
    app.extensions["clock"] = FixedClock(dt.datetime(2027, 1, 27, 9, tzinfo=dt.timezone.utc))
    _join_late(app, "lia@example.com", "Lia Late", "2027-01-26T10:00:00")
    assert _status(as_user("lia"), "sales/plan-a-call") == ("overdue", "2027-01-25")


def test_joining_before_the_start_moves_nothing(app, as_user):
    from comments_server.domain.clock import FixedClock

    app.extensions["clock"] = FixedClock(dt.datetime(2027, 1, 12, 9, tzinfo=dt.timezone.utc))
    _join_late(app, "lia@example.com", "Lia Early", "2027-01-02T10:00:00")
    assert _status(as_user("lia"), "sales/plan-a-call") == ("not_started", "2027-01-25")


def test_the_migration_makes_an_existing_instances_statuses_true(tmp_path):
    """Records kept before work counted as reading: migration 0065 re-derives the stored completions.

    SQLite's: an instance that kept them before was on SQLite (PostgreSQL starts with 0065 applied)."""
    import sqlite_utils

    from comments_server.store.migrations import migrations

    app = make_app(tmp_path)
    ana = Api(app, "ana@example.com")
    thread = ana.get("/api/activities/sales/discovery/roundtable/thread").get_json()["thread"]
    assert ana.post(f"/api/threads/{thread['id']}/comments", {"body": "I open with a question."}).status_code == 201
    db = sqlite_utils.Database(app.config["DATABASE"])
    # as an instance kept them before: the post, no read row, so no read and no module completion
    db.execute("DELETE FROM completions WHERE activity_id IN ('sales/discovery', 'sales/discovery/read')")
    db.execute("DELETE FROM _sqlite_migrations WHERE name = '0065_completions_read_by_work'")
    db.conn.commit()
    migrations.apply(db)
    assert {"sales/discovery", "sales/discovery/read", "sales/discovery/roundtable"} <= _completed(app, ana.id)
    assert module(ana, "sales/discovery")["status"] == "complete"
