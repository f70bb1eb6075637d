"""Wiki: a wiki per program that its members edit together, with every revision kept (SQL only).

A save names the revision it started from, and the write itself checks it:
a new page is an INSERT that does nothing when the (program, slug) exists,
an edit an UPDATE guarded by ``revision = base``; each answers by its
rowcount, and ``wiki_revisions`` is unique per (page, number). Two servers
saving on the same base revision cannot both win, with or without a
database-wide write lock. Who may read, edit and protect is ``access/wiki.py``.
"""

from __future__ import annotations



def get_program(db, *, program_id):
    """Return the wiki of a program (``program_id``, ``title``), or None if there is no such program."""
    row = next(db.query("SELECT id, title FROM programs WHERE id = ?", [program_id]), None)
    return {"program_id": row["id"], "title": row["title"] or row["id"]} if row else None


def list_programs(db):
    """Return every live program's wiki with its page count, in catalog order."""
    return [{"program_id": r["id"], "title": r["title"] or r["id"], "pages": r["pages"]} for r in db.query(
        """SELECT p.id, p.title, (SELECT COUNT(*) FROM wiki_pages w WHERE w.program_id = p.id) AS pages
           FROM programs p WHERE p.retired = FALSE ORDER BY p.ord, p.id""")]


PAGE_SELECT = """
SELECT w.*, u.name AS updated_by_name FROM wiki_pages w
JOIN wiki_revisions r ON r.page_id = w.id AND r.number = w.revision JOIN users u ON u.id = r.author_id
"""


def list_pages(db, *, program_id):
    """Return a wiki's page rows by title."""
    return list(db.query(f"{PAGE_SELECT} WHERE w.program_id = ? ORDER BY lower(w.title)", [program_id]))


def get_page(db, *, program_id, slug):
    """Return a page row (with ``updated_by_name``), or None."""
    return next(db.query(f"{PAGE_SELECT} WHERE w.program_id = ? AND w.slug = ?", [program_id, slug]), None)


def new_page(program_id, slug):
    """Return the page a save with base revision 0 would create: not stored, unprotected, revision 0."""
    return {"id": None, "program_id": program_id, "slug": slug, "title": slug.replace("-", " "),
            "body_md": None, "revision": 0, "protected": 0}


def insert_page(db, *, program_id, slug, title, body_md, body_html, at):
    """Create a page at revision 1; return its id, or None when the page exists already (call inside the write)."""
    cursor = db.execute(
        """INSERT INTO wiki_pages (program_id, slug, title, body_md, body_html, revision, protected, created, updated)
           VALUES (?, ?, ?, ?, ?, 1, FALSE, ?, ?) ON CONFLICT (program_id, slug) DO NOTHING""",
        [program_id, slug, title, body_md, body_html, at, at])
    return cursor.lastrowid if cursor.rowcount == 1 else None


def update_page(db, *, page_id, base_revision, title, body_md, body_html, at):
    """Move a page from ``base_revision`` to the next; False when it is no longer at that revision."""
    cursor = db.execute(
        """UPDATE wiki_pages SET title = ?, body_md = ?, body_html = ?, revision = revision + 1, updated = ?
           WHERE id = ? AND revision = ?""", [title, body_md, body_html, at, page_id, base_revision])
    return cursor.rowcount == 1


def add_revision(db, *, page_id, number, title, body_md, author_id, at, note=""):
    """Keep one revision's text (unique per page and number); call inside the write."""
    db.execute("""INSERT INTO wiki_revisions (page_id, number, title, body_md, author_id, created, note)
                  VALUES (?, ?, ?, ?, ?, ?, ?)""", [page_id, number, title, body_md, author_id, at, note])


def list_revisions(db, *, page_id):
    """Return a page's revisions, newest first, with author and size."""
    return list(db.query("""SELECT r.number, r.title, r.created, r.note, u.id AS author_id, u.name AS author_name,
                                   LENGTH(r.body_md) AS size
                            FROM wiki_revisions r JOIN users u ON u.id = r.author_id
                            WHERE r.page_id = ? ORDER BY r.number DESC""", [page_id]))


def get_revision(db, *, page_id, number):
    """Return one revision of a page (title, body_md, author), or None."""
    return next(db.query("""SELECT r.number, r.title, r.body_md, r.created, u.name AS author_name
                            FROM wiki_revisions r JOIN users u ON u.id = r.author_id
                            WHERE r.page_id = ? AND r.number = ?""", [page_id, number]), None)


def set_protected(db, *, page_id, protected):
    """Protect a page (only coaches and admins edit it) or open it again; call inside the write."""
    db.execute("UPDATE wiki_pages SET protected = ? WHERE id = ?", [int(protected), page_id])
