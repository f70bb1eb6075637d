"""Who may read, edit, revert and protect wiki pages.

A wiki belongs to a program: its members (through any cohort they may see)
read it, those with a posting role edit it, its coaches (and admins) protect
pages, and only they edit a protected page. ``thing`` is anything with a
``program_id``: the wiki, a page row, or the not-yet-stored page of a first save.
"""

from __future__ import annotations

from comments_server.access import POSTING_ROLES
from comments_server.access.community import visible_program_ids
from comments_server.access.rules import rule

NOT_FOUND = "No such wiki of yours."


def _programs(viewer, roles):
    """Return the programs where the viewer holds one of ``roles``."""
    return {m["program_id"] for m in viewer["memberships"] if m["role"] in roles}


@rule("wiki.read", not_found=NOT_FOUND)
def read(db, viewer, thing):
    """Members of the program (any visible cohort) and admins read its wiki."""
    if viewer is None:
        return None
    return True if viewer["admin"] or thing["program_id"] in visible_program_ids(db, viewer) else None


def _change(db, viewer, page, verb):
    """Edit or revert: read it, hold a posting role there, and for a protected page coach there."""
    seen = read(db, viewer, page)
    if seen is not True:
        return seen
    if not (viewer["admin"] or page["program_id"] in _programs(viewer, POSTING_ROLES)):
        return "You can read this wiki but not edit it."
    if page.get("protected") and protect(db, viewer, page) is not True:
        return f"This page is protected: only coaches and admins can {verb} it."
    return True


@rule("wiki.edit", not_found=NOT_FOUND)
def edit(db, viewer, page):
    """Save a page (a first save creates it)."""
    return _change(db, viewer, page, "edit")


@rule("wiki.revert", not_found=NOT_FOUND)
def revert(db, viewer, page):
    """Save an old revision's text as the newest."""
    return _change(db, viewer, page, "revert")


@rule("wiki.protect", not_found=NOT_FOUND)
def protect(db, viewer, page):
    """Coaches of the program and admins protect pages or open them again."""
    seen = read(db, viewer, page)
    if seen is not True:
        return seen
    if viewer["admin"] or page["program_id"] in _programs(viewer, {"coach"}):
        return True
    return "Only a coach of this program or an admin can protect a page."
