"""Who may read a module's coach-only blocks: coaches of a cohort of its program, its authors, admins."""

from __future__ import annotations

from comments_server.access.rules import rule


@rule("coach_notes.read", not_found="No such module.")
def read_coach_notes(db, viewer, module):
    """Allow admins, the program's coaches and the module's authors; everyone else does not learn notes exist."""
    if viewer is None:
        return None
    if viewer["admin"] or viewer["email"].lower() in {a.lower() for a in module["authors"]}:
        return True
    coaches = any(m["role"] == "coach" and m["program_id"] == module["program_id"] for m in viewer["memberships"])
    return True if coaches else None
