"""Events of the structured activities: plans, presentations and their reviews, reads, reflections.

Each carries the rows its subscribers need (the submission as read by the
action, the activity with its module, the people) and ``xapi_base``, the IRI
base of the statements the event log and completion write (a setting the
action is given; nothing below the web reads the app's config).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PlanSaved:
    """A learner saved their plan draft (``created``: the first save)."""

    sub: dict
    activity: dict
    actor: dict
    created: bool
    xapi_base: str


@dataclass(frozen=True)
class PlanStepTaken:
    """The plan's owner moved it on: ``action`` is submit, set_encounter or debrief.

    ``sub`` is the plan as it was before the step; ``verb``/``result`` make its xAPI statement.
    """

    sub: dict
    activity: dict
    actor: dict
    action: str
    verb: str
    xapi_base: str
    result: dict | None = None


@dataclass(frozen=True)
class PlanFeedbackGiven:
    """Feedback, a revision request or a comment on a plan (``kind``), by its giver in ``role``."""

    sub: dict
    activity: dict
    giver: dict
    role: str
    kind: str
    comment_md: str
    xapi_base: str
    rating: int | None = None
    scale: int | None = None


@dataclass(frozen=True)
class PresentationSubmitted:
    """A learner submitted their presentation (file or link)."""

    sub: dict
    activity: dict
    actor: dict
    xapi_base: str


@dataclass(frozen=True)
class ReviewersAllocated:
    """Review assignments were made or moved in a cohort (on a submission, a departure or an escalation).

    ``pairs`` are the new ``(submission id, reviewer id)`` assignments; ``concerned``
    the learners whose records changed (see ``store.reviews.Moves``).
    """

    activity: dict
    cohort_id: str
    pairs: tuple
    concerned: frozenset = field(default_factory=frozenset)
    xapi_base: str = ""


@dataclass(frozen=True)
class ReviewAdded:
    """A reviewer (peer or coach, ``role``) scored a presentation's rubric and commented."""

    sub: dict
    activity: dict
    reviewer: dict
    role: str
    scores: dict
    comment_md: str
    xapi_base: str


@dataclass(frozen=True)
class ReviewRated:
    """The presenter rated how helpful a review was."""

    sub: dict
    activity: dict
    presenter: dict
    rating: int
    xapi_base: str


@dataclass(frozen=True)
class ModuleRead:
    """A learner marked a module read for the first time."""

    actor: dict
    activity: dict
    cohort_id: str
    xapi_base: str


@dataclass(frozen=True)
class ReflectionSaved:
    """A learner posted (``first``) or edited their reflection."""

    actor: dict
    activity: dict
    cohort_id: str
    body_md: str
    first: bool
    xapi_base: str


@dataclass(frozen=True)
class QuizAttempted:
    """A learner submitted a quiz attempt (``attempt``: the stored row with score and passed)."""

    actor: dict
    activity: dict
    cohort_id: str
    attempt: dict
    xapi_base: str
