"""Wiki: pages per program with revisions, diffs, revert and protection; stale edits answer 409."""

from __future__ import annotations

from flask import Blueprint, g, request

from comments_server.domain.wikitext import diff, slugify
from comments_server.store import wiki
from comments_server.web.database import get_db
from comments_server.web.api._community import check_body, check_flag, check_title
from comments_server.web.errors import ApiError, error_body
from comments_server.web.security import (
    limiter,
    login_required,
    read_json,
    writes_limit,
)

bp = Blueprint("wiki", __name__, url_prefix="/api/wiki")

PAGE = "/<program_id>/pages/<slug>"


def _wiki(program_id):
    """Return a program's wiki scope for the viewer, or answer 404."""
    found = wiki.get_wiki(get_db(), program_id=program_id, viewer=g.user)
    if found is None:
        raise ApiError(404, f"No wiki '{program_id}' of yours.")
    return found


def _page(program_id, slug):
    """Return (wiki, page row) for an existing page the viewer may read, or answer 404."""
    scope = _wiki(program_id)
    page = wiki.get_page(get_db(), wiki=scope, slug=slug)
    if page is None:
        raise ApiError(404, f"No page '{slug}' in this wiki yet.")
    return scope, page


def _revision_number(data, name):
    """Return a revision number from a request body (0 means "the page does not exist yet")."""
    value = data[name]
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ApiError(400, f"'{name}' must be a revision number (0 for a new page).")
    return value


def _conflict(page, scope, your_text):
    """Answer 409 with the current page and the editor's own text, so nothing typed is lost."""
    message = (f"Someone saved this page (revision {page['revision']}, by {page['updated_by_name']}) "
               "while you were editing. Your text is kept (it is returned as your_text): merge it with "
               "the current version and save again.")
    body = {**error_body([message], 409), "current": wiki.page_json(page, scope), "your_text": your_text}
    return body, 409


@bp.get("")
@login_required
def list_wikis():
    """List the wikis the viewer may read (one per program of theirs)."""
    return {"ok": True, "wikis": wiki.list_wikis(get_db(), viewer=g.user)}


@bp.get("/<program_id>/pages")
@login_required
def list_pages(program_id):
    """List a wiki's pages."""
    scope = _wiki(program_id)
    return {"ok": True, "wiki": scope, "pages": wiki.list_pages(get_db(), wiki=scope)}


@bp.get(PAGE)
@login_required
def get_page(program_id, slug):
    """Return a page: Markdown source, rendered HTML, its revision, and what the viewer may do."""
    scope, page = _page(program_id, slug)
    return {"ok": True, "page": wiki.page_json(page, scope)}


@bp.post(PAGE)
@login_required
@limiter.limit(writes_limit)
def save_page(program_id, slug):
    """Save a new revision from base_revision (0 creates the page); 409 if the page moved on."""
    data = read_json(required={"body", "base_revision"}, optional={"title", "note"})
    body, base = check_body(data["body"]), _revision_number(data, "base_revision")
    scope = _wiki(program_id)
    if slugify(slug) != slug or not slug:
        raise ApiError(400, f"'{slug}' is not a page name: use letters, digits and dashes, e.g. {slugify(slug) or 'Home'}.")
    page = wiki.get_page(get_db(), wiki=scope, slug=slug)
    if not wiki.page_permissions(page, scope)["edit"]:
        raise ApiError(403, "This page is protected: only coaches and admins can edit it."
                       if page and page["protected"] else "You can read this wiki but not edit it.")
    title = check_title(data["title"]) if "title" in data else (page["title"] if page else slug.replace("-", " "))
    note = str(data.get("note", ""))[:200]
    try:
        saved = wiki.save_page(get_db(), wiki=scope, slug=slug, title=title, body_md=body,
                               base_revision=base, author=g.user, note=note)
    except wiki.Conflict as conflict:
        if conflict.current is None:
            raise ApiError(409, "This page does not exist any more: save it with base_revision 0.") from None
        return _conflict(conflict.current, scope, body)
    return {"ok": True, "page": wiki.page_json(saved, scope)}, 201 if base == 0 else 200


@bp.get(PAGE + "/history")
@login_required
def page_history(program_id, slug):
    """List every revision of a page, newest first, with author and time."""
    scope, page = _page(program_id, slug)
    return {"ok": True, "page": wiki.page_json(page, scope),
            "revisions": wiki.list_revisions(get_db(), page=page)}


def _revision(page, number):
    """Return one revision of a page, or answer 404."""
    found = wiki.get_revision(get_db(), page=page, number=number)
    if found is None:
        raise ApiError(404, f"This page has no revision {number}.")
    return found


@bp.get(PAGE + "/revisions/<int:number>")
@login_required
def get_revision(program_id, slug, number):
    """Return the text of one revision of a page."""
    _, page = _page(program_id, slug)
    rev = _revision(page, number)
    return {"ok": True, "revision": {"revision": rev["number"], "title": rev["title"], "body": rev["body_md"],
                                     "created": rev["created"], "author": rev["author_name"]}}


@bp.get(PAGE + "/diff")
@login_required
def diff_revisions(program_id, slug):
    """Return the line diff between two revisions (?from=&to=, default: previous and current)."""
    _, page = _page(program_id, slug)
    to = _arg("to", page["revision"])
    old = _revision(page, _arg("from", max(to - 1, 1)))
    new = _revision(page, to)
    return {"ok": True, "from": old["number"], "to": new["number"],
            "lines": diff(f"# {old['title']}\n{old['body_md']}", f"# {new['title']}\n{new['body_md']}")}


def _arg(name, default):
    """Read a revision number from the query string."""
    raw = request.args.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit():
        raise ApiError(400, f"'{name}' must be a revision number.")
    return int(raw)


@bp.post(PAGE + "/revert")
@login_required
@limiter.limit(writes_limit)
def revert_page(program_id, slug):
    """Save an old revision's text as the newest revision (from base_revision; 409 if stale)."""
    data = read_json(required={"revision", "base_revision"})
    scope, page = _page(program_id, slug)
    if not wiki.page_permissions(page, scope)["edit"]:
        raise ApiError(403, "This page is protected: only coaches and admins can revert it."
                       if page["protected"] else "You can read this wiki but not edit it.")
    old = _revision(page, _revision_number(data, "revision"))
    try:
        saved = wiki.save_page(get_db(), wiki=scope, slug=slug, title=old["title"], body_md=old["body_md"],
                               base_revision=_revision_number(data, "base_revision"), author=g.user,
                               note=f"Reverted to revision {old['number']}", verb="reverted")
    except wiki.Conflict as conflict:
        return _conflict(conflict.current, scope, old["body_md"])
    return {"ok": True, "page": wiki.page_json(saved, scope)}


@bp.post(PAGE + "/protect")
@login_required
@limiter.limit(writes_limit)
def protect_page(program_id, slug):
    """Protect a page so only coaches and admins edit it, or open it again."""
    protected = check_flag(read_json(required={"protected"}), "protected")
    scope, page = _page(program_id, slug)
    if not scope["can_protect"]:
        raise ApiError(403, "Only a coach of this program or an admin can protect a page.")
    wiki.set_protected(get_db(), page=page, actor=g.user, protected=protected)
    return {"ok": True, "page": wiki.page_json(wiki.get_page(get_db(), wiki=scope, slug=slug), scope)}
