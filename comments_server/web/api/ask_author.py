"""Ask the author: private questions on a module to its authors; publishing one to the roundtable.

Answers and follow-ups are comments of the question's thread: POST /api/threads/<thread_id>/comments.
"""

from __future__ import annotations

from typing import Annotated, Any

from flask import Blueprint, g
from pydantic import WithJsonSchema

from comments_server.access import community as scopes
from comments_server.actions import community as actions
from comments_server.store import questions
from comments_server.web.database import get_db
from comments_server.web.serialize import community as serialize
from comments_server.web.api._community import check_title, thread_page
from comments_server.web.contracts import TITLE_SCHEMA, Body, CommentText, Page, body, query
from comments_server.web.errors import ApiError
from comments_server.web.security import limiter, login_required, writes_limit

bp = Blueprint("ask_author", __name__, url_prefix="/api")


class NewQuestion(Body):
    """A question for a module's authors; without a title, its first line is the title."""

    body: CommentText
    title: Annotated[Any, WithJsonSchema(TITLE_SCHEMA)] = None


class NoFields(Body):
    """A request with nothing to say (an empty body is accepted too)."""


def _module(module_id):
    """Return a module the viewer may see with its authors, or answer 404."""
    module = scopes.module_for_asking(get_db(), g.user, module_id)
    if module is None:
        raise ApiError(404, f"No module '{module_id}' of yours.")
    return module


def _question(question_id):
    """Return a question the viewer may see (asker, authors, the cohort's coaches, admins), or 404."""
    row = scopes.question_in_sight(get_db(), g.user, question_id)
    if row is None:
        raise ApiError(404, "No such question.")
    return row


@bp.get("/modules/<path:module_id>/authors")
@login_required
def module_authors(module_id):
    """Return a module's authors, whether the viewer may ask, and the questions they may see."""
    module = _module(module_id)
    return {"ok": True, "module": {"id": module["id"], "title": module["title"], "url": module["url"]},
            "authors": module["authors"], "is_author": module["is_author"], "can_ask": module["can_ask"],
            "questions": _visible(module_id=module["id"])}


def _visible(module_id=None):
    """Return the questions the viewer may see (of one module if given), newest first, as JSON."""
    return [serialize.question(row, g.user) for row in questions.list_rows(get_db(), module_id=module_id)
            if scopes.sees_question(row, g.user)]


@bp.post("/modules/<path:module_id>/questions")
@login_required
@limiter.limit(writes_limit)
@body(NewQuestion)
def ask_question(module_id):
    """Ask the module's authors a question, in a thread only they, the asker and coaches see."""
    body = g.body.body
    title = check_title(g.body.title) if g.body.title else check_title(body.strip().splitlines()[0][:120])
    module = _module(module_id)
    if not module["can_ask"]:
        raise ApiError(403, "Only members of this program can ask, and only modules that name authors."
                       if not module["is_author"] else "You wrote this module: answer questions instead.")
    question_id = actions.ask_author(get_db(), viewer=g.user, module=module, title=title, body_md=body)
    return {"ok": True, "question": serialize.question(_question(question_id), g.user)}, 201


@bp.get("/questions")
@login_required
def list_questions():
    """List every question the viewer may see: their own, and those to answer or follow."""
    return {"ok": True, "questions": _visible()}


@bp.get("/questions/<int:question_id>")
@login_required
@query(Page)
def get_question(question_id):
    """Return a question with its thread."""
    row = _question(question_id)
    return {"ok": True, "question": serialize.question(row, g.user),
            **thread_page(get_db(), row["thread_id"], g.query)}


@bp.post("/questions/<int:question_id>/publish")
@login_required
@limiter.limit(writes_limit)
@body(NoFields, allow_empty=True)
def publish_question(question_id):
    """Publish the question and the authors' answers to the module's roundtable in every cohort."""
    row = _question(question_id)
    if not scopes.may_publish(row, g.user):
        raise ApiError(403, "Only an author of the module can publish a question, and only once.")
    activity_id = questions.roundtable_of(get_db(), module_id=row["module_id"])
    if activity_id is None:
        raise ApiError(409, "This module has no roundtable to publish to.")
    count = actions.publish_question(get_db(), viewer=g.user, question=row, activity_id=activity_id)
    return {"ok": True, "question": serialize.question(_question(question_id), g.user),
            "activity_id": activity_id, "cohorts": count}
