"""The API form of wikis, pages and revisions; what the viewer may do comes from access/wiki.py."""

from __future__ import annotations

from comments_server.access.rules import can
from comments_server.store import wiki


def wiki_json(db, viewer, found):
    """Return a wiki (``program_id``, ``title``) with what the viewer may do there."""
    blank = wiki.new_page(found["program_id"], "")
    return {"program_id": found["program_id"], "title": found["title"],
            "can_edit": can(db, viewer, "wiki.edit", blank), "can_protect": can(db, viewer, "wiki.protect", blank)}


def permissions(db, viewer, page):
    """Return what the viewer may do with a page: edit (protected pages: coaches, admins), protect."""
    return {"edit": can(db, viewer, "wiki.edit", page), "protect": can(db, viewer, "wiki.protect", page)}


def page_json(db, viewer, page):
    """Return the API form of a page."""
    return {"program_id": page["program_id"], "slug": page["slug"], "title": page["title"],
            "body": page["body_md"], "body_html": page["body_html"], "revision": page["revision"],
            "protected": bool(page["protected"]), "created": page["created"], "updated": page["updated"],
            "updated_by": page["updated_by_name"], "can": permissions(db, viewer, page)}


def page_summary(row):
    """Return a page in a wiki's list, without its text."""
    return {"slug": row["slug"], "title": row["title"], "revision": row["revision"], "updated": row["updated"],
            "updated_by": row["updated_by_name"], "protected": bool(row["protected"])}


def revision_summary(row):
    """Return a revision in a page's history."""
    return {"revision": row["number"], "title": row["title"], "created": row["created"], "note": row["note"],
            "author": {"id": row["author_id"], "name": row["author_name"]}, "size": row["size"]}


def revision_json(row):
    """Return one revision with its text."""
    return {"revision": row["number"], "title": row["title"], "body": row["body_md"], "created": row["created"],
            "author": row["author_name"]}
