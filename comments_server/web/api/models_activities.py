"""Request contracts of the structured activities (plans, reviews, reads, reflections), declared once.

Values whose rule is the activity's own (a rating on the module's scale, scores
on its rubric) are typed loosely here and checked by the action, which knows
the activity; everything else is checked here, with the sentences the API
has always answered.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import PlainValidator, WithJsonSchema

from comments_server.web.contracts import Body, CommentText


def _encounter(value: Any) -> str:
    """An ISO date or date-time for the encounter, as ``YYYY-MM-DDTHH:MM``."""
    if not isinstance(value, str):
        raise ValueError("'encounter_at' must be a date or date-time like 2027-01-20T10:00.")
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"'encounter_at' is not a date: '{value}'. Use e.g. 2027-01-20T10:00.") from None
    return parsed.isoformat(timespec="minutes")


def _maybe_encounter(value: Any) -> str | None:
    """No encounter (absent, null or empty) or one as :func:`_encounter` reads it."""
    return _encounter(value) if value else None


def _helpfulness(value: Any) -> int:
    """A whole number 1..5 (not a boolean, not a string)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ValueError("'rating' must be a whole number from 1 to 5.")
    return value


_DATE_SCHEMA = {"type": "string", "format": "date-time", "examples": ["2027-01-20T10:00"]}
EncounterAt = Annotated[Any, PlainValidator(_encounter), WithJsonSchema(_DATE_SCHEMA)]
MaybeEncounterAt = Annotated[Any, PlainValidator(_maybe_encounter), WithJsonSchema(_DATE_SCHEMA)]
Helpfulness = Annotated[Any, PlainValidator(_helpfulness), WithJsonSchema({"type": "integer", "minimum": 1,
                                                                          "maximum": 5})]
# checked by the action against the module's rating_scale / rubric
Rating = Annotated[Any, WithJsonSchema({"type": "integer", "minimum": 1})]
Scores = Annotated[Any, WithJsonSchema({"type": "object", "additionalProperties": {"type": "integer",
                                                                                  "minimum": 1, "maximum": 5}})]


class NoFields(Body):
    """A JSON object with nothing in it (mark as read)."""


class TextBody(Body):
    """A plan draft, a debrief, a comment on a plan, a reflection."""

    body: CommentText


class SubmitPlan(Body):
    """Submit the draft, optionally with when the encounter happens."""

    encounter_at: MaybeEncounterAt = None


class SetEncounter(Body):
    """When the planned encounter happens."""

    encounter_at: EncounterAt


class Feedback(Body):
    """The feedback giver's rating (1..the module's rating_scale) and comment."""

    rating: Rating
    comment: CommentText


class Revision(Body):
    """What the learner should change."""

    comment: CommentText


class Review(Body):
    """Scores 1..5 for each criterion of the rubric, and a comment."""

    scores: Scores
    comment: CommentText


class RateReview(Body):
    """How helpful a review was, 1..5."""

    rating: Helpfulness


# the answers' shape depends on the quiz's questions: domain/quiz.answer_problems checks it with sentences
Answers = Annotated[Any, WithJsonSchema({
    "type": "object", "description": "question id -> an option id (single), a list of option ids (multiple) "
                                     "or the typed text (short)",
    "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
    "examples": [{"q1": "b", "q2": ["a", "c"], "q3": "SPIN"}]})]


class QuizAnswers(Body):
    """One attempt at a quiz: an answer for every question."""

    answers: Answers
