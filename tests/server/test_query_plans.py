"""What every signed-in request reads finds its rows through an index: no request scans a table that grows
with the people in it (a scan of memberships on every request was found in issue 14)."""

from __future__ import annotations

import re

import pytest
from support.statements import traced

from comments_server.store.db import connect

from .conftest import THREAD_URL, post_comment

# the catalog's tables hold a program's cohorts, modules and activities: tens of rows, whoever signs in;
# the search index's settings are a few rows SQLite's full-text search reads itself
SMALL = {"programs", "modules", "activities", "cohorts", "search_index_config"}
NAMED = re.compile(r"\b(?:FROM|JOIN)\s+(\w+)(?:\s+(?:AS\s+)?(?!ON\b|WHERE\b|JOIN\b|LEFT\b|USING\b)(\w+))?", re.I)


def _scans(app, statements):
    """Each full scan of a table outside the catalog in SQLite's plans for ``statements`` (a scan through a
    covering index reads every row too), with its statement."""
    db = connect(app.config["DATABASE"])
    try:
        found = []
        for sql in statements:
            if not sql.upper().startswith(("SELECT", "WITH")):
                continue
            tables = {alias or table: table for table, alias in NAMED.findall(sql)}
            real = {name for (name,) in db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            for row in db.conn.execute(f"EXPLAIN QUERY PLAN {sql}"):
                words = row[-1].split()
                table = tables.get(words[1], words[1]).removeprefix("main.") if len(words) > 1 else ""
                if words[0] == "SCAN" and table in real - SMALL:  # not a list of values, not a subquery
                    found.append((row[-1], sql))
        return found
    finally:
        db.close()


@pytest.mark.parametrize("role", ["learner", "manager", "coach"])
def test_what_a_signed_in_person_does_scans_no_growing_table(app, sign_in, thread, role):
    api = sign_in(role)
    with app.app_context(), traced(app.config["DATABASE"]) as seen:
        assert api.get("/api/session").status_code == 200
        assert api.get(THREAD_URL).status_code == 200
        for everyday in ("/api/notifications?limit=0", "/api/notifications", "/api/progress", "/api/recent",
                         "/api/dashboard/queue", "/api/activities/sales/discovery-calls/plan",
                         "/api/dashboard/cohorts/sales-a", "/api/boards", "/api/subscriptions",
                         "/api/notifications/preferences"):
            assert api.get(everyday).status_code in (200, 403, 404), everyday  # a refusal reads too
        counts = "/api/threads/counts?activities=sales/discovery-calls/roundtable,sales/objection-handling/roundtable"
        assert api.get(counts).status_code == 200
        if role == "learner":
            assert post_comment(api, thread["id"], "A post, and what follows it")["id"]
    assert seen, "no statement traced"
    assert _scans(app, seen) == []
