"""Wiki: a wiki per program that its members edit together, with every revision kept.

An edit names the revision it started from; if the page has moved on since,
``save_page`` raises ``Conflict`` and nothing is written, so the view can
hand the editor's text back with the current version.
"""

from __future__ import annotations

from comments_server.domain.timeutil import now_iso
from comments_server.domain.wikitext import render_page
from comments_server.access import community as scopes  # slice C: goes with wiki's access rules
from comments_server.store import community
from comments_server.store.db import write_transaction


class Conflict(Exception):
    """The page changed since the revision the editor started from."""

    def __init__(self, current):
        """Carry the page as it is now (None if it does not exist)."""
        super().__init__("stale revision")
        self.current = current


def get_wiki(db, *, program_id, viewer):
    """Return a program's wiki scope for the viewer (read, edit, protect), or None if out of scope."""
    if viewer is None:
        return None
    program = next(db.query("SELECT id, title FROM programs WHERE id = ?", [program_id]), None)
    admin = bool(viewer["admin"])
    if program is None or not (admin or program_id in scopes.visible_program_ids(db, viewer)):
        return None
    return {"program_id": program_id, "title": program["title"] or program_id,
            "can_edit": admin or program_id in scopes.posting_program_ids(viewer),
            "can_protect": admin or program_id in scopes.coached_program_ids(viewer)}


def list_wikis(db, *, viewer):
    """Return the wikis the viewer may read, with their page counts."""
    rows = db.query("""SELECT p.id, (SELECT COUNT(*) FROM wiki_pages w WHERE w.program_id = p.id) AS pages
                       FROM programs p WHERE p.retired = 0 ORDER BY p.ord, p.id""")
    out = []
    for row in rows:
        wiki = get_wiki(db, program_id=row["id"], viewer=viewer)
        if wiki:
            out.append({**wiki, "pages": row["pages"]})
    return out


PAGE_SELECT = """
SELECT w.*, u.name AS updated_by_name FROM wiki_pages w
JOIN wiki_revisions r ON r.page_id = w.id AND r.number = w.revision JOIN users u ON u.id = r.author_id
"""


def list_pages(db, *, wiki):
    """Return a wiki's pages by title, without their text."""
    rows = db.query(f"{PAGE_SELECT} WHERE w.program_id = ? ORDER BY w.title COLLATE NOCASE",
                    [wiki["program_id"]])
    return [{"slug": r["slug"], "title": r["title"], "revision": r["revision"], "updated": r["updated"],
             "updated_by": r["updated_by_name"], "protected": bool(r["protected"])} for r in rows]


def get_page(db, *, wiki, slug):
    """Return a page row of a wiki the viewer may read, or None."""
    return next(db.query(f"{PAGE_SELECT} WHERE w.program_id = ? AND w.slug = ?",
                         [wiki["program_id"], slug]), None)


def page_permissions(page, wiki):
    """Return what the viewer may do with a page: edit (protected pages: coaches, admins), protect."""
    protected = bool(page and page["protected"])
    return {"edit": wiki["can_edit"] and (not protected or wiki["can_protect"]),
            "protect": wiki["can_protect"]}


def page_json(page, wiki):
    """Return the API form of a page."""
    return {"program_id": page["program_id"], "slug": page["slug"], "title": page["title"],
            "body": page["body_md"], "body_html": page["body_html"], "revision": page["revision"],
            "protected": bool(page["protected"]), "created": page["created"], "updated": page["updated"],
            "updated_by": page["updated_by_name"], "can": page_permissions(page, wiki)}


def save_page(db, *, wiki, slug, title, body_md, base_revision, author, note="", verb="edited"):
    """Write a new revision of a page (creating it at revision 1); raise Conflict if it moved on."""
    with write_transaction(db):
        # read inside the write lock: two editors on the same base cannot both win
        page = get_page(db, wiki=wiki, slug=slug)
        current = page["revision"] if page else 0
        if page and (page["title"], page["body_md"]) == (title, body_md):
            # a null edit (or a double submit of the same text) makes no new revision
            return page
        if base_revision != current:
            raise Conflict(page)
        stamp, number = now_iso(), current + 1
        fields = {"title": title, "body_md": body_md, "revision": number, "updated": stamp,
                  "body_html": render_page(body_md, wiki["program_id"])}
        if page is None:
            page_id = db.table("wiki_pages").insert({"program_id": wiki["program_id"], "slug": slug,
                                                     "created": stamp, "protected": 0, **fields}).last_pk
        else:
            page_id = page["id"]
            db.table("wiki_pages").update(page_id, fields)
        db.table("wiki_revisions").insert({"page_id": page_id, "number": number, "title": title,
                                           "body_md": body_md, "author_id": author["id"],
                                           "created": stamp, "note": note})
        community.add_event(db, user=author, verb="created" if page is None else verb, kind="wiki",
                            ref=f"{wiki['program_id']}/{slug}",
                            result={"response": body_md, "extensions": {"urn:roundtable:revision": number}})
    return get_page(db, wiki=wiki, slug=slug)


def list_revisions(db, *, page):
    """Return a page's revisions, newest first, with author and time."""
    rows = db.query("""SELECT r.number, r.title, r.created, r.note, u.id AS author_id, u.name AS author_name,
                              LENGTH(r.body_md) AS size
                       FROM wiki_revisions r JOIN users u ON u.id = r.author_id
                       WHERE r.page_id = ? ORDER BY r.number DESC""", [page["id"]])
    return [{"revision": r["number"], "title": r["title"], "created": r["created"], "note": r["note"],
             "author": {"id": r["author_id"], "name": r["author_name"]}, "size": r["size"]} for r in rows]


def get_revision(db, *, page, number):
    """Return one revision of a page (title, body_md, author), or None."""
    return next(db.query("""SELECT r.number, r.title, r.body_md, r.created, u.name AS author_name
                            FROM wiki_revisions r JOIN users u ON u.id = r.author_id
                            WHERE r.page_id = ? AND r.number = ?""", [page["id"], number]), None)


def set_protected(db, *, page, actor, protected):
    """Protect a page (only coaches and admins edit it) or open it again."""
    with write_transaction(db):
        db.execute("UPDATE wiki_pages SET protected = ? WHERE id = ?", [int(protected), page["id"]])
        community.add_event(db, user=actor, verb="protected", kind="wiki",
                            ref=f"{page['program_id']}/{page['slug']}",
                            result={"extensions": {"urn:roundtable:value": bool(protected)}})
