"""My progress (learner and manager views), mark as read, and reflections."""

from __future__ import annotations

import json

from flask import Blueprint, g

from comments_server.actions import activities as actions
from comments_server.store import completions, reviews, submissions
from comments_server.web.api.plans import (
    learner_cohort,
    load_activity,
    viewer_cohort,
    xapi_base,
)
from comments_server.web.api import models_activities as models
from comments_server.web.contracts import body
from comments_server.web.database import get_db
from comments_server.web.serialize.activities import (
    activity_json,
    presenter_feedback,
    reflection_json,
    waiting_plan_json,
)
from comments_server.web.security import limiter, login_required, writes_limit

bp = Blueprint("progress", __name__, url_prefix="/api")


# --------------------------------------------------------------------------- progress


@bp.get("/progress")
@login_required
def get_progress():
    """The viewer's programs and modules with status, next step and feedback received;
    for managers and coaches also their reports' progress and what waits for them."""
    db = get_db()
    body = {"ok": True, "learner": {"programs": _learner_programs(db, g.user["id"])}}
    reports = completions.reports_of(db, manager_id=g.user["id"])
    coaching = any(m["role"] == "coach" for m in g.user["memberships"])
    if reports or coaching:
        body["manager"] = {
            "reports": [_report(db, r) for r in reports],
            "waiting": [waiting_plan_json(r) for r in submissions.waiting_plans(db, viewer=g.user)],
        }
    body["to_review"] = [dict(r) for r in reviews.open_assignments(db, reviewer_id=g.user["id"])]
    return body


def _learner_programs(db, user_id, *, with_feedback=True):
    """Every program the user learns in, each module summarised from the stored records (no writes)."""
    programs = []
    for c in completions.learner_cohorts(db, user_id=user_id):
        cohort = _cached(("cohort", c["cohort_id"]), lambda: completions.get_cohort(db, cohort_id=c["cohort_id"]))
        modules = [_module(db, user_id, cohort, module, with_feedback)
                   for module in _cached(("modules", c["program_id"]), lambda: _program_modules(db, c["program_id"]))]
        programs.append({
            "id": c["program_id"], "title": c["program_title"], "url": c["program_url"],
            "cohort": {"id": c["cohort_id"], "title": c["cohort_title"], "starts": c["starts"]},
            "modules": [m for m in modules if m],
            "next": next((m["next"] | {"module": m["title"], "url": m["url"]}
                          for m in modules if m and m["next"] and m["status"] != "waiting_for_feedback"),
                         None),
        })
    return programs


def _cached(key, load):
    """Return what ``load()`` gives, once per request: a manager's reports share modules and cohorts."""
    cache = g.setdefault("progress_cache", {})
    if key not in cache:
        cache[key] = load()
    return cache[key]


def _program_modules(db, program_id):
    """The program's live modules with their activities, in order."""
    return [completions.get_module(db, module_id=mid)
            for mid in completions.program_module_ids(db, program_id=program_id)]


def _module(db, user_id, cohort, module, with_feedback):
    """One module's progress for one learner, read from their records.

    A pure read: completion is a follow-up of every event that changes a
    record (``actions/followups.py``), so a GET never takes the write lock.
    """
    if module is None:
        return None
    cohort_id, module_id = cohort["id"], module["id"]
    state = completions.module_state(db, user_id=user_id, cohort_id=cohort_id, module=module, cohort=cohort)
    out = {"id": module_id, "title": module["title"], "url": module["url"], "status": state["status"],
           "due": state["due"], "next": state["next"],
           "activities": [{"id": a["id"], "kind": a["kind"], "status": state["activities"][a["id"]]}
                          for a in module["activities"]]}
    if with_feedback:
        out["feedback"] = _feedback_received(db, user_id, cohort_id, module_id)
    return out


def _feedback_received(db, user_id, cohort_id, module_id):
    """Plan feedback and presentation review summaries the learner has received in a module."""
    out = []
    for sub in completions.user_submissions(db, user_id=user_id, cohort_id=cohort_id, module_id=module_id):
        if sub["kind"] == "plan":
            items = [f for f in submissions.list_feedback(db, submission_id=sub["id"])]
            if items:
                out.append({"activity_id": sub["activity_id"], "kind": "plan", "plan_id": sub["id"],
                            "items": items})
        else:
            options = json.loads(sub["options"] or "{}")
            summary = presenter_feedback(reviews.list_reviews(db, submission_id=sub["id"]), sub=sub,
                                         rubric=options.get("rubric") or [], named=bool(options.get("reviewers_named")))
            if summary["count"]:
                out.append({"activity_id": sub["activity_id"], "kind": "presentation",
                            "presentation_id": sub["id"], "count": summary["count"],
                            "target": summary["target"], "averages": summary["averages"]})
    return out


def _report(db, report):
    """A direct report's progress, module statuses only."""
    return {"id": report["id"], "name": report["name"],
            "programs": _learner_programs(db, report["id"], with_feedback=False)}


# --------------------------------------------------------------------------- mark as read


@bp.get("/activities/<path:activity_id>/read")
@login_required
def get_read(activity_id):
    """Whether the viewer has read the module: marked it read (``read_at``), or did some of its work (``by_work``)."""
    activity = load_activity(activity_id, "read")
    cohort_id = viewer_cohort(activity)
    db = get_db()
    at = completions.is_read(db, user_id=g.user["id"], activity_id=activity_id, cohort_id=cohort_id)
    by_work = at is None and completions.read_by_work(db, user_id=g.user["id"], cohort_id=cohort_id,
                                                      module_id=activity["module_id"])
    return {"ok": True, "activity": activity_json(activity), "cohort_id": cohort_id,
            "read": at is not None or by_work, "read_at": at, "by_work": by_work}


@bp.post("/activities/<path:activity_id>/read")
@login_required
@limiter.limit(writes_limit)
@body(models.NoFields)
def mark_read(activity_id):
    """Mark the module as read (idempotent); this completes the read activity."""
    activity = load_activity(activity_id, "read")
    cohort_id = learner_cohort(activity)
    at = actions.mark_read(get_db(), viewer=g.user, activity=activity, cohort_id=cohort_id, xapi_base=xapi_base())
    return {"ok": True, "activity": activity_json(activity), "cohort_id": cohort_id, "read": True, "read_at": at,
            "by_work": False}


# --------------------------------------------------------------------------- reflections


def _reflection_answer(activity, cohort_id):
    """The viewer's own reflection and the cohort's, newest first."""
    db = get_db()
    own = completions.get_reflection(db, activity_id=activity["id"], user_id=g.user["id"], cohort_id=cohort_id)
    return {"ok": True, "activity": activity_json(activity), "cohort_id": cohort_id,
            "mine": reflection_json(own),
            "reflections": [dict(r) for r in completions.list_reflections(
                db, activity_id=activity["id"], cohort_id=cohort_id)]}


@bp.get("/activities/<path:activity_id>/reflection")
@login_required
def get_reflection(activity_id):
    """The viewer's reflection on the module and the cohort's reflections."""
    activity = load_activity(activity_id, "reflection")
    return _reflection_answer(activity, viewer_cohort(activity))


@bp.post("/activities/<path:activity_id>/reflection")
@login_required
@limiter.limit(writes_limit)
@body(models.TextBody)
def save_reflection(activity_id):
    """Post (or edit) the learner's reflection; posting completes the activity."""
    activity = load_activity(activity_id, "reflection")
    cohort_id = learner_cohort(activity)
    actions.save_reflection(get_db(), viewer=g.user, activity=activity, cohort_id=cohort_id, body_md=g.body.body,
                            xapi_base=xapi_base())
    return _reflection_answer(activity, cohort_id)
