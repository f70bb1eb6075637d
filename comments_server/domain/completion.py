"""Completion rules and the plan workflow, as pure functions.

Completion is derived, never typed in: ``store/completions.py`` gathers a
learner's records for a module into a :class:`Records`, calls
:func:`module_progress` and writes the ``completions`` rows that follow, in
the same write transaction as the record that changed.

Rules per activity kind:

* ``read``: marked as read;
* ``roundtable``: posted at least once in the cohort's thread;
* ``plan``: the debrief has had its feedback (stage ``feedback_given``);
* ``presentation``: submitted, its reviews received (as many as the cohort
  allows, see ``allocation.review_target``) and the learner's own assigned
  peer reviews given;
* ``reflection``: posted;
* ``quiz``: an attempt scored at least the quiz's ``pass_mark`` (the best attempt counts).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from comments_server.domain import timeutil

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
WAITING = "waiting_for_feedback"
COMPLETE = "complete"
OVERDUE = "overdue"

# --------------------------------------------------------------------------- plan workflow

PLAN_STAGES = (
    "draft",
    "submitted",
    "revision_requested",
    "encounter_set",
    "debrief_submitted",
    "feedback_given",
)

# action -> {stage before: stage after}; ``None`` is "no plan yet"
PLAN_TRANSITIONS = {
    "save": {None: "draft", "draft": "draft", "revision_requested": "revision_requested"},
    "submit": {"draft": "submitted", "revision_requested": "submitted"},
    "set_encounter": {"submitted": "encounter_set", "encounter_set": "encounter_set"},
    "debrief": {"encounter_set": "debrief_submitted"},
    "request_revision": {"submitted": "revision_requested", "encounter_set": "revision_requested"},
    "feedback": {"debrief_submitted": "feedback_given"},
}

# why an action is refused, in words the learner or manager can act on
_REFUSALS = {
    "save": "The plan can no longer be edited: it has been submitted.",
    "submit": "Only a draft plan (or one sent back for revision) can be submitted.",
    "set_encounter": "Submit the plan before setting when the encounter happens.",
    "debrief": "Set when the encounter happens (after submitting the plan) before submitting a debrief.",
    "request_revision": "A revision can only be requested after the plan is submitted and before the debrief.",
    "feedback": "Feedback can only be given once the debrief has been submitted.",
}


class StepError(ValueError):
    """A workflow step taken out of order; ``str()`` says what has to happen first."""


def plan_transition(stage: str | None, action: str) -> str:
    """Return the stage after ``action`` from ``stage``, or raise :class:`StepError`."""
    allowed = PLAN_TRANSITIONS[action]
    if stage not in allowed:
        if action == "feedback" and stage == "feedback_given":
            raise StepError("Feedback has already been given on this debrief.")
        raise StepError(_REFUSALS[action])
    return allowed[stage]


# --------------------------------------------------------------------------- records


@dataclass
class PresentationRecord:
    """What completion needs to know about one learner and one presentation activity."""

    submitted: bool = False
    reviews_received: int = 0
    reviews_target: int = 0
    reviews_assigned: int = 0  # peer reviews this learner was asked to give
    reviews_given: int = 0


@dataclass
class Records:
    """One learner's records for one module (activity ids as keys)."""

    read: set[str] = field(default_factory=set)
    posted: set[str] = field(default_factory=set)
    plans: dict[str, str] = field(default_factory=dict)  # activity id -> stage
    presentations: dict[str, PresentationRecord] = field(default_factory=dict)
    reflections: set[str] = field(default_factory=set)
    quizzes: dict[str, tuple[int, int]] = field(default_factory=dict)  # activity id -> (best score, attempts)


# --------------------------------------------------------------------------- activity status


def activity_status(activity: dict, records: Records) -> tuple[str, str]:
    """Return ``(status, next step)`` for one activity; next step is "" when none."""
    kind, aid = activity["kind"], activity["id"]
    if kind == "read":
        return (COMPLETE, "") if aid in records.read else (NOT_STARTED, "Read the module and mark it as read.")
    if kind == "roundtable":
        return (COMPLETE, "") if aid in records.posted else (NOT_STARTED, "Post in the roundtable.")
    if kind == "reflection":
        return (COMPLETE, "") if aid in records.reflections else (NOT_STARTED, "Write your reflection.")
    if kind == "plan":
        return _plan_status(records.plans.get(aid))
    if kind == "presentation":
        return _presentation_status(records.presentations.get(aid, PresentationRecord()))
    if kind == "quiz":
        return _quiz_status(activity.get("options") or {}, records.quizzes.get(aid))
    return NOT_STARTED, ""


def _quiz_status(options: dict, record: tuple[int, int] | None) -> tuple[str, str]:
    """Status of a quiz: complete once the best attempt reaches the pass mark."""
    if record is None:
        return NOT_STARTED, "Take the quiz."
    best, used = record
    pass_mark, limit = int(options.get("pass_mark", 80)), options.get("attempts")
    if best >= pass_mark:
        return COMPLETE, ""
    if limit is not None and used >= int(limit):
        return IN_PROGRESS, f"No attempts left on the quiz (best {best}%, pass mark {pass_mark}%): talk to your coach."
    return IN_PROGRESS, f"Try the quiz again: your best is {best}%, the pass mark {pass_mark}%."


_PLAN_STATUS = {
    None: (NOT_STARTED, "Draft your plan."),
    "draft": (IN_PROGRESS, "Finish and submit your plan."),
    "revision_requested": (IN_PROGRESS, "Revise your plan and submit it again."),
    "submitted": (IN_PROGRESS, "Set when the encounter happens."),
    "encounter_set": (IN_PROGRESS, "After the encounter, submit your debrief."),
    "debrief_submitted": (WAITING, "Waiting for feedback on your debrief."),
    "feedback_given": (COMPLETE, ""),
}


def _plan_status(stage: str | None) -> tuple[str, str]:
    """Status of a plan activity from its stage."""
    return _PLAN_STATUS.get(stage, (IN_PROGRESS, ""))


def _presentation_status(rec: PresentationRecord) -> tuple[str, str]:
    """Status of a presentation activity: own submission, reviews received, reviews given."""
    owed = max(0, rec.reviews_assigned - rec.reviews_given)
    if not rec.submitted:
        started = rec.reviews_given > 0
        return (IN_PROGRESS if started else NOT_STARTED), "Submit your presentation."
    if owed:
        return IN_PROGRESS, f"Review {owed} peer presentation{'s' if owed > 1 else ''}."
    if rec.reviews_received < rec.reviews_target:
        return WAITING, "Waiting for peer reviews of your presentation."
    return COMPLETE, ""


# --------------------------------------------------------------------------- module status


def required_ids(module: dict) -> list[str]:
    """The activity ids the module's completion rule requires, in activity order."""
    rule = module.get("completion", "all")
    ids = [a["id"] for a in sorted(module["activities"], key=lambda a: a.get("order", 0))]
    if rule == "all" or rule is None:
        return ids
    wanted = set(rule)
    return [i for i in ids if i in wanted]


def due_date(starts: str | dt.date | None, due_days: int | None) -> dt.date | None:
    """The module's due date for a cohort starting on ``starts``, or None."""
    if starts is None or due_days is None:
        return None
    if isinstance(starts, str):
        starts = dt.date.fromisoformat(starts[:10])
    return starts + dt.timedelta(days=int(due_days))


def cohort_due_date(cohort: dict | None, module: dict) -> dt.date | None:
    """The module's due date for a cohort: the catalog's ``due_dates``, else start + ``due_days``.

    ``cohort["due_dates"]`` (a dict or its JSON) is what the build computed
    for the cohort's own pace; catalogs written before it fall back.
    """
    if cohort is None:
        return None
    dates = cohort.get("due_dates")
    if isinstance(dates, str):
        dates = json.loads(dates)
    if dates and dates.get(module["id"]):
        return dt.date.fromisoformat(dates[module["id"]][:10])
    return due_date(cohort.get("starts"), module.get("due_days"))


def module_progress(module: dict, records: Records, *, due: dt.date | None = None,
                    today: dt.date | None = None) -> dict:
    """Status of every activity, the module's status and the learner's next step.

    Overdue means past the due date with learner work left to do; a learner
    who has done everything and is waiting for feedback is never overdue.
    """
    activities = {a["id"]: activity_status(a, records) for a in module["activities"]}
    required = required_ids(module)
    statuses = [activities[i][0] for i in required]
    return {
        "status": _module_status(statuses, activities, due, today),
        "activities": {i: s for i, (s, _) in activities.items()},
        "complete": [i for i, (s, _) in activities.items() if s == COMPLETE],
        "next": _next_step(required, activities),
        "due": due.isoformat() if due else None,
    }


def _module_status(statuses, activities, due, today) -> str:
    """Fold the required activities' statuses into one module status."""
    if all(s == COMPLETE for s in statuses):
        return COMPLETE
    learner_work_left = any(s in (NOT_STARTED, IN_PROGRESS) for s in statuses)
    today = today or timeutil.today()
    if due and today > due and learner_work_left:
        return OVERDUE
    if not learner_work_left:
        return WAITING
    if any(s != NOT_STARTED for s, _ in activities.values()):
        return IN_PROGRESS
    return NOT_STARTED


def _next_step(required, activities) -> dict | None:
    """The first required activity the learner has to act on, else the first one waiting."""
    for wanted in (NOT_STARTED, IN_PROGRESS), (WAITING,):
        for aid in required:
            status, text = activities[aid]
            if status in wanted:
                return {"activity_id": aid, "status": status, "text": text}
    return None
