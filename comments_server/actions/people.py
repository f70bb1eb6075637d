"""People: the roster import and `roundtable user add/remove`, one action each.

Every row or person is checked before anything is written (a roster is all
or nothing); a name must be one line of text, because names go into mail
headers (``"Eve\\nBcc: x@example.org"`` would be a header injection, and
before this check such a name stopped the mail worker). Someone who leaves a
reviewing role raises ``ReviewerLeft``, and the follow-ups hand their open
peer reviews to others in the same transaction.
"""

from __future__ import annotations

import datetime as dt

import re
import unicodedata

from comments_server.actions.bus import BUS
from comments_server.domain.events.people import ReviewerLeft
from comments_server.store import users
from comments_server.store.db import write_transaction

ROLES = ("learner", "coach", "manager", "observer")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class RosterError(Exception):
    """The roster has problems; ``problems`` lists every one, each naming its row."""

    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = problems


class PersonError(ValueError):
    """A person cannot be added as asked; ``field`` names what to fix (email, name, cohort)."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field


def name_problem(name):
    """Return why a display name is refused (a line break or control character), or None."""
    if name and any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in name):
        return f"name {name!r} contains a line break or control character; a name is one line of text"
    return None


def cohort_ids(db):
    """Return the ids of every cohort (what a roster row or --cohort may name)."""
    return {row["id"] for row in db.query("SELECT id FROM cohorts")}


def check_rows(db, rows):
    """Return every problem of roster rows ``(row number, dict)``, each naming the row and what to fix."""
    cohorts = cohort_ids(db)
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
    if problem := name_problem(row["name"]):
        problems.append(problem)
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
    if row.get("joined") and not _iso_date(row["joined"]):
        problems.append(f"joined {row['joined']!r} is not a date; write it as YYYY-MM-DD or leave it empty (today)")
    return problems


def _iso_date(text):
    """The date ``text`` names (YYYY-MM-DD), or None."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def import_roster(db, rows):
    """Import roster rows ``(row number, dict)``, all or nothing; return counts. Raises RosterError."""
    problems = check_rows(db, rows)
    if problems:
        raise RosterError(problems)
    with write_transaction(db):
        # people first, so managers listed after their reports can be linked
        for _, row in rows:
            users.upsert_user(db, email=row["email"], name=row["name"] or None)
        for _, row in rows:
            _apply_row(db, row)
    return {"rows": len(rows), "people": len({r["email"].lower() for _, r in rows})}


def _apply_row(db, row):
    """Write one row's reporting line and membership."""
    manager_id = None
    if row["manager_email"]:
        manager_id = users.get_user(db, email=row["manager_email"])["id"]
    user = users.upsert_user(db, email=row["email"], manager_id=manager_id)
    if row["cohort"]:
        _set_role(db, user["id"], row["cohort"], row["role"], joined=row.get("joined") or None)


def _set_role(db, user_id, cohort_id, role, joined=None):
    """Give a role in a cohort (a new member joined ``joined``, default today); someone who stops reviewing
    there raises ReviewerLeft."""
    before = users.set_membership(db, user_id=user_id, cohort_id=cohort_id, role=role, joined=joined)
    if before in users.REVIEWING_ROLES and role not in users.REVIEWING_ROLES:
        BUS.publish(db, ReviewerLeft(user_id=user_id, cohort_id=cohort_id))


def add_user(db, *, email, name=None, admin=False, cohort=None, role=None):
    """Add (or update) a person, optionally with a role in a cohort (default learner); return them.

    :raises PersonError: the address, the name or the cohort is not acceptable.
    """
    if not EMAIL.match(email):
        raise PersonError("email", f"{email!r} is not an email address")
    if problem := name_problem(name):
        raise PersonError("name", problem)
    if cohort and cohort not in cohort_ids(db):
        known = ", ".join(sorted(cohort_ids(db)))
        raise PersonError("cohort", f"unknown cohort {cohort!r}; known: {known or 'none (build the site)'}")
    with write_transaction(db):
        person = users.upsert_user(db, email=email, name=name, admin=True if admin else None)
        if cohort:
            _set_role(db, person["id"], cohort, role or "learner")
    return person


def remove_user(db, *, user_id, cohort_id):
    """Take a person out of a cohort; return the role they had (None: they were not in it)."""
    with write_transaction(db):
        before = users.remove_membership(db, user_id=user_id, cohort_id=cohort_id)
        if before in users.REVIEWING_ROLES:
            BUS.publish(db, ReviewerLeft(user_id=user_id, cohort_id=cohort_id))
    return before
