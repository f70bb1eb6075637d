"""The first dashboard call of a new day (issue 14): the statuses move with the calendar, without rebuilding
a cohort whose records did not change; a new record still rebuilds it. (Dates: tests/dashboard/conftest.py;
module 4 is due 2027-02-01.)"""

from __future__ import annotations

from comments_server.dashboard import service

from .conftest import COHORT, M4

C, W, P, O, N = "complete", "waiting_for_feedback", "in_progress", "overdue", "not_started"


def _cells(people):
    response = people["root"].get(f"/api/dashboard/cohorts/{COHORT}")
    assert response.status_code == 200, response.json
    return {r["learner"]["name"]: r["cells"] for r in response.json["matrix"]["rows"]}


def test_a_new_day_moves_past_due_cells_to_overdue_without_a_rebuild(scenario, people, clock, monkeypatch):
    before = _cells(people)
    assert before["Dee Learner"] == [C, C, C, N] and before["Ben Learner"] == [C, W, P, N]
    builds = []
    real = service._build_undated
    monkeypatch.setattr(service, "_build_undated", lambda db, cohort: builds.append(cohort["id"]) or real(db, cohort))
    clock.at("2027-02-01T12:00")  # module 3 (due 01-25) is past; module 4's due day is not over yet
    day_one = _cells(people)
    assert day_one["Ben Learner"] == [C, W, O, N] and day_one["Cai Learner"] == [O, O, O, N]
    assert day_one["Dee Learner"] == [C, C, C, N]
    assert day_one["Ana Learner"] == before["Ana Learner"]  # waiting for feedback is never overdue
    clock.at("2027-02-02T08:00")  # the day after: work left on module 4 is overdue now
    day_two = _cells(people)
    assert day_two["Dee Learner"] == [C, C, C, O] and day_two["Ben Learner"] == [C, W, O, O]
    assert builds == []  # the records did not change: the cohort was not rebuilt, only its day moved


def test_a_new_record_still_rebuilds_the_cohort(scenario, people, clock, monkeypatch):
    _cells(people)
    builds = []
    real = service._build_undated
    monkeypatch.setattr(service, "_build_undated", lambda db, cohort: builds.append(cohort["id"]) or real(db, cohort))
    clock.at("2027-02-02T08:00")
    people["dee"].post(f"/api/activities/{M4}/read/read")
    assert _cells(people)["Dee Learner"] == [C, C, C, O]  # read, but its roundtable is still to do
    assert builds == [COHORT]
