"""Follow-ups of the structured activities' events: the xAPI statement log and completion.

Subscribers ``handler(db, event)``, listed in ``actions/followups.py``. They
run inside the action's write transaction, so a step, its statement and the
learner's completion rows commit together. Completion is recomputed only for
the learners an event concerns (the owner of a plan, a presenter and the
reviewers an allocation touched), never for a whole cohort.
"""

from __future__ import annotations

from comments_server.domain import xapi
from comments_server.store import completions


def _statement(db, event, *, user, verb, cohort_id, result=None, instructor=None):
    """Append one statement of ``event``'s activity."""
    completions.add_statement(db, xapi_base=event.xapi_base, user=user, verb=verb, activity=event.activity,
                              cohort_id=cohort_id, result=result, instructor=instructor)


def _owner(sub):
    """The submission's owner as the xAPI actor wants them."""
    return {"id": sub["user_id"], "name": sub["owner_name"], "email": sub["owner_email"]}


def _recompute(db, event, user_ids, cohort_id):
    """Recompute the module of ``event``'s activity for some learners of a cohort."""
    completions.recompute_many(db, user_ids=user_ids, cohort_id=cohort_id, module_id=event.activity["module_id"],
                               xapi_base=event.xapi_base)


# --------------------------------------------------------------------------- the xAPI log


def log_plan_saved(db, event):
    """The first save of a plan: "progressed"."""
    if event.created:
        _statement(db, event, user=event.actor, verb="progressed", cohort_id=event.sub["cohort_id"])


def log_plan_step(db, event):
    """A plan step by its owner: "submitted" or "scheduled"."""
    _statement(db, event, user=event.actor, verb=event.verb, cohort_id=event.sub["cohort_id"], result=event.result)


def log_plan_feedback(db, event):
    """Feedback on a debrief: the owner "scored", with the giver as instructor."""
    if event.kind == "feedback":
        _statement(db, event, user=_owner(event.sub), verb="scored", cohort_id=event.sub["cohort_id"],
                   result=xapi.result(score=(event.rating, 1, event.scale), completion=True), instructor=event.giver)


def log_presentation(db, event):
    """A presentation: "submitted"."""
    _statement(db, event, user=event.actor, verb="submitted", cohort_id=event.sub["cohort_id"])


def log_review(db, event):
    """A review: "reviewed", scored by the mean of the rubric."""
    mean = sum(event.scores.values()) / len(event.scores)
    _statement(db, event, user=event.reviewer, verb="reviewed", cohort_id=event.sub["cohort_id"],
               result=xapi.result(score=(round(mean, 2), 1, 5), response=event.comment_md[:1000]))


def log_rating(db, event):
    """A helpfulness rating: "rated"."""
    _statement(db, event, user=event.presenter, verb="rated", cohort_id=event.sub["cohort_id"],
               result=xapi.result(score=(event.rating, 1, 5)))


def log_read(db, event):
    """A module read: "experienced"."""
    _statement(db, event, user=event.actor, verb="experienced", cohort_id=event.cohort_id)


def log_reflection(db, event):
    """A first reflection: "commented", completing the activity."""
    if event.first:
        _statement(db, event, user=event.actor, verb="commented", cohort_id=event.cohort_id,
                   result=xapi.result(response=event.body_md[:1000], completion=True))


def log_quiz_attempt(db, event):
    """A quiz attempt: "passed" or "failed", scored in percent."""
    attempt = event.attempt
    _statement(db, event, user=event.actor, verb="passed" if attempt["passed"] else "failed",
               cohort_id=event.cohort_id,
               result=xapi.result(score=(attempt["score"], 0, 100), success=attempt["passed"],
                                  extensions={"urn:roundtable:attempt": attempt["number"]}))


# --------------------------------------------------------------------------- completion


def recompute_owner(db, event):
    """The plan's or presentation's owner (plan saved, step, feedback, revision request)."""
    if getattr(event, "kind", None) == "comment":  # a comment on a plan changes no record
        return
    _recompute(db, event, [event.sub["user_id"]], event.sub["cohort_id"])


def recompute_review(db, event):
    """A review: the presenter (reviews received) and the reviewer (reviews given)."""
    _recompute(db, event, {event.sub["user_id"], event.reviewer["id"]}, event.sub["cohort_id"])


def recompute_allocated(db, event):
    """An allocation: the learners whose assignments or review target it changed."""
    if event.concerned:
        _recompute(db, event, event.concerned, event.cohort_id)


def recompute_actor(db, event):
    """A read, reflection or quiz attempt: the learner who did it."""
    _recompute(db, event, [event.actor["id"]], event.cohort_id)
