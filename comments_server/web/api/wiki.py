"""Wiki: pages per program with revisions, diffs, revert and protection; stale edits answer 409."""

from __future__ import annotations

from typing import Annotated

from flask import Blueprint, g
from pydantic import BeforeValidator, Field, ValidationInfo, WithJsonSchema, field_validator

from comments_server.access.rules import can, require
from comments_server.actions import wiki as actions
from comments_server.domain.wikitext import diff, slugify
from comments_server.store import wiki
from comments_server.web.api._community import check_body, check_title
from comments_server.web.contracts import TEXT_SCHEMA, TITLE_SCHEMA, Body, Flag, Query, body, query
from comments_server.web.database import get_db
from comments_server.web.errors import ApiError, error_body
from comments_server.web.security import limiter, login_required, writes_limit
from comments_server.web.serialize import wiki as serialize

bp = Blueprint("wiki", __name__, url_prefix="/api/wiki")

PAGE = "/<program_id>/pages/<slug>"
LAST_ROW = 2**63 - 1  # SQLite integers: past this no revision can exist


def _revision_number(value, info: ValidationInfo):
    """Keep a revision number from a request body (0 means "the page does not exist yet"; 3.0 is 3)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= LAST_ROW:
        raise ValueError(f"'{info.field_name}' must be a revision number (0 for a new page).")
    return value


REVISION_SCHEMA = {"type": "integer", "minimum": 0, "maximum": LAST_ROW}
Revision = Annotated[int, BeforeValidator(_revision_number), WithJsonSchema(REVISION_SCHEMA)]
# the comments' rules and messages
PageText = Annotated[str, BeforeValidator(lambda value: check_body(value)), WithJsonSchema(TEXT_SCHEMA)]
PageTitle = Annotated[str, BeforeValidator(lambda value: check_title(value)), WithJsonSchema(TITLE_SCHEMA)]
Note = Annotated[str, BeforeValidator(lambda value: str(value)[:200])]  # a short note for the history


class SavePage(Body):
    """A new revision: the Markdown text, the revision it started from, and optionally a title and a note."""

    body: PageText
    base_revision: Revision
    title: PageTitle | None = None
    note: Note = ""


class RevertPage(Body):
    """Save an old revision's text as the newest, from the revision the editor saw."""

    revision: Revision
    base_revision: Revision


class ProtectPage(Body):
    """Protect a page (true) or open it again (false)."""

    protected: Flag


class DiffRange(Query):
    """Which revisions to compare: ?from=&to= (default: the previous and the current one)."""

    from_: Annotated[int | None, WithJsonSchema(REVISION_SCHEMA)] = Field(None, alias="from")
    to: Annotated[int | None, WithJsonSchema(REVISION_SCHEMA)] = None

    @field_validator("from_", "to", mode="before")
    @classmethod
    def _number(cls, value, info):
        if value in (None, ""):
            return None
        if not (isinstance(value, str) and value.isascii() and value.isdigit() and int(value) <= LAST_ROW):
            raise ValueError(f"'{cls.model_fields[info.field_name].alias or info.field_name}' must be a revision number.")
        return int(value)


def _wiki(program_id):
    """Return a program's wiki the viewer may read, or answer 404."""
    return require(get_db(), g.user, "wiki.read", wiki.get_program(get_db(), program_id=program_id))


def _page(program_id, slug):
    """Return an existing page of a wiki the viewer may read, or answer 404."""
    _wiki(program_id)
    page = wiki.get_page(get_db(), program_id=program_id, slug=slug)
    if page is None:
        raise ApiError(404, f"No page '{slug}' in this wiki yet.")
    return page


def _revision(page, number):
    """Return one revision of a page, or answer 404."""
    found = wiki.get_revision(get_db(), page_id=page["id"], number=number)
    if found is None:
        raise ApiError(404, f"This page has no revision {number}.")
    return found


def _conflict(page, your_text):
    """Answer 409 with the current page and the editor's own text, so nothing typed is lost."""
    if page is None:
        raise ApiError(409, "This page does not exist any more: save it with base_revision 0.")
    message = (f"Someone saved this page (revision {page['revision']}, by {page['updated_by_name']}) "
               "while you were editing. Your text is kept (it is returned as your_text): merge it with "
               "the current version and save again.")
    body = {**error_body([message], 409), "current": serialize.page_json(get_db(), g.user, page),
            "your_text": your_text}
    return body, 409


def _answer(page, status=200):
    """Answer with a page as the viewer sees it."""
    return {"ok": True, "page": serialize.page_json(get_db(), g.user, page)}, status


@bp.get("")
@login_required
def list_wikis():
    """List the wikis the viewer may read (one per program of theirs)."""
    db = get_db()
    return {"ok": True, "wikis": [{**serialize.wiki_json(db, g.user, w), "pages": w["pages"]}
                                  for w in wiki.list_programs(db) if can(db, g.user, "wiki.read", w)]}


@bp.get("/<program_id>/pages")
@login_required
def list_pages(program_id):
    """List a wiki's pages."""
    found = _wiki(program_id)
    rows = wiki.list_pages(get_db(), program_id=program_id)
    return {"ok": True, "wiki": serialize.wiki_json(get_db(), g.user, found),
            "pages": [serialize.page_summary(r) for r in rows]}


@bp.get(PAGE)
@login_required
def get_page(program_id, slug):
    """Return a page: Markdown source, rendered HTML, its revision, and what the viewer may do."""
    return _answer(_page(program_id, slug))


@bp.post(PAGE)
@login_required
@limiter.limit(writes_limit)
@body(SavePage)
def save_page(program_id, slug):
    """Save a new revision from base_revision (0 creates the page); 409 if the page moved on."""
    _wiki(program_id)
    if slugify(slug) != slug or not slug:
        raise ApiError(400, f"'{slug}' is not a page name: use letters, digits and dashes, e.g. {slugify(slug) or 'Home'}.")
    try:
        saved = actions.save_page(get_db(), viewer=g.user, program_id=program_id, slug=slug, body_md=g.body.body,
                                  base_revision=g.body.base_revision, title=g.body.title, note=g.body.note)
    except actions.Conflict as conflict:
        return _conflict(conflict.current, g.body.body)
    return _answer(saved, 201 if g.body.base_revision == 0 else 200)


@bp.get(PAGE + "/history")
@login_required
def page_history(program_id, slug):
    """List every revision of a page, newest first, with author and time."""
    page = _page(program_id, slug)
    rows = wiki.list_revisions(get_db(), page_id=page["id"])
    return {**_answer(page)[0], "revisions": [serialize.revision_summary(r) for r in rows]}


@bp.get(PAGE + "/revisions/<int:number>")
@login_required
def get_revision(program_id, slug, number):
    """Return the text of one revision of a page."""
    return {"ok": True, "revision": serialize.revision_json(_revision(_page(program_id, slug), number))}


@bp.get(PAGE + "/diff")
@login_required
@query(DiffRange)
def diff_revisions(program_id, slug):
    """Return the line diff between two revisions (?from=&to=, default: previous and current)."""
    page = _page(program_id, slug)
    to = page["revision"] if g.query.to is None else g.query.to
    old = _revision(page, max(to - 1, 1) if g.query.from_ is None else g.query.from_)
    new = _revision(page, to)
    return {"ok": True, "from": old["number"], "to": new["number"],
            "lines": diff(f"# {old['title']}\n{old['body_md']}", f"# {new['title']}\n{new['body_md']}")}


@bp.post(PAGE + "/revert")
@login_required
@limiter.limit(writes_limit)
@body(RevertPage)
def revert_page(program_id, slug):
    """Save an old revision's text as the newest revision (from base_revision; 409 if stale)."""
    page = _page(program_id, slug)
    require(get_db(), g.user, "wiki.revert", page)
    old = _revision(page, g.body.revision)
    try:
        saved = actions.revert_page(get_db(), viewer=g.user, page=page, revision=old,
                                    base_revision=g.body.base_revision)
    except actions.Conflict as conflict:
        return _conflict(conflict.current, old["body_md"])
    return _answer(saved)


@bp.post(PAGE + "/protect")
@login_required
@limiter.limit(writes_limit)
@body(ProtectPage)
def protect_page(program_id, slug):
    """Protect a page so only coaches and admins edit it, or open it again."""
    page = actions.protect_page(get_db(), viewer=g.user, page=_page(program_id, slug), protected=g.body.protected)
    return _answer(page)
