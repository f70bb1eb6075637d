"""Import people and cohort memberships from CSV: all rows are checked before anything is written."""

from __future__ import annotations

import csv
import re

from comments_server.store import users
from comments_server.actions import reviews as review_upkeep
from comments_server.domain import xapi
from comments_server.store.db import write_transaction

COLUMNS = ("email", "name", "cohort", "role", "manager_email")
ROLES = ("learner", "coach", "manager", "observer")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class RosterError(Exception):
    """The roster file has problems; ``problems`` lists every one, each naming its row."""

    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = problems


def read_rows(path):
    """Return the CSV's rows as (row number, dict); row 1 is the header, as in a spreadsheet."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise RosterError([f"row 1: missing column(s) {', '.join(missing)}; "
                               f"the header must be {','.join(COLUMNS)}"])
        return [(n, {k: (v or "").strip() for k, v in row.items() if k})
                for n, row in enumerate(reader, start=2)]


def check_rows(db, rows):
    """Return every problem in the rows, each naming the row and what to fix."""
    cohorts = {row["id"] for row in db.query("SELECT id FROM cohorts")}
    in_file = {row["email"].lower() for _, row in rows}
    problems = []
    for n, row in rows:
        problems += [f"row {n}: {p}" for p in _row_problems(db, row, cohorts, in_file)]
    return problems


def _row_problems(db, row, cohorts, in_file):
    """Return the problems of one row."""
    problems = []
    if not EMAIL.match(row["email"]):
        problems.append(f"email {row['email']!r} is not an email address")
    if row["cohort"] and row["cohort"] not in cohorts:
        known = ", ".join(sorted(cohorts)) or "none: build the site first"
        problems.append(f"unknown cohort {row['cohort']!r}; use one of: {known}")
    if row["cohort"] and row["role"] not in ROLES:
        problems.append(f"role {row['role']!r} must be one of {', '.join(ROLES)}")
    if not row["cohort"] and row["role"]:
        problems.append("a role needs a cohort; fill in the cohort column")
    manager = row["manager_email"].lower()
    if manager and manager not in in_file and users.get_user(db, email=manager) is None:
        problems.append(f"manager_email {manager!r} is neither in this file nor an existing user; "
                        "add a row for the manager")
    if manager and manager == row["email"].lower():
        problems.append("a person cannot be their own manager")
    return problems


def import_roster(db, path, *, xapi_base=xapi.DEFAULT_BASE):
    """Import a roster CSV, all or nothing; return counts. Raises RosterError naming rows.

    ``xapi_base``: the statements' IRI base, for the completion that follows a re-allocation.
    """
    rows = read_rows(path)
    problems = check_rows(db, rows)
    if problems:
        raise RosterError(problems)
    with write_transaction(db):
        # people first, so managers listed after their reports can be linked
        for _, row in rows:
            users.upsert_user(db, email=row["email"], name=row["name"] or None)
        for _, row in rows:
            _apply_row(db, row, xapi_base)
    return {"rows": len(rows), "people": len({r["email"].lower() for _, r in rows})}


def _apply_row(db, row, xapi_base):
    """Write one row's reporting line and membership."""
    manager_id = None
    if row["manager_email"]:
        manager_id = users.get_user(db, email=row["manager_email"])["id"]
    user = users.upsert_user(db, email=row["email"], manager_id=manager_id)
    if row["cohort"]:
        before = users.set_membership(db, user_id=user["id"], cohort_id=row["cohort"], role=row["role"])
        review_upkeep.after_membership_change(db, cohort_id=row["cohort"], before=before, after=row["role"],
                                              xapi_base=xapi_base)
