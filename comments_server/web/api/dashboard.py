"""The program dashboard: cohort matrix and attention list, program health, the coach's queue, exports.

Who sees what (``access.activities.dashboard_scope`` and the ``dashboard.*`` rules): admins and observers every
cohort, coaches the cohorts they coach, managers their direct reports only.
People who are only learners get 403 (their page is My progress); a cohort
or program outside the viewer's scope answers 404.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from typing import Annotated, Any

from flask import Blueprint, Response, g, request
from pydantic import Field, PlainValidator, WithJsonSchema

from comments_server.access import activities as rules
from comments_server.access.rules import can, require
from comments_server.actions import desk
from comments_server.actions.activities import Invalid
from comments_server.dashboard import people, queue as desk_queue, service
from comments_server.domain import exports, figures, links, timeutil
from comments_server.store import dashboard as store
from comments_server.web.contracts import Body, body
from comments_server.web.database import get_db
from comments_server.web.errors import ApiError
from comments_server.web.security import login_required

bp = Blueprint("dashboard", __name__, url_prefix="/api/dashboard")

# a whole program's health lists participation per learner up to this many learners (else per cohort)
PER_LEARNER_MAX = 300


def _scope(rule="dashboard.see"):
    """The viewer's dashboard scope; 403 for people who are only learners (and, for the queue, non-coaches)."""
    return require(get_db(), g.user, rule, rules.dashboard_scope(get_db(), g.user))


def _today():
    """Today's date (UTC), from the one clock the server uses."""
    return timeutil.now().date()


def _cohort(scope, cohort_id):
    """A cohort in the viewer's scope with its program, else 404."""
    require(get_db(), g.user, "dashboard.cohort", (scope, cohort_id))
    return store.cohorts_with_programs(get_db(), cohort_ids=[cohort_id])[0]


@bp.get("")
@login_required
def overview():
    """The programs and cohorts the viewer may see, and whether they have a coach's queue."""
    scope = _scope()
    cohorts = store.cohorts_with_programs(get_db(), cohort_ids=list(scope["cohorts"]))
    programs = {}
    for c in cohorts:
        programs.setdefault(c["program_id"], {"id": c["program_id"], "title": c["program_title"], "cohorts": []})
        programs[c["program_id"]]["cohorts"].append(
            {"id": c["id"], "title": c["title"], "starts": c["starts"],
             "limited_to_reports": scope["cohorts"][c["id"]] is not None})
    return {"ok": True, "today": _today().isoformat(), "programs": list(programs.values()),
            "queue": rules.has_queue(scope), "queue_role": "coach" if scope["queue"] else "manager",
            "program_cohorts": can(get_db(), g.user, "dashboard.program_cohorts", "any"),
            "statuses": list(figures.STATUSES)}


@bp.get("/cohorts/<cohort_id>")
@login_required
def cohort(cohort_id):
    """The cohort at a glance: learners x modules matrix, learners needing attention, learners doing well."""
    scope = _scope()
    c = _cohort(scope, cohort_id)
    today = _today()
    view = service.cohort_view(get_db(), cohort=c, learners=scope["cohorts"][cohort_id], today=today)
    cfg = service.settings()
    return {"ok": True, "cohort": view["cohort"], "today": today.isoformat(),
            "limited_to_reports": scope["cohorts"][cohort_id] is not None,
            "matrix": _with_learner_pages(figures.matrix(view), view, cohort_id), "attention": figures.attention(view, today=today, cfg=cfg),
            "doing_well": figures.doing_well(view, today=today, cfg=cfg)}


def _with_learner_pages(matrix, view, cohort_id):
    """Give each row the URL of its learner's page when the viewer may open it (not observers)."""
    managers = {p["id"]: p["manager_id"] for p in view["learners"]}
    for row in matrix["rows"]:
        person = {"cohort_id": cohort_id, "role": "learner", "user_id": row["learner"]["id"],
                  "manager_id": managers.get(row["learner"]["id"])}
        row["learner"]["url"] = (links.absolute(links.learner_path(cohort_id, person["user_id"]))
                                 if can(get_db(), g.user, "dashboard.learner", person) else None)
    return matrix


@bp.get("/cohorts/<cohort_id>/learners/<int:user_id>")
@login_required
def learner(cohort_id, user_id):
    """One learner's page: their progress across the program and a link to each of their plans,
    presentations, reflections and posts. Their coaches, their manager and admins; everyone else 404."""
    person = require(get_db(), g.user, "dashboard.learner",
                     store.membership(get_db(), cohort_id=cohort_id, user_id=user_id))
    c = store.cohorts_with_programs(get_db(), cohort_ids=[cohort_id])[0]
    return {"ok": True, **people.learner_page(get_db(), viewer=g.user, cohort=c, person=person, today=_today())}


@bp.get("/programs/<program_id>/cohorts")
@login_required
def program_cohorts(program_id):
    """Every cohort of a program side by side (admins and observers): size, progress, attention, waiting work."""
    scope = _scope()
    require(get_db(), g.user, "dashboard.program_cohorts", program_id)
    whole = [cid for cid, learners in scope["cohorts"].items() if learners is None]
    cohorts, rows = people.program_cohorts(get_db(), program_id=program_id, cohort_ids=whole, today=_today())
    if not cohorts:
        raise ApiError(404, "No such program on your dashboard.")
    return {"ok": True, "program": {"id": program_id, "title": cohorts[0]["program_title"]},
            "today": _today().isoformat(), "cohorts": rows}


@bp.get("/programs/<program_id>/health")
@login_required
def health(program_id):
    """Where the program might be improved: module figures, funnel, participation, turnaround, rubric, hints."""
    scope = _scope()
    cohort_id = request.args.get("cohort") or None
    if cohort_id:
        _cohort(scope, cohort_id)
    today = _today()
    cohorts, summaries = service.program_summaries(get_db(), scope=scope, program_id=program_id,
                                                   cohort_id=cohort_id, today=today)
    if not cohorts:
        raise ApiError(404, "No such program (or cohort) on your dashboard.")
    cfg = service.settings()
    per_learner = bool(cohort_id) or sum(s["learners"] for s in summaries) <= PER_LEARNER_MAX
    return {"ok": True, "program": {"id": program_id, "title": cohorts[0]["program_title"]},
            "cohorts": [c["id"] for c in cohorts], "today": today.isoformat(), "settings": cfg,
            "health": figures.health(summaries, today=today, cfg=cfg, per_learner=per_learner),
            "quiz_questions": service.quiz_questions(get_db(), scope=scope, program_id=program_id, cohorts=cohorts)}


@bp.get("/queue")
@login_required
def queue():
    """What waits for the viewer (coach: their cohorts, all for admins and observers; manager: their reports),
    oldest first; ``set_aside`` holds the items they dismissed or snoozed that are still hidden."""
    scope = _scope("dashboard.queue")
    shown, aside = desk_queue.desk(get_db(), viewer=g.user, scope=scope, today=_today())
    return {"ok": True, "today": _today().isoformat(), "items": shown, "set_aside": aside}


ItemKey = Annotated[str, Field(min_length=1, max_length=300)]


class QueueItem(Body):
    """A queue item, by the key the queue gave it."""

    key: ItemKey


def _day(value: Any) -> dt.date:
    """A calendar day written YYYY-MM-DD."""
    if isinstance(value, str) and len(value) == 10:
        with contextlib.suppress(ValueError):
            return dt.date.fromisoformat(value)
    raise ValueError(f"'until' must be a day written YYYY-MM-DD, like 2027-01-28 (got {value!r}).")


Day = Annotated[Any, PlainValidator(_day), WithJsonSchema({"type": "string", "format": "date",
                                                           "examples": ["2027-01-28"]})]


class Snooze(Body):
    """A queue item and the day it comes back."""

    key: ItemKey
    until: Day


@bp.post("/queue/dismiss")
@login_required
@body(QueueItem)
def dismiss():
    """Hide an item from one's queue until it changes (a new reply, a new stage, another review...)."""
    item = desk.dismiss(get_db(), viewer=g.user, scope=_scope("dashboard.queue"), key=g.body.key, today=_today())
    return {"ok": True, "item": item, "set_aside": {"action": "dismiss", "until": None}}


@bp.post("/queue/snooze")
@login_required
@body(Snooze)
def snooze():
    """Hide an item from one's queue until a day (at most 90 days ahead)."""
    try:
        item = desk.snooze(get_db(), viewer=g.user, scope=_scope("dashboard.queue"), key=g.body.key,
                           until=g.body.until, today=_today())
    except Invalid as exc:  # a well-formed day refused against today's date: a conflict with the state, not the form
        raise ApiError(409, *exc.messages) from None
    return {"ok": True, "item": item, "set_aside": {"action": "snooze", "until": g.body.until.isoformat()}}


@bp.post("/queue/restore")
@login_required
@body(QueueItem)
def restore():
    """Put a dismissed or snoozed item back in one's queue."""
    _scope("dashboard.queue")
    desk.restore(get_db(), viewer=g.user, key=g.body.key)
    return {"ok": True}


@bp.get("/cohorts/<cohort_id>/export")
@login_required
def export(cohort_id):
    """Download the matrix (CSV) or the events (CSV or xAPI statements) of a cohort."""
    scope = _scope()
    c = _cohort(scope, cohort_id)
    what, fmt = request.args.get("what", "matrix"), request.args.get("format", "csv")
    if what not in ("matrix", "events") or fmt not in ("csv", "xapi"):
        raise ApiError(400, "Choose what=matrix&format=csv, what=events&format=csv or what=events&format=xapi.")
    if (what, fmt) == ("matrix", "xapi"):  # a file that does not exist (the matrix is no xAPI statement)
        raise ApiError(404, "There is no matrix in xAPI: choose what=matrix&format=csv, or what=events&format=xapi.")
    learners = scope["cohorts"][cohort_id]
    if what == "matrix":
        view = service.cohort_view(get_db(), cohort=c, learners=learners, today=_today())
        return _download(exports.matrix_csv(figures.matrix(view)), f"{cohort_id}-matrix.csv", "text/csv")
    body = service.export_events(get_db(), cohort_ids=[cohort_id], user_ids=learners, fmt=fmt, viewer=g.user)
    if fmt == "xapi":
        return _download(json.dumps(body, indent=1), f"{cohort_id}-statements.json", "application/json")
    return _download(body, f"{cohort_id}-events.csv", "text/csv")


def _download(text, filename, mimetype):
    """A file download response."""
    return Response(text, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
