"""What people do with the structured activities: plans, presentations, reviews, reads, reflections.

Each action checks its rule (``access/activities.py``), renders Markdown
outside the lock, runs ONE ``write_transaction`` of store writes and
publishes its events there; what follows (notifications, the xAPI log,
completion) is listed in ``actions/followups.py``. A step out of order
raises ``completion.StepError`` (409), a refused rule ``access.rules.Refused``
(404/403), an input the activity's options refuse :class:`Invalid` (400).
``xapi_base`` is the IRI base of the statements (``domain.xapi.base_from(config)``).
"""

from __future__ import annotations


from comments_server.access import activities as rules
from comments_server.access.rules import require
from comments_server.actions.bus import BUS
from comments_server.domain.completion import StepError, check_debrief, plan_transition
from comments_server.domain.events.activities import (
    ModuleRead,
    PlanFeedbackGiven,
    PlanSaved,
    PlanStepTaken,
    PresentationSubmitted,
    ReflectionSaved,
    ReviewAdded,
    ReviewersAllocated,
    ReviewRated,
)
from comments_server.domain import xapi
from comments_server.domain.render import render
from comments_server.domain.timeutil import now_iso
from comments_server.store import completions, reviews, submissions
from comments_server.store.db import write_transaction


class Invalid(ValueError):
    """Input the activity's own options refuse (a rating off its scale, a score off the rubric): a 400."""

    def __init__(self, *messages):
        super().__init__("; ".join(messages))
        self.messages = list(messages)


# --------------------------------------------------------------------------- plans


def load_plan(db, *, viewer, plan_id, rule="plan.see"):
    """Return ``(plan, relation, activity)`` when ``rule`` allows the viewer; raise NotFound/Forbidden otherwise."""
    sub = require(db, viewer, rule, submissions.get(db, submission_id=plan_id))
    return sub, rules.relation(db, viewer, sub), rules.live_activity(db, sub["activity_id"], "plan")


def save_plan(db, *, viewer, activity, cohort_id, body_md, xapi_base):
    """Create or edit the learner's plan draft (or the plan sent back for revision); return the plan."""
    require(db, viewer, "activity.take_part", cohort_id)
    html = render(body_md)
    with write_transaction(db):
        sub = submissions.find(db, activity_id=activity["id"], user_id=viewer["id"], cohort_id=cohort_id)
        stage = plan_transition(sub["stage"] if sub else None, "save")
        at = now_iso()
        sub_id = None if sub else submissions.insert_plan(
            db, activity_id=activity["id"], user_id=viewer["id"], cohort_id=cohort_id, stage=stage,
            body_md=body_md, body_html=html, at=at)
        if sub_id is not None:
            submissions.add_step(db, submission_id=sub_id, action="save", stage=stage, actor_id=viewer["id"], at=at)
        else:  # an existing plan (the unique key refused a second one): edit it where it stands
            sub = sub or submissions.find(db, activity_id=activity["id"], user_id=viewer["id"], cohort_id=cohort_id)
            plan_transition(sub["stage"], "save")
            if not submissions.update_body(db, submission_id=sub["id"], stage=sub["stage"], body_md=body_md,
                                           body_html=html, at=at):
                _moved_on(db, sub["id"], "save")
            sub_id = sub["id"]
        saved = submissions.get(db, submission_id=sub_id)
        BUS.publish(db, PlanSaved(saved, activity, viewer, created=sub is None, xapi_base=xapi_base))
    return saved


def _moved_on(db, submission_id, action):
    """The plan changed stage since it was read: refuse with the reason its current stage gives."""
    plan_transition(submissions.get(db, submission_id=submission_id)["stage"], action)
    raise StepError("The plan changed meanwhile: reload it and try again.")


def _step(db, sub, activity, *, actor, action, verb, fields, xapi_base, result=None):
    """Move a plan one step on from the stage it was read at; publish the step. Returns the plan after it."""
    stage = plan_transition(sub["stage"], action)
    at = now_iso()
    if not submissions.move_stage(db, submission_id=sub["id"], before=sub["stage"], after=stage,
                                  fields=fields, at=at):
        _moved_on(db, sub["id"], action)
    submissions.add_step(db, submission_id=sub["id"], action=action, stage=stage, actor_id=actor["id"], at=at)
    BUS.publish(db, PlanStepTaken(sub, activity, actor, action, verb, xapi_base, result))
    return submissions.get(db, submission_id=sub["id"])


def submit_plan(db, *, viewer, plan_id, encounter_at=None, xapi_base):
    """Submit the draft, and set when the encounter happens if given: one transaction. Returns (plan, rel, activity)."""
    sub, rel, activity = load_plan(db, viewer=viewer, plan_id=plan_id, rule="plan.step")
    with write_transaction(db):
        sub = _step(db, sub, activity, actor=viewer, action="submit", verb="submitted",
                    fields={"submitted_at": now_iso()}, xapi_base=xapi_base)
        if encounter_at:
            sub = _step(db, sub, activity, actor=viewer, action="set_encounter", verb="scheduled",
                        fields={"encounter_at": encounter_at}, xapi_base=xapi_base)
    return sub, rel, activity


def set_encounter(db, *, viewer, plan_id, encounter_at, xapi_base):
    """Set (or move) when the planned encounter happens. Returns (plan, rel, activity)."""
    sub, rel, activity = load_plan(db, viewer=viewer, plan_id=plan_id, rule="plan.step")
    with write_transaction(db):
        sub = _step(db, sub, activity, actor=viewer, action="set_encounter", verb="scheduled",
                    fields={"encounter_at": encounter_at}, xapi_base=xapi_base)
    return sub, rel, activity


def submit_debrief(db, *, viewer, plan_id, body_md, xapi_base):
    """Submit how the encounter went against the plan. Returns (plan, rel, activity)."""
    sub, rel, activity = load_plan(db, viewer=viewer, plan_id=plan_id, rule="plan.step")
    if sub["stage"] == "encounter_set":
        check_debrief(sub["encounter_at"])  # the encounter must have happened: refused with when it may be written
    fields = {"debrief_md": body_md, "debrief_html": render(body_md), "debrief_at": now_iso()}
    with write_transaction(db):
        sub = _step(db, sub, activity, actor=viewer, action="debrief", verb="submitted", fields=fields,
                    xapi_base=xapi_base, result=xapi.result(response=body_md[:1000]))
    return sub, rel, activity


def _feedback(db, sub, activity, *, giver, role, kind, comment_md, xapi_base, action=None, rating=None,
              scale=None):
    """Write one feedback row (moving the plan on for ``action``) and publish it; return the plan after it."""
    html = render(comment_md)
    with write_transaction(db):
        at = now_iso()
        if action:
            stage = plan_transition(sub["stage"], action)
            if not submissions.move_stage(db, submission_id=sub["id"], before=sub["stage"], after=stage, at=at):
                _moved_on(db, sub["id"], action)
        submissions.add_feedback(db, submission_id=sub["id"], giver_id=giver["id"], role=role, kind=kind,
                                 comment_md=comment_md, comment_html=html, at=at, rating=rating, scale=scale)
        if action:
            submissions.add_step(db, submission_id=sub["id"], action=action, stage=stage, actor_id=giver["id"], at=at)
        BUS.publish(db, PlanFeedbackGiven(sub, activity, giver, role, kind, comment_md, xapi_base, rating, scale))
    return submissions.get(db, submission_id=sub["id"])


def give_feedback(db, *, viewer, plan_id, rating, comment_md, xapi_base):
    """The feedback giver rates the debrief and comments; the plan activity completes. Returns (plan, rel, activity)."""
    sub, rel, activity = load_plan(db, viewer=viewer, plan_id=plan_id, rule="plan.feedback")
    scale = int(activity["options"].get("rating_scale", 5))
    if not 1 <= rating <= scale:  # the module's own scale: a rating the request itself could not know (409)
        raise StepError(f"'rating' must be a whole number from 1 to {scale}: this module rates on a scale of "
                        f"{scale}.")
    sub = _feedback(db, sub, activity, giver=viewer, role=rel, kind="feedback", comment_md=comment_md,
                    xapi_base=xapi_base, action="feedback", rating=rating, scale=scale)
    return sub, rel, activity


def request_revision(db, *, viewer, plan_id, comment_md, xapi_base):
    """The feedback giver sends the plan back before the encounter, saying why. Returns (plan, rel, activity)."""
    sub, rel, activity = load_plan(db, viewer=viewer, plan_id=plan_id, rule="plan.feedback")
    sub = _feedback(db, sub, activity, giver=viewer, role=rel, kind="revision_request", comment_md=comment_md,
                    xapi_base=xapi_base, action="request_revision")
    return sub, rel, activity


def comment_on_plan(db, *, viewer, plan_id, comment_md, xapi_base):
    """A coach, the manager or an admin comments on a submitted plan or debrief. Returns (plan, rel, activity)."""
    sub, rel, activity = load_plan(db, viewer=viewer, plan_id=plan_id, rule="plan.comment")  # a draft: 404
    sub = _feedback(db, sub, activity, giver=viewer, role=rel, kind="comment", comment_md=comment_md,
                    xapi_base=xapi_base)
    return sub, rel, activity


# --------------------------------------------------------------------------- presentations and reviews


def submit_presentation(db, *, viewer, activity, cohort_id, xapi_base, attachment=None, link=None):
    """Insert the learner's presentation and allocate its reviewers in one transaction; return the submission.

    Completion follows for the presenter and the learners the allocation
    concerns (new or relieved reviewers, presenters whose target moved), not
    the whole cohort.
    """
    require(db, viewer, "activity.take_part", cohort_id)
    with write_transaction(db):
        sub_id = submissions.insert_presentation(db, activity_id=activity["id"], user_id=viewer["id"],
                                                 cohort_id=cohort_id, at=now_iso(), attachment=attachment, link=link)
        if sub_id is None:
            raise StepError("You have already submitted a presentation for this activity.")
        moves = reviews.allocate(db, activity=activity, cohort_id=cohort_id)
        sub = submissions.get(db, submission_id=sub_id)
        BUS.publish(db, PresentationSubmitted(sub, activity, viewer, xapi_base))
        BUS.publish(db, ReviewersAllocated(activity, cohort_id, tuple(moves.pairs),
                                           frozenset(moves.concerned | {viewer["id"]}), xapi_base))
    return sub


def load_presentation(db, *, viewer, presentation_id, rule="presentation.see"):
    """Return ``(presentation, relation, activity)`` when ``rule`` allows the viewer; raise otherwise."""
    sub = require(db, viewer, rule, submissions.get(db, submission_id=presentation_id))
    return sub, rules.relation(db, viewer, sub), rules.live_activity(db, sub["activity_id"], "presentation")


def review(db, *, viewer, presentation_id, scores, comment_md, xapi_base):
    """Score the rubric and comment (allocated reviewers and the cohort's coaches); return the review row."""
    sub, rel, activity = load_presentation(db, viewer=viewer, presentation_id=presentation_id,
                                           rule="presentation.review")
    scores = _scores(scores, activity["options"].get("rubric") or [])
    role = rules.reviewer_role(rel)
    html = render(comment_md)
    with write_transaction(db):
        at = now_iso()
        review_id = reviews.add_review(db, submission_id=sub["id"], reviewer_id=viewer["id"], role=role,
                                       scores=scores, comment_md=comment_md, comment_html=html, at=at)
        if review_id is None:
            raise StepError("You have already reviewed this presentation.")
        reviews.complete_assignment(db, submission_id=sub["id"], reviewer_id=viewer["id"], role=role, at=at)
        BUS.publish(db, ReviewAdded(sub, activity, viewer, role, scores, comment_md, xapi_base))
    return reviews.get_review_by_id(db, review_id=review_id)


def _scores(scores, rubric):
    """Scores 1..5 for exactly the rubric's criteria; Invalid names what is wrong."""
    if not isinstance(scores, dict):
        raise Invalid("'scores' must be an object: {criterion: 1..5}.")
    problems = [f"Score '{c}' from 1 to 5." for c in rubric if c in scores
                and (isinstance(scores[c], bool) or not isinstance(scores[c], int) or not 1 <= scores[c] <= 5)]
    if problems:
        raise Invalid(*problems)
    # the rubric is the module's: criteria it lacks or misses are a conflict with it, not a malformed request (409)
    problems = [f"Score '{c}' from 1 to 5." for c in rubric if c not in scores]
    problems += [f"'{c}' is not a criterion of this rubric." for c in scores if c not in rubric]
    if problems:
        raise StepError(" ".join(problems))
    return {c: scores[c] for c in rubric}


def rate_review(db, *, viewer, review_id, rating, xapi_base):
    """The presenter rates how helpful a review was, 1 to 5; return the review row."""
    row = require(db, viewer, "review.rate", reviews.get_review_by_id(db, review_id=review_id))
    sub = submissions.get(db, submission_id=row["submission_id"])
    activity = rules.live_activity(db, sub["activity_id"], "presentation")
    with write_transaction(db):
        reviews.set_helpfulness(db, review_id=row["id"], rating=rating)
        BUS.publish(db, ReviewRated(sub, activity, viewer, rating, xapi_base))
    return reviews.get_review_by_id(db, review_id=row["id"])


# --------------------------------------------------------------------------- reads and reflections


def mark_read(db, *, viewer, activity, cohort_id, xapi_base):
    """Record that the learner read the module (idempotent); return when it was first marked."""
    require(db, viewer, "activity.take_part", cohort_id)
    with write_transaction(db):
        if completions.insert_read(db, user_id=viewer["id"], activity_id=activity["id"], cohort_id=cohort_id,
                                   at=now_iso()):
            BUS.publish(db, ModuleRead(viewer, activity, cohort_id, xapi_base))
    return completions.is_read(db, user_id=viewer["id"], activity_id=activity["id"], cohort_id=cohort_id)


def save_reflection(db, *, viewer, activity, cohort_id, body_md, xapi_base):
    """Post or edit the learner's reflection; the first post completes the activity. Returns the reflection."""
    require(db, viewer, "activity.take_part", cohort_id)
    html = render(body_md)
    with write_transaction(db):
        first = completions.upsert_reflection(db, user_id=viewer["id"], activity_id=activity["id"],
                                              cohort_id=cohort_id, body_md=body_md, body_html=html, at=now_iso())
        BUS.publish(db, ReflectionSaved(viewer, activity, cohort_id, body_md, first, xapi_base))
    return completions.get_reflection(db, activity_id=activity["id"], user_id=viewer["id"], cohort_id=cohort_id)
