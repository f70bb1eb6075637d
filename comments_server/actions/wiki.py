"""Wiki actions: save a page, revert it to an old revision, protect it.

A save names the revision it started from. If the page moved on since,
``Conflict`` carries the page as it is now and nothing is written, so the
view can hand the editor's text back with the current version. The check is
the write itself (store/wiki.py): a conditional INSERT/UPDATE answered by its
rowcount, not a read under the global write lock.
"""

from __future__ import annotations

from comments_server.access.rules import require
from comments_server.actions.bus import BUS
from comments_server.domain.events.wiki import WikiPageProtected, WikiPageSaved
from comments_server.domain.timeutil import now_iso
from comments_server.domain.wikitext import render_page
from comments_server.store import wiki
from comments_server.store.db import write_transaction


class Conflict(Exception):
    """The page changed since the revision the editor started from; ``current`` is it now (None: no page)."""

    def __init__(self, current):
        super().__init__("stale revision")
        self.current = current


def save_page(db, *, viewer, program_id, slug, body_md, base_revision, title=None, note=""):
    """Write a new revision of a page from ``base_revision`` (0 creates it); return the page as saved.

    A save of the text the page already has (a double submit) writes nothing
    and returns the page. :raises Conflict: the page is no longer at ``base_revision``.
    """
    page = wiki.get_page(db, program_id=program_id, slug=slug) or wiki.new_page(program_id, slug)
    require(db, viewer, "wiki.edit", page)
    return _write(db, viewer, page, title or page["title"], body_md, base_revision, note, "edited")


def revert_page(db, *, viewer, page, revision, base_revision):
    """Save an old ``revision`` row's text as the newest revision of ``page`` (from ``base_revision``)."""
    require(db, viewer, "wiki.revert", page)
    return _write(db, viewer, page, revision["title"], revision["body_md"], base_revision,
                  f"Reverted to revision {revision['number']}", "reverted")


def _write(db, viewer, page, title, body_md, base, note, verb):
    """Write the revision if the page is still at ``base``; raise Conflict (with the page now) if not."""
    if page["id"] is not None and (page["title"], page["body_md"]) == (title, body_md):
        return page  # a null edit (or a double submit of the same text) makes no new revision
    body_html = render_page(body_md, page["program_id"])  # pure work, outside the lock
    program_id, slug, at = page["program_id"], page["slug"], now_iso()
    with write_transaction(db):
        if base == 0:
            page_id = wiki.insert_page(db, program_id=program_id, slug=slug, title=title, body_md=body_md,
                                       body_html=body_html, at=at)
        else:
            page_id = page["id"] if page["id"] is not None and wiki.update_page(
                db, page_id=page["id"], base_revision=base, title=title, body_md=body_md,
                body_html=body_html, at=at) else None
        if page_id is None:
            raise Conflict(wiki.get_page(db, program_id=program_id, slug=slug))
        wiki.add_revision(db, page_id=page_id, number=base + 1, title=title, body_md=body_md,
                          author_id=viewer["id"], at=at, note=note)
        BUS.publish(db, WikiPageSaved(author=viewer, program_id=program_id, slug=slug, revision=base + 1,
                                      body_md=body_md, verb="created" if base == 0 else verb))
    return wiki.get_page(db, program_id=program_id, slug=slug)


def protect_page(db, *, viewer, page, protected):
    """Protect a page (only coaches and admins edit it) or open it again; return the page."""
    require(db, viewer, "wiki.protect", page)
    with write_transaction(db):
        wiki.set_protected(db, page_id=page["id"], protected=protected)
        BUS.publish(db, WikiPageProtected(actor=viewer, program_id=page["program_id"], slug=page["slug"],
                                          protected=bool(protected)))
    return wiki.get_page(db, program_id=page["program_id"], slug=page["slug"])
