"""People: users, their memberships and reporting lines."""

from __future__ import annotations

from comments_server.domain.timeutil import now_iso, today
from comments_server.store import threads


def get_user(db, *, user_id=None, email=None):
    """Return a user with memberships by id or email, or None."""
    column, value = ("id", user_id) if user_id is not None else ("email", norm_email(email or ""))
    row = next(db.query(f"SELECT * FROM users WHERE {column} = ?", [value]), None)
    return None if row is None else with_memberships(db, row)


def with_memberships(db, row):
    """Return a users row as the code above takes a person.

    ``admin`` a bool, ``memberships`` their cohorts (earliest start first) and
    ``report_cohorts`` the cohorts of their direct reports (access.visible_cohort_ids) and
    ``cohort_starts`` {own cohort id: its start}, read in one query: every signed-in request loads its person.
    """
    row["admin"] = bool(row["admin"])
    rows = list(db.query(
        """SELECT 0 AS report, m.cohort_id, c.program_id, m.role, c.starts FROM memberships m
           JOIN cohorts c ON c.id = m.cohort_id WHERE m.user_id = :id
           UNION ALL
           SELECT DISTINCT 1 AS report, m.cohort_id, NULL, NULL, NULL FROM memberships m
           JOIN users u ON u.id = m.user_id WHERE u.manager_id = :id
           ORDER BY 1, 5, 2""",
        {"id": row["id"]},
    ))
    row["memberships"] = [{"cohort_id": r["cohort_id"], "program_id": r["program_id"], "role": r["role"]}
                          for r in rows if not r["report"]]
    row["report_cohorts"] = [r["cohort_id"] for r in rows if r["report"]]  # a list: events carry the person as JSON
    # when each of their own cohorts starts: access.choose_cohort picks among them without reading cohorts again
    row["cohort_starts"] = {r["cohort_id"]: r["starts"] for r in rows if not r["report"]}
    return row


def report_cohorts(db, person):
    """The cohorts of a person's direct reports: loaded with the person (with_memberships), else read now."""
    if "report_cohorts" in person:
        return person["report_cohorts"]
    return [row["cohort_id"] for row in db.query(
        """SELECT DISTINCT m.cohort_id FROM memberships m JOIN users u ON u.id = m.user_id
           WHERE u.manager_id = ?""", [person["id"]])]


def norm_email(email):
    """Normalise an email address for lookups: trimmed and lower-case."""
    return email.strip().lower()


def upsert_user(db, *, email, name=None, admin=None, manager_id=None):
    """Create or update a user by email; None leaves a field as it is. Return the user.

    One INSERT .. ON CONFLICT (email): two imports adding the same person at
    once make one row, without relying on a database-wide write lock.
    """
    email = norm_email(email)
    before = get_user(db, email=email) if name is not None or admin is not None else None
    db.execute(
        """INSERT INTO users (email, name, admin, manager_id, created) VALUES (:email, :new_name, :new_admin, :manager_id, :at)
           ON CONFLICT (email) DO UPDATE SET name = COALESCE(:name, users.name), admin = COALESCE(:admin, users.admin),
                                             manager_id = COALESCE(:manager_id, users.manager_id)""",
        {"email": email, "name": name, "new_name": name or email.split("@")[0], "admin": None if admin is None
         else int(bool(admin)), "new_admin": int(bool(admin)), "manager_id": manager_id, "at": now_iso()})
    after = get_user(db, email=email)
    if before and (before["name"], before["admin"]) != (after["name"], after["admin"]):
        threads.bump_versions_of_author(db, user_id=after["id"])  # the name and badges on their comments
    return after


# the roles peer reviews are allocated to; someone leaving them leaves their open reviews to others
# (actions.people raises ReviewerLeft)
REVIEWING_ROLES = ("learner", "coach")


def get_role(db, *, user_id, cohort_id):
    """Return a user's role in a cohort, or None."""
    row = next(db.query("SELECT role FROM memberships WHERE user_id = ? AND cohort_id = ?",
                        [user_id, cohort_id]), None)
    return row["role"] if row else None


def set_membership(db, *, user_id, cohort_id, role, joined=None):
    """Give a user a role in a cohort, replacing any role they had there; return the role before (or None).

    Call inside the write. A new membership is dated ``joined`` (an ISO date,
    default today by the clock): a late joiner's due dates count from it
    (``completion.learner_due_date``); a changed role keeps the first date.
    Someone who leaves a reviewing role has their open peer reviews
    re-allocated by the follow-ups of ``actions.people``.
    """
    before = get_role(db, user_id=user_id, cohort_id=cohort_id)
    db.execute(
        """INSERT INTO memberships (user_id, cohort_id, role, joined) VALUES (?, ?, ?, ?)
           ON CONFLICT (user_id, cohort_id) DO UPDATE SET role = excluded.role""",
        [user_id, cohort_id, role, str(joined or today())[:10]],
    )
    if before != role:
        threads.bump_versions_of_author(db, user_id=user_id)  # the badge on their comments
    return before


def joined_on(db, *, user_id, cohort_id):
    """The ISO date a person joined a cohort, or None (no membership, or one from before dates were kept)."""
    row = next(db.query("SELECT joined FROM memberships WHERE user_id = ? AND cohort_id = ?",
                        [user_id, cohort_id]), None)
    return row and row["joined"]


def remove_membership(db, *, user_id, cohort_id):
    """Take a user out of a cohort (call inside the write); return the role they had, or None."""
    before = get_role(db, user_id=user_id, cohort_id=cohort_id)
    if before is None:
        return None
    db.execute("DELETE FROM memberships WHERE user_id = ? AND cohort_id = ?", [user_id, cohort_id])
    threads.bump_versions_of_author(db, user_id=user_id)
    return before
