"""The OpenAPI paths of quizzes (issue 12): the questions without their answers, and attempts."""

from __future__ import annotations

from comments_server.web.openapi.core import ACTIVITY_ID, COHORT_Q, _read
from comments_server.web.openapi.parts import _ok, _write

_OBJ = {"type": "object"}
_ATTEMPT = {"type": "object", "properties": {
    "number": {"type": "integer", "minimum": 1}, "score": {"type": "integer", "minimum": 0, "maximum": 100},
    "passed": {"type": "boolean"}, "created": {"type": "string"},
    "results": {"type": "object", "description": "question id -> answered right",
                "additionalProperties": {"type": "boolean"}}}}

QUIZ_PATHS = {
    "/api/activities/{activity_id}/quiz": {"get": _read(
        "A quiz's questions and options (never which are right) and the viewer's attempts",
        "Quiz", ACTIVITY_ID + COHORT_Q)},
    "/api/activities/{activity_id}/quiz/attempts": {"post": _write(
        "Submit an attempt (learners of the cohort): the server grades it; 201 with the score and, per question, "
        "whether it was right, the feedback of the chosen options and the explanation; 400 names each answer "
        "that cannot be read; 403 when no attempts are left; 503 when the site was published without the answers",
        None, {"201": _ok("QuizAttempt", "Created")}, ACTIVITY_ID + COHORT_Q,
        codes=(400, 401, 403, 404, 413, 429, 503))},
}

QUIZ_SCHEMAS = {
    "Quiz": {"type": "object", "properties": {
        "ok": {"type": "boolean"}, "activity": {"$ref": "#/components/schemas/Activity"}, "cohort_id": {"type": "string"},
        "attempts": {"type": "array", "items": _ATTEMPT}, "best": {"oneOf": [_ATTEMPT, {"type": "null"}]},
        "passed": {"type": "boolean"}, "attempts_left": {"oneOf": [{"type": "integer"}, {"type": "null"}]},
        "can_attempt": {"type": "boolean"}}},
    "QuizAttempt": {"allOf": [{"$ref": "#/components/schemas/Quiz"}, {"type": "object", "properties": {
        "attempt": _ATTEMPT,
        "feedback": {"type": "array", "items": {"type": "object", "properties": {
            "question_id": {"type": "string"}, "correct": {"type": "boolean"}, "explanation": {"type": "string"},
            "options": {"type": "array", "items": {"type": "object", "properties": {
                "id": {"type": "string"}, "feedback": {"type": "string"}}}}}}}}}]},
}
