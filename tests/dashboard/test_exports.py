"""Exports: matrix and events as CSV, events as xAPI 1.0.3 statements, `roundtable export`,
and per-module figures split by content revision."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import os
import re
import uuid

from click.testing import CliRunner

from comments_server.domain.exports import registration
from comments_server.ops.cli import commands
from comments_server.web.database import get_db

from .conftest import CATALOG, COHORT, M1, Api, post

ADL = "http://adlnet.gov/expapi/verbs/"
# verbs the export may carry: the ADL vocabulary first, and registry vocabularies where ADL has none
VOCABULARIES = (ADL, "https://w3id.org/xapi/adl/verbs/", "http://activitystrea.ms/schema/1.0/",
                "http://id.tincanapi.com/verb/")
IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]+$")
TOP = {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority", "version",
       "attachments"}
CONTEXT = {"registration", "instructor", "team", "contextActivities", "revision", "platform", "language",
           "statement", "extensions"}


def xapi_problems(st, cohort_id):
    """Every way a statement breaks the xAPI 1.0.3 statement rules we rely on (empty when valid)."""
    p = [f"unknown property {k}" for k in set(st) - TOP]
    p += _uuid(st.get("id"), "id")
    actor = st.get("actor", {})
    if actor.get("objectType", "Agent") != "Agent" or not str(actor.get("mbox", "")).startswith("mailto:"):
        p.append(f"actor must be an Agent with a mailto: mbox: {actor}")
    verb = st.get("verb", {})
    if not IRI.match(verb.get("id", "")) or not verb["id"].startswith(VOCABULARIES):
        p.append(f"verb id is not a vocabulary IRI: {verb.get('id')}")
    if not isinstance(verb.get("display"), dict) or not verb["display"]:
        p.append("verb display must be a language map")
    obj = st.get("object", {})
    if obj.get("objectType") != "Activity" or not IRI.match(obj.get("id", "")):
        p.append(f"object must be an Activity with an IRI id: {obj}")
    try:
        stamp = dt.datetime.fromisoformat(st["timestamp"].replace("Z", "+00:00"))
        assert stamp.tzinfo is not None
    except (KeyError, ValueError, AssertionError):
        p.append(f"timestamp is not ISO 8601 with a zone: {st.get('timestamp')}")
    return p + _context_problems(st.get("context", {}), cohort_id)


def _uuid(value, where):
    """Problems with a UUID field."""
    try:
        uuid.UUID(str(value))
        return []
    except ValueError:
        return [f"{where} is not a UUID: {value}"]


def _context_problems(ctx, cohort_id):
    """Problems with a statement's context."""
    p = [f"unknown context property {k}" for k in set(ctx) - CONTEXT]
    p += _uuid(ctx.get("registration"), "context.registration")
    if ctx.get("registration") != str(uuid.uuid5(uuid.UUID("0b7c6f7e-1a0e-5c39-9a53-3f6d3c0d6e11"),
                                                 f"cohort:{cohort_id}")):
        p.append("context.registration is not uuid5 of the cohort")
    if not isinstance(ctx.get("revision"), str) or not ctx["revision"]:
        p.append("context.revision missing")
    for key, activities in ctx.get("contextActivities", {}).items():
        if key not in {"parent", "grouping", "category", "other"}:
            p.append(f"unknown contextActivities key {key}")
        p += [f"context activity without an IRI: {a}" for a in activities
              if a.get("objectType", "Activity") != "Activity" or not IRI.match(a.get("id", ""))]
    if not ctx.get("contextActivities", {}).get("grouping"):
        p.append("context.contextActivities.grouping (program, cohort) missing")
    return p + [f"extension key is not an IRI: {k}" for k in ctx.get("extensions", {}) if not IRI.match(k)]


def test_events_as_valid_xapi_statements(scenario, people):
    response = people["root"].get(f"/api/dashboard/cohorts/{COHORT}/export?what=events&format=xapi")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert 'filename="acme-a-statements.json"' in response.headers["Content-Disposition"]
    statements = response.json
    assert len(statements) > 30
    for st in statements:
        assert xapi_problems(st, COHORT) == [], st
    assert len({st["id"] for st in statements}) == len(statements)
    assert {st["context"]["registration"] for st in statements} == {registration(COHORT)}
    read = next(st for st in statements if st["verb"]["id"] == ADL + "experienced")
    assert read["context"]["revision"] == "sha256:welcome-1"
    assert read["object"]["id"] == "http://rt.test/xapi/activities/acme/welcome/read"
    assert {a["id"] for a in read["context"]["contextActivities"]["grouping"]} == {
        "http://rt.test/xapi/programs/acme", "http://rt.test/xapi/cohorts/acme-a"}
    # the same export twice gives the same ids (a record store keeps one of each)
    again = people["root"].get(f"/api/dashboard/cohorts/{COHORT}/export?what=events&format=xapi").json
    assert [s["id"] for s in again] == [s["id"] for s in statements]


def test_xapi_validator_catches_broken_statements():
    good = {"id": str(uuid.uuid4()), "actor": {"objectType": "Agent", "mbox": "mailto:a@example.com"},
            "verb": {"id": ADL + "commented", "display": {"en-US": "commented"}},
            "object": {"objectType": "Activity", "id": "http://rt.test/xapi/activities/x"},
            "timestamp": "2027-01-05T09:00:00.000Z",
            "context": {"registration": registration(COHORT), "revision": "sha256:x",
                        "contextActivities": {"grouping": [{"id": "http://rt.test/xapi/cohorts/acme-a"}]}}}
    assert xapi_problems(good, COHORT) == []
    broken = copy.deepcopy(good)
    broken["actor"]["mbox"] = "a@example.com"
    broken["verb"]["id"] = "https://roundtable.invalid/xapi/verbs/hid"
    broken["context"]["registration"] = str(uuid.uuid4())
    assert len(xapi_problems(broken, COHORT)) == 3


def test_matrix_and_events_as_csv(scenario, people):
    matrix = people["root"].get(f"/api/dashboard/cohorts/{COHORT}/export?what=matrix&format=csv")
    rows = list(csv.DictReader(io.StringIO(matrix.get_data(as_text=True))))
    assert [(r["learner"], r["completed"], r[M1]) for r in rows] == [
        ("Ana Learner", "2", "complete"), ("Ben Learner", "1", "complete"), ("Cai Learner", "0", "overdue"),
        ("Dee Learner", "3", "complete"), ("Eve Late", "0", "overdue")]
    events = people["root"].get(f"/api/dashboard/cohorts/{COHORT}/export?what=events&format=csv")
    rows = list(csv.DictReader(io.StringIO(events.get_data(as_text=True))))
    assert rows[0]["verb"] == ADL + "experienced" and rows[0]["revision"] == "sha256:welcome-1"
    assert {r["cohort_id"] for r in rows} == {COHORT}


def test_roundtable_export_command(app, scenario, tmp_path, monkeypatch):
    monkeypatch.setenv("ROUNDTABLE_INSTANCE_PATH", app.instance_path)
    monkeypatch.setenv("ROUNDTABLE_SITE_DIR", str(tmp_path / "site"))
    monkeypatch.setenv("ROUNDTABLE_BASE_URL", "http://rt.test")
    monkeypatch.setenv("ROUNDTABLE_DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("ROUNDTABLE_SECRET_KEY", app.config["SECRET_KEY"])
    runner = CliRunner()
    out = tmp_path / "statements.json"
    result = runner.invoke(commands, ["export", "--format", "xapi", "--what", "events", "--cohort", COHORT,
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    statements = json.loads(out.read_text())
    assert statements and all(xapi_problems(st, COHORT) == [] for st in statements)
    result = runner.invoke(commands, ["export", "--format", "csv", "--what", "matrix", "--cohort", COHORT])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("learner,email,manager,completed,last_activity,acme/welcome")
    assert len(result.output.splitlines()) == 6
    refused = runner.invoke(commands, ["export", "--format", "xapi", "--what", "matrix", "--cohort", COHORT])
    assert refused.exit_code != 0 and "CSV only" in refused.output


def test_figures_split_by_content_revision(app, scenario, people, clock):
    """Module 1 is rewritten on 01-25; Eve does it under the new revision."""
    catalog = copy.deepcopy(CATALOG)
    catalog["programs"][0]["modules"][0]["content_hash"] = "sha256:welcome-2"
    path = os.path.join(app.config["SITE_DIR"], "catalog.json")
    with open(path, "w") as f:
        json.dump(catalog, f)
    os.utime(path, (1, 2_000_000_000))
    clock.at("2027-01-25T13:00")
    people["root"].get("/api/session")  # the next request syncs the catalog
    with app.app_context():
        db = get_db()
        # the revision trigger stamps SQLite's own clock, which the test clock does not move
        db.execute("UPDATE module_revisions SET seen_at = ? WHERE content_hash = 'sha256:welcome-2'",
                   ["2027-01-25T13:00:00.000Z"])
        db.conn.commit()
    eve = Api(app, "eve@example.com")
    eve.post(f"/api/activities/{M1}/read/read")
    post(eve, M1, "Late, but here.")
    clock.at("2027-01-25T14:00")
    health = people["root"].get(f"/api/dashboard/programs/acme/health?cohort={COHORT}").json["health"]
    assert health["modules"][0]["revisions"] == [
        {"revision": "sha256:welcome-1", "learners": 4, "complete": 3, "completion_rate": 0.75,
         "median_days_to_complete": 1.38},
        {"revision": "sha256:welcome-2", "learners": 1, "complete": 1, "completion_rate": 1.0,
         "median_days_to_complete": 21.54},  # 01-04 00:00 -> her post on 01-25 13:00
    ]
    statements = people["root"].get(f"/api/dashboard/cohorts/{COHORT}/export?what=events&format=xapi").json
    eve = [s for s in statements if s["actor"]["mbox"] == "mailto:eve@example.com"]
    assert {s["context"]["revision"] for s in eve} == {"sha256:welcome-2"}
