"""People: users, their memberships and reporting lines."""

from __future__ import annotations

from comments_server.domain.timeutil import now_iso


def get_user(db, *, user_id=None, email=None):
    """Return a user with memberships by id or email, or None."""
    column, value = ("id", user_id) if user_id is not None else ("email", _norm(email or ""))
    row = next(db.query(f"SELECT * FROM users WHERE {column} = ?", [value]), None)
    if row is None:
        return None
    row["admin"] = bool(row["admin"])
    row["memberships"] = list(db.query(
        """SELECT m.cohort_id, c.program_id, m.role FROM memberships m
           JOIN cohorts c ON c.id = m.cohort_id WHERE m.user_id = ? ORDER BY c.starts, m.cohort_id""",
        [row["id"]],
    ))
    return row


def _norm(email):
    """Normalise an email address for lookups: trimmed and lower-case."""
    return email.strip().lower()


def upsert_user(db, *, email, name=None, admin=None, manager_id=None):
    """Create or update a user by email; None leaves a field as it is. Return the user."""
    email = _norm(email)
    existing = get_user(db, email=email)
    changes = {k: v for k, v in {"name": name, "admin": admin, "manager_id": manager_id}.items()
               if v is not None}
    if existing is None:
        db.table("users").insert({"email": email, "name": name or email.split("@")[0],
                                  "admin": int(bool(admin)), "manager_id": manager_id,
                                  "created": now_iso()})
    elif changes:
        db.table("users").update(existing["id"], changes)
    return get_user(db, email=email)


# the roles peer reviews are allocated to; someone leaving them leaves their open reviews to others
REVIEWING_ROLES = ("learner", "coach")


def get_role(db, *, user_id, cohort_id):
    """Return a user's role in a cohort, or None."""
    row = next(db.query("SELECT role FROM memberships WHERE user_id = ? AND cohort_id = ?",
                        [user_id, cohort_id]), None)
    return row["role"] if row else None


def set_membership(db, *, user_id, cohort_id, role):
    """Give a user a role in a cohort, replacing any role they had there; call inside the write.

    Returns the role they had (None: new). A learner or coach who becomes
    something else (say an observer, by roster import) leaves open peer
    reviews: the caller hands them on in the same transaction
    (``actions.reviews.after_membership_change``).
    """
    before = get_role(db, user_id=user_id, cohort_id=cohort_id)
    db.execute(
        """INSERT INTO memberships (user_id, cohort_id, role) VALUES (?, ?, ?)
           ON CONFLICT (user_id, cohort_id) DO UPDATE SET role = excluded.role""",
        [user_id, cohort_id, role],
    )
    return before


def remove_membership(db, *, user_id, cohort_id):
    """Take a user out of a cohort; call inside the write (their open peer reviews: as :func:`set_membership`).

    Returns the role they had, or None when they were not in the cohort.
    """
    before = get_role(db, user_id=user_id, cohort_id=cohort_id)
    if before is None:
        return None
    db.execute("DELETE FROM memberships WHERE user_id = ? AND cohort_id = ?", [user_id, cohort_id])
    return before


def public(user):
    """Return the session JSON for a user."""
    return {
        "id": user["id"], "name": user["name"], "email": user["email"], "admin": user["admin"],
        "memberships": [dict(m) for m in user["memberships"]],
    }
