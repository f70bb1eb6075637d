"""Who may see and do what. Visibility follows cohorts; every store read is filtered through here."""

from __future__ import annotations

from comments_server.store import users

POSTING_ROLES = {"learner", "coach", "manager"}


def visible_cohort_ids(db, user):
    """Return the ids of the cohorts ``user`` may see.

    Admins see every cohort; learners, coaches and observers see the cohorts
    they belong to; a manager also sees the cohorts of their direct reports.
    """
    if user is None:
        return set()
    if user["admin"]:
        return {row["id"] for row in db.query("SELECT id FROM cohorts")}
    own = {m["cohort_id"] for m in user["memberships"]}
    return own | set(users.report_cohorts(db, user))


def role_in(user, cohort_id):
    """Return the user's role in a cohort, or None."""
    for membership in user["memberships"] if user else ():
        if membership["cohort_id"] == cohort_id:
            return membership["role"]
    return None


def choose_cohort(db, user, *, program_id, requested=None, visible=None):
    """Pick the cohort whose thread the viewer sees for a program, or None when out of scope.

    ``requested`` (the ?cohort= parameter) wins if visible; otherwise the
    viewer's own membership in the program, latest start first; admins
    without one get the program's latest cohort. ``visible``: the viewer's
    :func:`visible_cohort_ids`, when the caller has them already.
    """
    if not requested and user and "cohort_starts" in user:
        own = sorted(m["cohort_id"] for m in user["memberships"] if m["program_id"] == program_id)
        if own:  # their own cohorts are always in sight: the latest start, then the first id, as below
            return max(own, key=lambda cohort_id: user["cohort_starts"][cohort_id] or "")
    visible = visible_cohort_ids(db, user) if visible is None else visible
    cohorts = list(db.query(
        "SELECT id FROM cohorts WHERE program_id = ? ORDER BY starts DESC, id", [program_id]
    ))
    in_program = [row["id"] for row in cohorts if row["id"] in visible]
    if requested:
        return requested if requested in in_program else None
    own = [cid for cid in in_program if role_in(user, cid)]
    return (own or in_program or [None])[0]


def roundtable_cohorts(db, user, *, program_ids):
    """Return {program id: the cohort whose roundtables the viewer reads} (:func:`choose_cohort`); out of scope left out."""
    visible = visible_cohort_ids(db, user)
    chosen = {pid: choose_cohort(db, user, program_id=pid, visible=visible) for pid in set(program_ids)}
    return {pid: cohort_id for pid, cohort_id in chosen.items() if cohort_id is not None}


# Every access/<area>.py registers its rules on import (access/rules.py); one line per area.
from comments_server.access import threads, comments, community  # noqa: E402,F401,I001  comment engine, community
from comments_server.access import wiki, notifications  # noqa: E402,F401,I001  wiki, the admin outbox
from comments_server.access import activities  # noqa: E402,F401,I001  plans, presentations, reviews, dashboard
from comments_server.access import coach_notes  # noqa: E402,F401,I001  coach-only blocks
