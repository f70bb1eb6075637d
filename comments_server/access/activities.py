"""Who may see and do what with plans, presentations, reviews, progress and the dashboard.

A submission is in sight of (anything else answers 404):

* the learner who owns it;
* admins and coaches of its cohort;
* for a plan: the owner's manager (``users.manager_id``);
* for a presentation: its allocated reviewers (assignments not cancelled).

How the viewer relates to it (:func:`relation`) decides the rest: the owner
takes the learner's steps, the giver the module names (manager or coach, or
an admin) gives feedback, and so on; each rule below says why it refuses.
"""

from __future__ import annotations

from comments_server.access import choose_cohort, role_in
from comments_server.access.rules import NotFound, rule
from comments_server.store import completions, reviews, submissions

STAFF_ROLES = {"coach", "manager", "observer"}
LEARNERS_ONLY = ("The dashboard is for coaches, managers and program staff. "
                 "Your own modules and feedback are on My progress.")
QUEUE_FOR_STAFF = "The queue is for coaches and for managers of learners in a cohort."

# --------------------------------------------------------------------------- activities and cohorts


def live_activity(db, activity_id, kind):
    """Return a live activity of ``kind`` with options and module, or raise NotFound."""
    activity = completions.get_activity(db, activity_id=activity_id)
    if activity is None or activity["kind"] != kind or activity["retired"]:
        raise NotFound(f"No {kind} activity '{activity_id}'.")
    return activity


def viewer_cohort(db, viewer, activity, requested=None):
    """The cohort the viewer works in for the activity's program (``?cohort=`` if visible), or None."""
    return choose_cohort(db, viewer, program_id=activity["program_id"], requested=requested)


@rule("activity.see", not_found="Not found: you are not in a cohort of this program.")
def _see_activity(db, viewer, cohort_id):
    """Anyone with a cohort of the activity's program in sight may read it."""
    return True


@rule("activity.take_part", not_found="Not found: you are not in a cohort of this program.")
def _take_part(db, viewer, cohort_id):
    """Only learners of the cohort save plans, present, read and reflect."""
    return role_in(viewer, cohort_id) == "learner" or "Only learners of the cohort take part in this activity."


def is_learner(viewer, cohort_id):
    """The viewer is a learner of the cohort."""
    return role_in(viewer, cohort_id) == "learner"


def coaches(viewer, cohort_id):
    """The viewer coaches the cohort (or is an admin)."""
    return bool(viewer["admin"]) or role_in(viewer, cohort_id) == "coach"


# --------------------------------------------------------------------------- submissions


def relation(db, viewer, sub):
    """How the viewer relates to a submission: owner, coach, manager, reviewer, admin, or None (out of sight)."""
    if viewer is None or sub is None:
        return None
    if sub["user_id"] == viewer["id"]:
        return "owner"
    if role_in(viewer, sub["cohort_id"]) == "coach":
        return "coach"
    if sub["kind"] == "plan" and sub["owner_manager_id"] == viewer["id"]:
        return "manager"
    if sub["kind"] == "presentation" and submissions.is_reviewer(db, submission_id=sub["id"], user_id=viewer["id"]):
        return "reviewer"
    if viewer["admin"]:
        return "admin"
    return None


def _in_sight(db, viewer, sub, kind):
    """The relation when ``sub`` is a ``kind`` the viewer may see, else None."""
    return relation(db, viewer, sub) if sub["kind"] == kind else None


def _relation_in(db, viewer, sub, kind, relations, refusal):
    """True when the viewer's relation to a ``kind`` in sight is one of ``relations``, else ``refusal``."""
    rel = _in_sight(db, viewer, sub, kind)
    if rel is None:
        return None
    return rel in relations or refusal


@rule("submission.see", not_found="Not found.")
def _see_submission(db, viewer, sub):
    """A plan or presentation in sight (notifications ask this for each recipient)."""
    return True if relation(db, viewer, sub) else None


@rule("plan.see", not_found="No such plan.")
def _see_plan(db, viewer, sub):
    return True if _in_sight(db, viewer, sub, "plan") else None


@rule("plan.step", not_found="No such plan.")
def _plan_step(db, viewer, sub):
    """Only the learner who owns the plan submits it, sets the encounter and debriefs."""
    return _relation_in(db, viewer, sub, "plan", {"owner"}, "Only the learner who wrote this plan can do that.")


def gives_feedback(sub, rel):
    """True when the viewer is the feedback giver the module names (manager or coach), or an admin."""
    return rel == "admin" or rel == sub["feedback_from"]


@rule("plan.feedback", not_found="No such plan.")
def _plan_feedback(db, viewer, sub):
    """Only the feedback giver the module names (or an admin) gives feedback or asks for a revision."""
    rel = _in_sight(db, viewer, sub, "plan")
    if rel is None:
        return None
    return gives_feedback(sub, rel) or f"Only {sub['owner_name']}'s {sub['feedback_from']} can give feedback on this plan."


@rule("plan.comment", not_found="No such plan.")
def _plan_comment(db, viewer, sub):
    """The cohort's coaches, the learner's manager and admins comment on a plan."""
    return _relation_in(db, viewer, sub, "plan", {"coach", "manager", "admin"},
                        "Only the cohort's coaches and the learner's manager can comment on a plan.")


def plan_permissions(sub, rel):
    """What the viewer may do next with a plan (drives the widget's buttons); ``sub`` None: no plan yet."""
    stage = sub["stage"] if sub else None
    owner = rel == "owner" or sub is None
    giver = sub is not None and gives_feedback(sub, rel)
    return {
        "save": owner and stage in (None, "draft", "revision_requested"),
        "submit": owner and stage in ("draft", "revision_requested"),
        "set_encounter": owner and stage in ("submitted", "encounter_set"),
        "debrief": owner and stage == "encounter_set",
        "feedback": giver and stage == "debrief_submitted",
        "request_revision": giver and stage in ("submitted", "encounter_set"),
        "comment": rel in ("coach", "manager", "admin") and stage not in (None, "draft"),
    }


@rule("presentation.see", not_found="No such presentation.")
def _see_presentation(db, viewer, sub):
    """The presenter, their allocated reviewers, the cohort's coaches and admins."""
    return True if _in_sight(db, viewer, sub, "presentation") else None


@rule("presentation.review", not_found="No such presentation.")
def _review(db, viewer, sub):
    """Allocated reviewers and the cohort's coaches review, never the presenter."""
    if sub["user_id"] == viewer["id"] and sub["kind"] == "presentation":
        return "You cannot review your own presentation."
    return _relation_in(db, viewer, sub, "presentation", {"reviewer", "coach", "admin"},
                        "Only reviewers allocated to this presentation or the cohort's coaches can review it.")


@rule("presentation.feedback", not_found="No such presentation.")
def _see_feedback(db, viewer, sub):
    """All reviews together: the presenter, the cohort's coaches and admins (reviewers do not see them)."""
    return True if _in_sight(db, viewer, sub, "presentation") in ("owner", "coach", "admin") else None


@rule("review.rate", not_found="No such review.")
def _rate(db, viewer, review):
    """Only the presenter rates how helpful a review of their presentation was."""
    sub = submissions.get(db, submission_id=review["submission_id"])
    rel = relation(db, viewer, sub)
    if rel is None:
        return None
    return rel == "owner" or "Only the presenter can rate how helpful a review was."


def reviewer_role(rel):
    """The role a review is recorded under: a coach's (or admin's) review counts as the coach's."""
    return "coach" if rel in ("coach", "admin") else "peer"


def may_review(db, viewer, sub):
    """Whether the viewer may review this presentation now (the widget's button)."""
    return relation(db, viewer, sub) in ("reviewer", "coach", "admin") and \
        reviews.get_review(db, submission_id=sub["id"], reviewer_id=viewer["id"]) is None


# --------------------------------------------------------------------------- dashboard


def dashboard_scope(db, viewer):
    """What the viewer may see on the dashboard.

    Returns ``{"cohorts": {cohort_id: None | set of learner ids}, "staff": bool,
    "queue": set of cohort ids}``: ``None`` means every learner of the cohort;
    a set limits a manager to their direct reports. Admins and observers see
    every cohort, coaches the cohorts they coach. ``staff`` is False for
    people who are only learners (the dashboard refuses them).
    """
    roles = {m["role"] for m in viewer["memberships"]}
    everything = viewer["admin"] or "observer" in roles
    cohorts = {}
    if everything:
        cohorts = {r["id"]: None for r in db.query("SELECT id FROM cohorts WHERE retired = FALSE")}
    coached = {m["cohort_id"] for m in viewer["memberships"] if m["role"] == "coach"}
    cohorts.update({cid: None for cid in coached})
    for row in db.query("""SELECT m.user_id, m.cohort_id FROM memberships m JOIN users u ON u.id = m.user_id
                           WHERE u.manager_id = ? AND m.role = 'learner'""", [viewer["id"]]):
        if cohorts.get(row["cohort_id"], set()) is not None:
            cohorts.setdefault(row["cohort_id"], set()).add(row["user_id"])
    staff = everything or bool(roles & STAFF_ROLES) or bool(cohorts)
    return {"cohorts": cohorts, "staff": staff, "queue": set(cohorts) if everything else coached}


@rule("dashboard.see", not_found="Not found.")
def _dashboard(db, viewer, scope):
    """Staff see the dashboard; people who are only learners have My progress."""
    return scope["staff"] or LEARNERS_ONLY


def has_queue(scope):
    """Whether something can wait for the viewer: they coach a cohort (every one: admins, observers) or manage
    learners of one."""
    return bool(scope["queue"]) or any(learners is not None for learners in scope["cohorts"].values())


@rule("dashboard.queue", not_found="Not found.")
def _queue(db, viewer, scope):
    """The to-do list: coaches (all cohorts for admins and observers) and managers of learners."""
    if not scope["staff"]:
        return LEARNERS_ONLY
    return has_queue(scope) or QUEUE_FOR_STAFF


@rule("dashboard.learner", not_found="No such learner on your dashboard.")
def _learner_page(db, viewer, person):
    """A learner's page (``person``: their membership row with ``cohort_id``, ``role``, ``manager_id``): the
    coaches of that cohort, the learner's manager and admins. Nobody else learns that the page exists, the
    learner included (their page is My progress), and observers, who read figures, not people."""
    if person["role"] != "learner":
        return None
    return True if coaches(viewer, person["cohort_id"]) or person["manager_id"] == viewer["id"] else None


@rule("dashboard.program_cohorts", not_found="No such program on your dashboard.")
def _program_cohorts(db, viewer, scope):
    """Every cohort of a program side by side: admins (and observers, who read every dashboard)."""
    roles = {m["role"] for m in viewer["memberships"]}
    return True if viewer["admin"] or "observer" in roles else None


@rule("dashboard.cohort", not_found="No such cohort on your dashboard.")
def _dashboard_cohort(db, viewer, place):
    """A cohort in the viewer's scope (``place`` is ``(scope, cohort id)``)."""
    scope, cohort_id = place
    return True if cohort_id in scope["cohorts"] else None


# --------------------------------------------------------------------------- quizzes


@rule("quiz.attempt", not_found="Not found: you are not in a cohort of this program.")
def _attempt_quiz(db, viewer, state):
    """A learner of the cohort, while attempts are left (``state``: cohort_id, used, limit)."""
    if role_in(viewer, state["cohort_id"]) != "learner":
        return "Only learners of the cohort take the quiz."
    if state["limit"] is not None and state["used"] >= state["limit"]:
        return (f"You have used all {state['limit']} attempts at this quiz; "
                "your best attempt is the one that counts.")
    return True
