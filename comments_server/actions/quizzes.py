"""Taking a quiz: check the answers' shape, grade them with the key the server holds, store the attempt.

One ``write_transaction`` per attempt: the attempt number is taken from the attempts
stored, and the unique key (activity, learner, cohort, number) makes a second submit of the
same attempt lose rather than slip past the attempts limit.
"""

from __future__ import annotations

from comments_server.access.rules import require
from comments_server.actions.activities import Invalid
from comments_server.actions.bus import BUS
from comments_server.domain import quiz
from comments_server.domain.events.activities import QuizAttempted
from comments_server.domain.timeutil import now_iso
from comments_server.store import quizzes
from comments_server.store.db import write_transaction


class QuizUnavailable(RuntimeError):
    """The site was published without the quiz's answers (quiz-keys.json), so it cannot be checked."""


def attempt_state(db, *, viewer, activity, cohort_id):
    """What the rule ``quiz.attempt`` decides on: the cohort, attempts used and the limit."""
    used = len(quizzes.list_attempts(db, activity_id=activity["id"], user_id=viewer["id"], cohort_id=cohort_id))
    return {"cohort_id": cohort_id, "used": used, "limit": activity["options"].get("attempts")}


def submit_attempt(db, *, viewer, activity, cohort_id, answers, xapi_base):
    """Grade and store one attempt; return ``(attempt, grading)`` with per-question feedback."""
    require(db, viewer, "quiz.attempt", attempt_state(db, viewer=viewer, activity=activity, cohort_id=cohort_id))
    questions = activity["options"].get("questions") or []
    problems = quiz.answer_problems(questions, answers)
    if problems:
        raise Invalid(*problems)
    key = quizzes.get_key(db, activity_id=activity["id"])
    if key is None:
        raise QuizUnavailable("This quiz cannot be checked: the site was published without its answers "
                              "(quiz-keys.json). Tell the program's staff.")
    graded = quiz.grade(questions, key, answers, int(activity["options"].get("pass_mark", 80)))
    with write_transaction(db):
        state = attempt_state(db, viewer=viewer, activity=activity, cohort_id=cohort_id)
        require(db, viewer, "quiz.attempt", state)  # again inside the lock: another tab may have used the last one
        attempt = quizzes.add_attempt(db, activity_id=activity["id"], user_id=viewer["id"], cohort_id=cohort_id,
                                      number=state["used"] + 1, answers=answers, results=graded["results"],
                                      score=graded["score"], passed=graded["passed"], at=now_iso())
        BUS.publish(db, QuizAttempted(viewer, activity, cohort_id, attempt, xapi_base))
    return attempt, graded
