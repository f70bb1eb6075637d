"""xAPI statement builders: ADL verbs, activity IRIs under a base, context, result."""

import datetime as dt
import uuid

import pytest

from comments_server.domain import xapi

BASE = "https://learn.example.com/xapi/"
USER = {"id": 7, "name": "Ana Silva", "email": "ana@example.com"}


def make(**kw):
    """A statement for Ana submitting her pitch-day presentation."""
    args = dict(user=USER, verb_name="submitted", activity_id="sales/pitch-day/presentation",
                kind="presentation", cohort_id="sales-2027-q1", program_id="sales",
                module_id="sales/pitch-day", title="Pitch day",
                when=dt.datetime(2027, 2, 1, 9, 30, tzinfo=dt.timezone.utc))
    args.update(kw)
    return xapi.statement(BASE, **args)


def test_statement_shape():
    st = make()
    assert set(st) == {"id", "actor", "verb", "object", "context", "timestamp"}
    uuid.UUID(st["id"])
    assert st["actor"] == {"objectType": "Agent", "name": "Ana Silva", "mbox": "mailto:ana@example.com"}
    assert st["verb"]["id"] == "http://activitystrea.ms/schema/1.0/submit"
    assert st["object"]["id"] == "https://learn.example.com/xapi/activities/sales/pitch-day/presentation"
    assert st["object"]["definition"]["name"] == {"en-US": "Pitch day"}
    assert st["timestamp"] == "2027-02-01T09:30:00.000Z"


def test_context_carries_registration_cohort_program_and_module():
    ctx = make()["context"]
    assert ctx["registration"] == xapi.registration("sales-2027-q1", 7)
    assert ctx["registration"] == make()["context"]["registration"]  # stable
    assert ctx["registration"] != xapi.registration("sales-2027-q2", 7)
    grouping = [a["id"] for a in ctx["contextActivities"]["grouping"]]
    assert grouping == ["https://learn.example.com/xapi/programs/sales",
                        "https://learn.example.com/xapi/cohorts/sales-2027-q1"]
    assert ctx["contextActivities"]["parent"][0]["id"].endswith("/modules/sales/pitch-day")


@pytest.mark.parametrize("name", ["experienced", "commented", "completed", "scored", "progressed"])
def test_adl_verbs(name):
    assert xapi.verb(name)["id"] == f"http://adlnet.gov/expapi/verbs/{name}"


def test_result_score_is_scaled():
    res = xapi.result(score=(4, 1, 5), completion=True, response="Clear next step")
    assert res == {"completion": True, "response": "Clear next step",
                   "score": {"raw": 4, "min": 1, "max": 5, "scaled": 0.75}}
    assert "result" in make(result_obj=res)
    assert "result" not in make()


def test_naive_timestamps_are_utc_and_ids_are_quoted():
    assert xapi.timestamp(dt.datetime(2027, 1, 1, 12)) == "2027-01-01T12:00:00.000Z"
    assert xapi.iri(BASE, "activities", "a b/c") == "https://learn.example.com/xapi/activities/a%20b/c"


def test_instructor_in_context():
    st = make(instructor={"id": 2, "name": "Coach", "email": "coach@example.com"})
    assert st["context"]["instructor"]["mbox"] == "mailto:coach@example.com"
