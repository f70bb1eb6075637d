"""Planning exercises: draft -> submit -> encounter -> debrief -> feedback (and revision requests).

Also holds the helpers the other activity blueprints share: loading an
activity of a kind, choosing the viewer's cohort, reading text fields.
"""

from __future__ import annotations

from contextlib import contextmanager

from flask import Blueprint, current_app, g, request

from comments_server.access import activities as rules
from comments_server.access.rules import require
from comments_server.actions import activities as actions
from comments_server.domain import xapi
from comments_server.domain.completion import StepError
from comments_server.store import submissions
from comments_server.web.api import models_activities as models
from comments_server.web.contracts import body
from comments_server.web.database import get_db
from comments_server.web.errors import ApiError
from comments_server.web.serialize.activities import (
    activity_json,
    cohort_plan_json,
    plan_json,
    waiting_plan_json,
)
from comments_server.web.security import limiter, login_required, writes_limit

bp = Blueprint("plans", __name__, url_prefix="/api")

# --------------------------------------------------------------------------- shared helpers


def load_activity(activity_id, kind):
    """Return a live activity of ``kind`` with options, or answer 404."""
    return rules.live_activity(get_db(), activity_id, kind)


def viewer_cohort(activity):
    """The cohort the viewer works in for this activity's program, or answer 404."""
    cohort_id = rules.viewer_cohort(get_db(), g.user, activity, request.args.get("cohort"))
    return require(get_db(), g.user, "activity.see", cohort_id)


def learner_cohort(activity):
    """The viewer's cohort for a learner action; 403 unless they are a learner in it."""
    return require(get_db(), g.user, "activity.take_part", viewer_cohort(activity))


def xapi_base():
    """Where the statements' IRIs live (XAPI_BASE, else BASE_URL/xapi)."""
    return xapi.base_from(current_app.config)


@contextmanager
def step_conflicts():
    """Turn a workflow step out of order (StepError) into a 409, input the activity refuses into a 400."""
    try:
        yield
    except StepError as exc:
        raise ApiError(409, str(exc)) from None
    except actions.Invalid as exc:
        raise ApiError(400, *exc.messages) from None


# --------------------------------------------------------------------------- helpers for plans


def _plan(sub, rel):
    """The plan JSON with its feedback and steps."""
    db = get_db()
    return plan_json(sub, rel, feedback=submissions.list_feedback(db, submission_id=sub["id"]),
                     steps=submissions.list_steps(db, submission_id=sub["id"]))


def _answer(sub, rel, activity, status=200):
    """The plan JSON with the viewer's permissions."""
    return {"ok": True, "plan": _plan(sub, rel), "can": rules.plan_permissions(sub, rel),
            "activity": activity_json(activity)}, status


# --------------------------------------------------------------------------- views


@bp.get("/activities/<path:activity_id>/plan")
@login_required
def get_own_plan(activity_id):
    """The viewer's own plan for a plan activity (null before the first save)."""
    db = get_db()
    activity = load_activity(activity_id, "plan")
    cohort_id = viewer_cohort(activity)
    sub = submissions.find(db, activity_id=activity_id, user_id=g.user["id"], cohort_id=cohort_id)
    is_learner = rules.is_learner(g.user, cohort_id)
    can = rules.plan_permissions(sub, "owner") if is_learner else \
        {k: False for k in rules.plan_permissions(None, None)}
    coach = rules.role_in(g.user, cohort_id) == "coach"
    return {"ok": True, "activity": activity_json(activity), "cohort_id": cohort_id,
            "plan": _plan(sub, "owner") if sub else None, "can": can,
            "waiting": [waiting_plan_json(r) for r in submissions.waiting_plans(db, viewer=g.user)]
            if not is_learner else [],
            "cohort_plans": [cohort_plan_json(r) for r in
                             submissions.cohort_plans(db, activity_id=activity_id, cohort_id=cohort_id)]
            if coach else []}


@bp.post("/activities/<path:activity_id>/plan")
@login_required
@limiter.limit(writes_limit)
@body(models.TextBody)
def save_plan(activity_id):
    """Save the plan draft (creating it); editable until submitted, and again when sent back."""
    activity = load_activity(activity_id, "plan")
    cohort_id = viewer_cohort(activity)
    with step_conflicts():
        sub = actions.save_plan(get_db(), viewer=g.user, activity=activity, cohort_id=cohort_id, body_md=g.body.body,
                                xapi_base=xapi_base())
    return _answer(sub, "owner", activity)


@bp.get("/plans/<int:plan_id>")
@login_required
def get_plan(plan_id):
    """A plan the viewer may see: its owner, their manager, the cohort's coaches, admins."""
    sub, rel, activity = actions.load_plan(get_db(), viewer=g.user, plan_id=plan_id)
    return _answer(sub, rel, activity)


@bp.post("/plans/<int:plan_id>/submit")
@login_required
@limiter.limit(writes_limit)
@body(models.SubmitPlan)
def submit_plan(plan_id):
    """Submit the draft; optionally say when the encounter happens (one transaction)."""
    with step_conflicts():
        return _answer(*actions.submit_plan(get_db(), viewer=g.user, plan_id=plan_id, encounter_at=g.body.encounter_at,
                                            xapi_base=xapi_base()))


@bp.post("/plans/<int:plan_id>/encounter")
@login_required
@limiter.limit(writes_limit)
@body(models.SetEncounter)
def set_encounter(plan_id):
    """Set or move when the planned encounter happens."""
    with step_conflicts():
        return _answer(*actions.set_encounter(get_db(), viewer=g.user, plan_id=plan_id,
                                              encounter_at=g.body.encounter_at,
                                              xapi_base=xapi_base()))


@bp.post("/plans/<int:plan_id>/debrief")
@login_required
@limiter.limit(writes_limit)
@body(models.TextBody)
def submit_debrief(plan_id):
    """Submit how the encounter went against the plan."""
    with step_conflicts():
        return _answer(*actions.submit_debrief(get_db(), viewer=g.user, plan_id=plan_id, body_md=g.body.body,
                                               xapi_base=xapi_base()))


@bp.post("/plans/<int:plan_id>/feedback")
@login_required
@limiter.limit(writes_limit)
@body(models.Feedback)
def give_feedback(plan_id):
    """The manager (or the role the module names) rates the debrief and comments."""
    with step_conflicts():
        return _answer(*actions.give_feedback(get_db(), viewer=g.user, plan_id=plan_id, rating=g.body.rating,
                                              comment_md=g.body.comment, xapi_base=xapi_base()))


@bp.post("/plans/<int:plan_id>/revision")
@login_required
@limiter.limit(writes_limit)
@body(models.Revision)
def request_revision(plan_id):
    """Send the plan back to the learner before the encounter, saying what to change."""
    with step_conflicts():
        return _answer(*actions.request_revision(get_db(), viewer=g.user, plan_id=plan_id, comment_md=g.body.comment,
                                                 xapi_base=xapi_base()))


@bp.post("/plans/<int:plan_id>/comments")
@login_required
@limiter.limit(writes_limit)
@body(models.TextBody)
def comment_on_plan(plan_id):
    """A coach of the cohort (or the manager, or an admin) comments on a submitted plan."""
    with step_conflicts():
        return _answer(*actions.comment_on_plan(get_db(), viewer=g.user, plan_id=plan_id, comment_md=g.body.body,
                                                xapi_base=xapi_base()), 201)
