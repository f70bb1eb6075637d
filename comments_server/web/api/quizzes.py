"""Quizzes (issue 12): the questions without their answers, the viewer's attempts, and submitting one."""

from __future__ import annotations

from flask import Blueprint, g

from comments_server.access.rules import can
from comments_server.actions import quizzes as actions
from comments_server.actions.activities import Invalid
from comments_server.domain import quiz
from comments_server.store import quizzes
from comments_server.web.api import models_activities as models
from comments_server.web.api.plans import learner_cohort, load_activity, viewer_cohort, xapi_base
from comments_server.web.contracts import body
from comments_server.web.database import get_db
from comments_server.web.errors import ApiError
from comments_server.web.serialize.activities import activity_json
from comments_server.web.security import limiter, login_required, writes_limit

bp = Blueprint("quizzes", __name__, url_prefix="/api")


def _answer(activity, cohort_id, **extra):
    """The quiz as the viewer sees it: questions (no key), their attempts, the best one, what they may do."""
    db = get_db()
    attempts = quizzes.list_attempts(db, activity_id=activity["id"], user_id=g.user["id"], cohort_id=cohort_id)
    best = quiz.best(attempts)
    state = actions.attempt_state(db, viewer=g.user, activity=activity, cohort_id=cohort_id)
    limit = activity["options"].get("attempts")
    return {"ok": True, "activity": activity_json(activity), "cohort_id": cohort_id,
            "attempts": [_attempt_json(a) for a in attempts],
            "best": _attempt_json(best) if best else None, "passed": bool(best and best["passed"]),
            "attempts_left": None if limit is None else max(0, limit - len(attempts)),
            "can_attempt": can(db, g.user, "quiz.attempt", state), **extra}


def _attempt_json(attempt):
    """One attempt: its number, score, whether it passed, and which questions were right (never the key)."""
    return {"number": attempt["number"], "score": attempt["score"], "passed": attempt["passed"],
            "results": attempt["results"], "created": attempt["created"]}


@bp.get("/activities/<path:activity_id>/quiz")
@login_required
def get_quiz(activity_id):
    """The quiz's questions and options, and the viewer's attempts."""
    activity = load_activity(activity_id, "quiz")
    return _answer(activity, viewer_cohort(activity))


@bp.post("/activities/<path:activity_id>/quiz/attempts")
@login_required
@limiter.limit(writes_limit)
@body(models.QuizAnswers)
def submit_attempt(activity_id):
    """Submit an attempt: the server checks it, stores it and answers the score and per-question feedback."""
    activity = load_activity(activity_id, "quiz")
    cohort_id = learner_cohort(activity)
    try:
        attempt, graded = actions.submit_attempt(get_db(), viewer=g.user, activity=activity, cohort_id=cohort_id,
                                                 answers=g.body.answers, xapi_base=xapi_base())
    except Invalid as exc:
        raise ApiError(400, *exc.messages) from None
    except actions.QuizUnavailable as exc:
        raise ApiError(503, str(exc)) from None
    return _answer(activity, cohort_id, attempt=_attempt_json(attempt), feedback=graded["feedback"]), 201
