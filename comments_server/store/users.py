"""People: users, their memberships and reporting lines."""

from __future__ import annotations

from ..timeutil import now_iso


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


def set_membership(db, *, user_id, cohort_id, role):
    """Give a user a role in a cohort, replacing any role they had there."""
    db.execute(
        """INSERT INTO memberships (user_id, cohort_id, role) VALUES (?, ?, ?)
           ON CONFLICT (user_id, cohort_id) DO UPDATE SET role = excluded.role""",
        [user_id, cohort_id, role],
    )


def public(user):
    """Return the session JSON for a user."""
    return {
        "id": user["id"], "name": user["name"], "email": user["email"], "admin": user["admin"],
        "memberships": [dict(m) for m in user["memberships"]],
    }
