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


def _health_modules(people):
    response = people["root"].get(f"/api/dashboard/programs/acme/health?cohort={COHORT}")
    assert response.status_code == 200, response.json
    return response.json["health"]["modules"]


def test_program_health_counts_agree_with_the_matrix_day_after_day(app, scenario, people, clock):
    """Program health works a day's counts out from the undated statuses (per join date), the matrix from each
    learner's cells: both show the same started and overdue learners every day, a late joiner's dates included."""
    import datetime as dt

    from comments_server.web.database import get_db

    with app.app_context():  # Eve joined 8 days after the start (as set_membership dates a new member): 8 days more
        db = get_db()
        db.execute("UPDATE memberships SET joined = '2027-01-12' WHERE user_id = "
                   "(SELECT id FROM users WHERE email = 'eve@example.com')")
        db.conn.commit()
    seen = {}
    for n in range(0, 32, 3):
        day = (dt.date(2027, 1, 10) + dt.timedelta(days=n)).isoformat()
        clock.at(f"{day}T12:00")
        rows = _cells(people).values()
        health = _health_modules(people)
        for i, module in enumerate(health):
            assert module["overdue"] == sum(cells[i] == O for cells in rows), (day, module["id"])
            assert module["started"] == sum(cells[i] != N for cells in rows), (day, module["id"])
        seen[day] = health[2]["overdue"]
    clock.at("2027-02-02T12:00")
    assert _cells(people)["Eve Late"] == [O, O, N, N]
    before = _health_modules(people)[2]["overdue"]
    clock.at("2027-02-03T12:00")  # module 3 (due 01-25) is past Eve's due date (02-02) only now
    assert _cells(people)["Eve Late"][2] == O and _health_modules(people)[2]["overdue"] == before + 1
    assert len(set(seen.values())) > 1  # the walk crossed due dates: the counts did move
