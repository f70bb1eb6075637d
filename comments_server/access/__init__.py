"""Who may see and do what. Visibility follows cohorts; every store read is filtered through here."""

from __future__ import annotations

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
    reports = db.query(
        """SELECT DISTINCT m.cohort_id FROM memberships m JOIN users u ON u.id = m.user_id
           WHERE u.manager_id = ?""",
        [user["id"]],
    )
    return own | {row["cohort_id"] for row in reports}


def role_in(user, cohort_id):
    """Return the user's role in a cohort, or None."""
    for membership in user["memberships"] if user else ():
        if membership["cohort_id"] == cohort_id:
            return membership["role"]
    return None


def choose_cohort(db, user, *, program_id, requested=None):
    """Pick the cohort whose thread the viewer sees for a program, or None when out of scope.

    ``requested`` (the ?cohort= parameter) wins if visible; otherwise the
    viewer's own membership in the program, latest start first; admins
    without one get the program's latest cohort.
    """
    visible = visible_cohort_ids(db, user)
    cohorts = list(db.query(
        "SELECT id FROM cohorts WHERE program_id = ? ORDER BY starts DESC, id", [program_id]
    ))
    in_program = [row["id"] for row in cohorts if row["id"] in visible]
    if requested:
        return requested if requested in in_program else None
    own = [cid for cid in in_program if role_in(user, cid)]
    return (own or in_program or [None])[0]


def thread_context(user, cohort_id, content_hash):
    """Return what the serialiser needs to know about the viewer of one thread."""
    role = role_in(user, cohort_id)
    admin = bool(user and user["admin"])
    return {
        "viewer_id": user["id"] if user else None,
        "role": role,
        "admin": admin,
        "moderator": admin or role == "coach",
        "can_post": admin or role in POSTING_ROLES,
        "content_hash": content_hash,
    }


def comment_permissions(row, ctx):
    """Return what the viewer may do with one comment row: edit, delete, hide, mark_helpful, reply."""
    is_author = row["author_id"] == ctx["viewer_id"]
    live = not row["deleted"]
    visible = live and (not row["hidden"] or ctx["moderator"])
    return {
        "edit": is_author and visible,
        "delete": (is_author or ctx["admin"]) and visible,
        "hide": ctx["moderator"] and live,
        "mark_helpful": live and not row["hidden"] and not is_author
        and ctx["role"] == "learner" and row["author_role"] == "coach",
        "reply": ctx["can_post"] and live and not row["hidden"],
    }


from comments_server.access import coach_notes  # noqa: E402, F401  (registers the coach-notes rule)
