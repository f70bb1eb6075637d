"""Planning exercises: draft -> submit -> encounter -> debrief -> feedback (and revision requests).

Also holds the helpers the other activity blueprints share: loading an
activity of a kind, choosing the viewer's cohort, reading text fields.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from flask import Blueprint, current_app, g, request

from comments_server import access
from comments_server.domain.completion import StepError
from comments_server.store import completions, submissions
from comments_server.web.database import get_db
from comments_server.web.errors import ApiError
from comments_server.web.security import (
    limiter,
    login_required,
    read_json,
    writes_limit,
)

bp = Blueprint("plans", __name__, url_prefix="/api")

# --------------------------------------------------------------------------- shared helpers


def load_activity(activity_id, kind):
    """Return a live activity of ``kind`` with options, or answer 404."""
    activity = completions.get_activity(get_db(), activity_id=activity_id)
    if activity is None or activity["kind"] != kind or activity["retired"]:
        raise ApiError(404, f"No {kind} activity '{activity_id}'.")
    return activity


def viewer_cohort(activity):
    """The cohort the viewer works in for this activity's program, or answer 404."""
    cohort_id = completions.learner_cohort(get_db(), g.user, program_id=activity["program_id"],
                                           requested=request.args.get("cohort"))
    if cohort_id is None:
        raise ApiError(404, "Not found: you are not in a cohort of this program.")
    return cohort_id


def learner_cohort(activity):
    """The viewer's cohort for a learner action; 403 unless they are a learner in it."""
    cohort_id = viewer_cohort(activity)
    if access.role_in(g.user, cohort_id) != "learner":
        raise ApiError(403, "Only learners of the cohort take part in this activity.")
    return cohort_id


def text_field(data, name, *, required=True):
    """A Markdown text field within the size limit; 400 names the field."""
    value = data.get(name, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise ApiError(400, f"Write something first: '{name}' must be non-empty Markdown text.")
    most = current_app.config["MAX_COMMENT_CHARS"]
    if len(value) > most:
        raise ApiError(400, f"'{name}' is too long: at most {most} characters.")
    return value


@contextmanager
def step_conflicts():
    """Turn a workflow step out of order (StepError) into a 409 with its message."""
    try:
        yield
    except StepError as exc:
        raise ApiError(409, str(exc)) from None


# --------------------------------------------------------------------------- helpers for plans


def _load_plan(plan_id):
    """Return ``(plan, relation, activity)`` for a plan the viewer may see, else 404."""
    found = submissions.get_visible(get_db(), submission_id=plan_id, viewer=g.user, kind="plan")
    if found is None:
        raise ApiError(404, "No such plan.")
    sub, rel = found
    return sub, rel, load_activity(sub["activity_id"], "plan")


def _owner_only(rel):
    """Only the learner who owns the plan takes the learner's steps."""
    if rel != "owner":
        raise ApiError(403, "Only the learner who wrote this plan can do that.")


def _giver_only(sub, activity, rel):
    """Only the feedback giver the module names (or an admin) gives feedback or asks for a revision."""
    if not submissions.may_give_feedback(sub, activity, g.user, rel):
        who = activity["options"].get("feedback_from", "manager")
        raise ApiError(403, f"Only {sub['owner_name']}'s {who} can give feedback on this plan.")


def _encounter(value):
    """An ISO date or date-time for the encounter; 400 otherwise."""
    if not isinstance(value, str):
        raise ApiError(400, "'encounter_at' must be a date or date-time like 2027-01-20T10:00.")
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ApiError(400, f"'encounter_at' is not a date: '{value}'. Use e.g. 2027-01-20T10:00.") from None
    return parsed.isoformat(timespec="minutes")


def _can(sub, activity, rel):
    """What the viewer may do next with a plan (drives the widget's buttons)."""
    stage = sub["stage"] if sub else None
    owner = rel == "owner" or sub is None
    giver = sub is not None and submissions.may_give_feedback(sub, activity, g.user, rel)
    return {
        "save": owner and stage in (None, "draft", "revision_requested"),
        "submit": owner and stage in ("draft", "revision_requested"),
        "set_encounter": owner and stage in ("submitted", "encounter_set"),
        "debrief": owner and stage == "encounter_set",
        "feedback": giver and stage == "debrief_submitted",
        "request_revision": giver and stage in ("submitted", "encounter_set"),
        "comment": rel in ("coach", "manager", "admin") and stage not in (None, "draft"),
    }


def _answer(sub, rel, activity, status=200):
    """The plan JSON with the viewer's permissions."""
    return {"ok": True, "plan": submissions.plan_json(get_db(), sub, rel),
            "can": _can(sub, activity, rel), "activity": activity_json(activity)}, status


def activity_json(activity):
    """The activity part of the widget's answer (prompt, options, module)."""
    return {"id": activity["id"], "kind": activity["kind"], "prompt": activity["prompt"],
            "options": activity["options"],
            "module": {"id": activity["module_id"], "title": activity["module_title"],
                       "url": activity["module_url"]}}


# --------------------------------------------------------------------------- views


@bp.get("/activities/<path:activity_id>/plan")
@login_required
def get_own_plan(activity_id):
    """The viewer's own plan for a plan activity (null before the first save)."""
    activity = load_activity(activity_id, "plan")
    cohort_id = viewer_cohort(activity)
    sub = submissions.find(get_db(), activity_id=activity_id, user_id=g.user["id"], cohort_id=cohort_id)
    is_learner = access.role_in(g.user, cohort_id) == "learner"
    can = _can(sub, activity, "owner") if is_learner else {k: False for k in _can(None, activity, None)}
    coach = access.role_in(g.user, cohort_id) == "coach"
    return {"ok": True, "activity": activity_json(activity), "cohort_id": cohort_id,
            "plan": submissions.plan_json(get_db(), sub, "owner") if sub else None, "can": can,
            "waiting": submissions.waiting_plans(get_db(), viewer=g.user) if not is_learner else [],
            "cohort_plans": submissions.cohort_plans(get_db(), activity_id=activity_id, cohort_id=cohort_id)
            if coach else []}


@bp.post("/activities/<path:activity_id>/plan")
@login_required
@limiter.limit(writes_limit)
def save_plan(activity_id):
    """Save the plan draft (creating it); editable until submitted, and again when sent back."""
    body = text_field(read_json(required={"body"}), "body")
    activity = load_activity(activity_id, "plan")
    cohort_id = learner_cohort(activity)
    with step_conflicts():
        sub = submissions.save_plan(get_db(), user=g.user, activity=activity, cohort_id=cohort_id, body_md=body)
    return _answer(sub, "owner", activity)


@bp.get("/plans/<int:plan_id>")
@login_required
def get_plan(plan_id):
    """A plan the viewer may see: its owner, their manager, the cohort's coaches, admins."""
    sub, rel, activity = _load_plan(plan_id)
    return _answer(sub, rel, activity)


@bp.post("/plans/<int:plan_id>/submit")
@login_required
@limiter.limit(writes_limit)
def submit_plan(plan_id):
    """Submit the draft; optionally say when the encounter happens."""
    data = read_json(optional={"encounter_at"})
    sub, rel, activity = _load_plan(plan_id)
    _owner_only(rel)
    when = _encounter(data["encounter_at"]) if data.get("encounter_at") else None
    with step_conflicts():
        sub = submissions.submit_plan(get_db(), sub=sub, activity=activity, actor=g.user, encounter_at=when)
    return _answer(sub, rel, activity)


@bp.post("/plans/<int:plan_id>/encounter")
@login_required
@limiter.limit(writes_limit)
def set_encounter(plan_id):
    """Set or move when the planned encounter happens."""
    when = _encounter(read_json(required={"encounter_at"})["encounter_at"])
    sub, rel, activity = _load_plan(plan_id)
    _owner_only(rel)
    with step_conflicts():
        sub = submissions.set_encounter(get_db(), sub=sub, activity=activity, actor=g.user, encounter_at=when)
    return _answer(sub, rel, activity)


@bp.post("/plans/<int:plan_id>/debrief")
@login_required
@limiter.limit(writes_limit)
def submit_debrief(plan_id):
    """Submit how the encounter went against the plan."""
    body = text_field(read_json(required={"body"}), "body")
    sub, rel, activity = _load_plan(plan_id)
    _owner_only(rel)
    with step_conflicts():
        sub = submissions.submit_debrief(get_db(), sub=sub, activity=activity, actor=g.user, body_md=body)
    return _answer(sub, rel, activity)


@bp.post("/plans/<int:plan_id>/feedback")
@login_required
@limiter.limit(writes_limit)
def give_feedback(plan_id):
    """The manager (or the role the module names) rates the debrief and comments."""
    data = read_json(required={"rating", "comment"})
    comment = text_field(data, "comment")
    sub, rel, activity = _load_plan(plan_id)
    _giver_only(sub, activity, rel)
    scale = int(activity["options"].get("rating_scale", 5))
    rating = data["rating"]
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= scale:
        raise ApiError(400, f"'rating' must be a whole number from 1 to {scale}.")
    with step_conflicts():
        sub = submissions.give_feedback(get_db(), sub=sub, activity=activity, giver=g.user, role=rel,
                                        rating=rating, comment_md=comment)
    return _answer(sub, rel, activity)


@bp.post("/plans/<int:plan_id>/revision")
@login_required
@limiter.limit(writes_limit)
def request_revision(plan_id):
    """Send the plan back to the learner before the encounter, saying what to change."""
    comment = text_field(read_json(required={"comment"}), "comment")
    sub, rel, activity = _load_plan(plan_id)
    _giver_only(sub, activity, rel)
    with step_conflicts():
        sub = submissions.request_revision(get_db(), sub=sub, activity=activity, giver=g.user, role=rel,
                                           comment_md=comment)
    return _answer(sub, rel, activity)


@bp.post("/plans/<int:plan_id>/comments")
@login_required
@limiter.limit(writes_limit)
def comment_on_plan(plan_id):
    """A coach of the cohort (or the manager, or an admin) comments on a submitted plan."""
    comment = text_field(read_json(required={"body"}), "body")
    sub, rel, activity = _load_plan(plan_id)
    if rel not in ("coach", "manager", "admin"):
        raise ApiError(403, "Only the cohort's coaches and the learner's manager can comment on a plan.")
    with step_conflicts():
        sub = submissions.add_comment(get_db(), sub=sub, giver=g.user, role=rel, comment_md=comment)
    return _answer(sub, rel, activity, 201)
