"""Issue 13, slice B: dashboard GETs read and never write (the snapshot cache is in the process),
and the completion rows they read are kept by the follow-ups, with no recompute on a read."""

from __future__ import annotations

from support.statements import traced

from .conftest import COHORT, OTHER
from .test_permissions import assert_error

WRITES = ("BEGIN", "INSERT", "UPDATE", "DELETE", "REPLACE", "SAVEPOINT")


def sql_during(app, call):
    """The statements the server runs during ``call()`` (the test client serves in this thread)."""
    with traced(app.config["DATABASE"]) as seen:
        call()
    return seen


def test_dashboard_gets_do_not_write(app, scenario, people):
    urls = ["/api/dashboard", f"/api/dashboard/cohorts/{COHORT}", "/api/dashboard/programs/acme/health",
            f"/api/dashboard/programs/acme/health?cohort={COHORT}", "/api/dashboard/queue",
            f"/api/dashboard/cohorts/{COHORT}/export?what=matrix&format=csv"]

    def read_all():
        for who in ("root", "cora", "mia"):
            for url in urls:
                people[who].get(url)

    for who in ("root", "cora", "mia"):  # a session's hourly last_seen mark is written before watching starts
        people[who].get("/api/session")
    seen = sql_during(app, read_all)
    assert [s for s in seen if s.upper().startswith(WRITES) and "sqlite_utils_query" not in s] == []


def test_a_cached_snapshot_is_served_without_rebuilding_and_a_record_moves_it_on(app, scenario, people):
    root = people["root"]
    root.get(f"/api/dashboard/cohorts/{COHORT}")
    again = sql_during(app, lambda: root.get(f"/api/dashboard/cohorts/{COHORT}"))
    assert not any("FROM reads" in s for s in again)  # served from the cache: no records read
    people["ana"].post("/api/activities/acme/wrap-up/read/read")
    moved = sql_during(app, lambda: root.get(f"/api/dashboard/cohorts/{COHORT}"))
    assert any("FROM reads" in s for s in moved)  # the version moved: built again


def test_refusals_keep_the_one_shape(scenario, people):
    assert_error(people["ana"].get("/api/dashboard"), 403, "My progress")
    assert_error(people["ana"].get("/api/dashboard/queue"), 403, "My progress")
    assert_error(people["cora"].get(f"/api/dashboard/cohorts/{OTHER}"), 404, "No such cohort on your dashboard.")
