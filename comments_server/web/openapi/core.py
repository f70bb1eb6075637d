"""The OpenAPI paths and schemas of sign-in, threads, comments, activities and the dashboard."""

from __future__ import annotations

from comments_server.web.openapi.parts import (
    COMMENT_BODY,
    COMMENT_ID,
    EMPTY_BODY,
    NEW_COMMENT,
    ROW_ID,
    _body,
    _errors,
    _json,
    _ok,
    _write,
)

PATHS = {
    "/api/session": {"get": {
        "summary": "The signed-in user (or null) and the CSRF token",
        "responses": {"200": _ok("Session")}}},
    "/api/auth/request-link": {"post": _write(
        "Mail a one-time sign-in link (202 whether or not the address is enrolled)",
        _body({"email": {"type": "string", "format": "email"}, "next": {"type": "string"}}, ["email"]),
        {"202": _ok("Ok", "Accepted")}, codes=(400, 403, 413, 429))},
    "/api/auth/redeem": {"post": _write(
        "Sign in with a one-time token; 404: no such link, 409: already used or expired",
        _body({"token": {"type": "string", "minLength": 1}}, ["token"]),
        {"200": _ok("Session")}, codes=(400, 403, 404, 409, 413, 429))},
    "/api/auth/logout": {"post": _write(
        "Sign out (a no-op when nobody is signed in)", EMPTY_BODY,
        {"200": _ok("Session")}, codes=(400, 403))},
    "/api/activities/{activity_id}/thread": {"get": {
        "summary": "The viewer's cohort thread of a roundtable activity, paged; ETag and 304",
        "parameters": [
            {"name": "activity_id", "in": "path", "required": True, "schema": {"type": "string"},
             "description": "catalog id, e.g. sales/discovery-calls/roundtable (slashes allowed)"},
            {"name": "cohort", "in": "query", "schema": {"type": "string"}},
            {"name": "after", "in": "query",
             "schema": {"type": "integer", "minimum": 0, "maximum": 2**62}},
            {"name": "limit", "in": "query",
             "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 100}},
            {"name": "If-None-Match", "in": "header", "schema": {"type": "string"}},
        ],
        "responses": {"200": _ok("ThreadPage"), "304": {"description": "Not modified"},
                      **_errors(400, 401, 404)}}},
    "/api/threads/counts": {"get": {
        "summary": "Comments per roundtable for an index page (the viewer's cohort of each); ETag and 304",
        "description": "Roundtables the viewer may not read (not in a cohort of the program, unknown, not a "
                       "roundtable) are absent, as a thread read would answer 404. A count is the comments "
                       "everyone in the cohort sees: neither deleted nor hidden.",
        "parameters": [
            {"name": "activities", "in": "query", "required": True,
             "schema": {"type": "string", "description": "comma-separated roundtable activity ids, at most 50"}},
            {"name": "If-None-Match", "in": "header", "schema": {"type": "string"}},
        ],
        "responses": {"200": _ok("ThreadCounts"), "304": {"description": "Not modified"},
                      **_errors(400, 401)}}},
    "/api/threads/{thread_id}/comments": {"post": _write(
        "Add a comment or reply", NEW_COMMENT,
        {"201": _ok("CommentResult", "Created")},
        [{"name": "thread_id", "in": "path", "required": True,
          "schema": {"oneOf": [ROW_ID, {"type": "string", "pattern": "^new\\."}]},
          "description": "a thread id, or the key a roundtable thread nobody posted to yet reads with"}])},
    "/api/comments/{comment_id}": {
        "patch": _write("Edit one's own comment", _body({"body": COMMENT_BODY}, ["body"]),
                        {"200": _ok("CommentResult")}, COMMENT_ID),
        "delete": _write("Delete a comment (author or admin); null when nothing is left to show",
                         EMPTY_BODY, {"200": _ok("CommentResult")}, COMMENT_ID),
    },
    "/api/comments/{comment_id}/hide": {"post": _write(
        "Hide or unhide a comment (coach of the cohort or admin)",
        _body({"hidden": {"type": "boolean"}}, ["hidden"]), {"200": _ok("CommentResult")},
        COMMENT_ID)},
    "/api/comments/{comment_id}/helpful": {"post": _write(
        "Mark a coach's reply helpful, or unmark it (learners)",
        _body({"helpful": {"type": "boolean"}}, ["helpful"]), {"200": _ok("CommentResult")},
        COMMENT_ID)},
    "/api/openapi.json": {"get": {
        "summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1",
                                                          "content": _json({"type": "object"})}}}},
}

STRING_OR_NULL = {"type": ["string", "null"]}

SCHEMAS = {
    "ThreadCounts": {"type": "object", "required": ["ok", "counts"], "properties": {
        "ok": {"const": True},
        "counts": {"type": "object", "description": "activity id -> its thread in the viewer's cohort",
                   "additionalProperties": {"type": "object", "required": ["cohort_id", "comments"], "properties": {
                       "cohort_id": {"type": "string"}, "comments": {"type": "integer", "minimum": 0}}}}}},
    "Error": {"type": "object", "required": ["ok", "error", "errors", "status"], "properties": {
        "ok": {"const": False}, "error": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "string"}}, "status": {"type": "integer"}}},
    "Ok": {"type": "object", "properties": {"ok": {"type": "boolean"}, "message": {"type": "string"}}},
    "User": {"type": "object", "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"}, "email": {"type": "string"},
        "admin": {"type": "boolean"}, "dashboard": {"type": "boolean", "description": "the dashboard has a desk "
                                                    "or figures for them (false: only a learner, see My progress)"},
        "memberships": {"type": "array", "items": {
            "type": "object", "properties": {
                "cohort_id": {"type": "string"}, "program_id": {"type": "string"},
                "role": {"enum": ["learner", "coach", "manager", "observer"]}}}}}},
    "Session": {"type": "object", "required": ["ok", "user", "csrf_token"], "properties": {
        "ok": {"type": "boolean"}, "csrf_token": {"type": "string"}, "next": {"type": "string"},
        "user": {"oneOf": [{"$ref": "#/components/schemas/User"}, {"type": "null"}]}}},
    "Comment": {"type": "object", "properties": {
        "id": {"type": "integer"}, "thread_id": {"type": "integer"},
        "parent_id": {"type": ["integer", "null"]},
        "author": {"oneOf": [{"type": "null"}, {"type": "object", "properties": {
            "id": {"type": "integer"}, "name": {"type": "string"},
            "badges": {"type": "array", "items": {"enum": ["learner", "coach", "manager", "admin"]}}}}]},
        "body_html": {"type": "string"}, "body": {"type": "string"},
        "created": {"type": "string"}, "edited": STRING_OR_NULL, "deleted": {"type": "boolean"},
        "hidden": {"type": "boolean"}, "is_question": {"type": "boolean"},
        "question_open": {"type": "boolean"}, "helpful_count": {"type": "integer"},
        "marked_helpful_by_me": {"type": "boolean"}, "revision": {"type": "string"},
        "outdated": {"type": "boolean"},
        "can": {"type": "object", "properties": {k: {"type": "boolean"} for k in (
            "edit", "delete", "hide", "mark_helpful", "reply")}}}},
    "CommentResult": {"type": "object", "properties": {
        "ok": {"type": "boolean"},
        "comment": {"oneOf": [{"$ref": "#/components/schemas/Comment"}, {"type": "null"}]}}},
    "ThreadPage": {"type": "object", "properties": {
        "ok": {"type": "boolean"},
        "thread": {"type": "object", "properties": {
            "id": {"type": ["integer", "string"]}, "activity_id": {"type": "string"},
            "cohort_id": {"type": "string"}, "prompt": {"type": "string"},
            "can_post": {"type": "boolean"},
            "module": {"type": "object", "properties": {k: {"type": "string"} for k in (
                "id", "title", "url", "content_hash")}}}},
        "comments": {"type": "array", "items": {"$ref": "#/components/schemas/Comment"}},
        "has_more": {"type": "boolean"}, "next_after": {"type": ["integer", "null"]}}},
}


# --------------------------------------------------------------------------- structured activities (issue 4)

ACTIVITY_ID = [{"name": "activity_id", "in": "path", "required": True, "schema": {"type": "string"},
                "description": "catalog id, e.g. sales/plan-a-call/plan (slashes allowed)"}]
COHORT_Q = [{"name": "cohort", "in": "query", "schema": {"type": "string"}}]
PLAN_ID = [{"name": "plan_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
PRESENTATION_ID = [{"name": "presentation_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
REVIEW_ID = [{"name": "review_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
TEXT = {"type": "string"}
WORKFLOW = (400, 401, 403, 404, 409, 413, 429)


def _read(summary, schema_ref, params, codes=(401, 404)):
    """Return a GET operation answering one of the component schemas."""
    return {"summary": summary, "parameters": list(params),
            "responses": {"200": _ok(schema_ref), **_errors(*codes)}}


def _plan_step(summary, body):
    """Return a plan workflow step (409 when taken out of order)."""
    return {"post": _write(summary, body, {"200": _ok("PlanResult")}, PLAN_ID, WORKFLOW)}


ACTIVITY_PATHS = {
    "/api/activities/{activity_id}/plan": {
        "get": _read("The viewer's own plan (null before the first save) and what they may do",
                     "PlanActivity", ACTIVITY_ID + COHORT_Q),
        "post": _write("Save the plan draft (editable until submitted, and when sent back)",
                      _body({"body": TEXT}, ["body"]), {"200": _ok("PlanResult")},
                      ACTIVITY_ID + COHORT_Q, WORKFLOW),
    },
    "/api/plans/{plan_id}": {"get": _read(
        "A plan: its owner, their manager, the cohort's coaches and admins; others 404",
        "PlanResult", PLAN_ID)},
    "/api/plans/{plan_id}/submit": _plan_step(
        "Submit the draft, optionally with the encounter time", _body({"encounter_at": TEXT}, [])),
    "/api/plans/{plan_id}/encounter": _plan_step(
        "Set or move when the encounter happens (ISO date or date-time)",
        _body({"encounter_at": TEXT}, ["encounter_at"])),
    "/api/plans/{plan_id}/debrief": _plan_step(
        "Submit the debrief of the encounter", _body({"body": TEXT}, ["body"])),
    "/api/plans/{plan_id}/feedback": _plan_step(
        "Feedback giver (manager or the module's feedback_from role) rates 1..rating_scale and comments",
        _body({"rating": {"type": "integer", "minimum": 1}, "comment": TEXT}, ["rating", "comment"])),
    "/api/plans/{plan_id}/revision": _plan_step(
        "Feedback giver asks for a revised plan before the encounter", _body({"comment": TEXT}, ["comment"])),
    "/api/plans/{plan_id}/comments": {"post": _write(
        "A coach (or the manager) comments on a submitted plan", _body({"body": TEXT}, ["body"]),
        {"201": _ok("PlanResult", "Created")}, PLAN_ID, WORKFLOW)},
    "/api/activities/{activity_id}/presentation": {
        "get": _read("The viewer's presentation, its feedback, and what they are to review "
                     "(coaches: the cohort's presentations)", "PresentationActivity", ACTIVITY_ID + COHORT_Q),
        "post": {**_write(
            "Submit a presentation: multipart field 'file' (pdf, pptx, odp, mp4, webm; checked by extension "
            "and content; at most ROUNDTABLE_MAX_UPLOAD_MB) or JSON {link}; reviewers are allocated at once",
            {"required": True, "content": {
                "multipart/form-data": {"schema": {"type": "object", "properties": {
                    "file": {"type": "string", "contentMediaType": "application/octet-stream"}},
                    "required": ["file"]}},
                **_json({"type": "object", "properties": {"link": TEXT}, "required": ["link"],
                         "additionalProperties": False})}},
            {"201": _ok("PresentationActivity", "Created")}, ACTIVITY_ID + COHORT_Q, WORKFLOW)},
    },
    "/api/presentations/{presentation_id}": {"get": _read(
        "One presentation: presenter, allocated reviewers, the cohort's coaches, admins",
        "PresentationResult", PRESENTATION_ID)},
    "/api/presentations/{presentation_id}/file": {"get": {
        "summary": "The uploaded file, as an attachment with nosniff (same people as above)",
        "parameters": PRESENTATION_ID,
        "responses": {"200": {"description": "The file", "content": {
            "application/octet-stream": {"schema": {"type": "string"}}}}, **_errors(401, 404)}}},
    "/api/presentations/{presentation_id}/reviews": {"post": _write(
        "Review: rubric scores 1..5 per criterion and a comment (allocated reviewers and coaches; never one's own)",
        _body({"scores": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1,
                                                                      "maximum": 5}},
               "comment": TEXT}, ["scores", "comment"]),
        {"201": _ok("ReviewResult", "Created")}, PRESENTATION_ID, WORKFLOW)},
    "/api/presentations/{presentation_id}/feedback": {"get": _read(
        "All reviews with averages per criterion (presenter, coaches, admins); names only if reviewers_named",
        "PresenterFeedback", PRESENTATION_ID)},
    "/api/reviews/{review_id}/helpfulness": {"post": _write(
        "The presenter rates how helpful a review was (1..5)",
        _body({"rating": {"type": "integer", "minimum": 1, "maximum": 5}}, ["rating"]),
        {"200": _ok("ReviewResult")}, REVIEW_ID)},
    "/api/progress": {"get": _read(
        "My progress: each program's modules with status and next step, feedback received; "
        "for managers and coaches their reports' progress and what waits for their feedback",
        "Progress", [], codes=(401,))},
    "/api/activities/{activity_id}/read": {
        "get": _read("Whether the viewer marked the module as read", "ReadState", ACTIVITY_ID + COHORT_Q),
        "post": _write("Mark the module as read (idempotent)", {"required": False, "content": _json(
            {"type": "object"})}, {"200": _ok("ReadState")}, ACTIVITY_ID + COHORT_Q),
    },
    "/api/activities/{activity_id}/reflection": {
        "get": _read("The viewer's reflection and the cohort's", "Reflections", ACTIVITY_ID + COHORT_Q),
        "post": _write("Post or edit the viewer's reflection", _body({"body": TEXT}, ["body"]),
                      {"200": _ok("Reflections")}, ACTIVITY_ID + COHORT_Q),
    },
}

_OBJ = {"type": "object"}
ACTIVITY_SCHEMAS = {
    "Activity": {"type": "object", "properties": {
        "id": TEXT, "kind": TEXT, "prompt": TEXT, "options": _OBJ, "module": _OBJ}},
    "Plan": {"type": "object", "properties": {
        "id": {"type": "integer"}, "activity_id": TEXT, "cohort_id": TEXT, "owner": _OBJ,
        "stage": {"enum": ["draft", "submitted", "revision_requested", "encounter_set",
                           "debrief_submitted", "feedback_given"]},
        "body": STRING_OR_NULL, "body_html": TEXT, "encounter_at": STRING_OR_NULL, "encounter_passed": {"type": "boolean"},
        "debrief": STRING_OR_NULL, "debrief_html": TEXT, "feedback": {"type": "array", "items": _OBJ},
        "steps": {"type": "array", "items": _OBJ}, "viewer_relation": TEXT}},
    "PlanResult": {"type": "object", "properties": {
        "ok": {"type": "boolean"}, "plan": {"$ref": "#/components/schemas/Plan"}, "can": _OBJ,
        "activity": {"$ref": "#/components/schemas/Activity"}}},
    "PlanActivity": {"type": "object", "properties": {
        "ok": {"type": "boolean"}, "activity": {"$ref": "#/components/schemas/Activity"}, "cohort_id": TEXT,
        "plan": {"oneOf": [{"$ref": "#/components/schemas/Plan"}, {"type": "null"}]}, "can": _OBJ,
        "waiting": {"type": "array", "items": _OBJ}, "cohort_plans": {"type": "array", "items": _OBJ}}},
    "Presentation": {"type": "object", "properties": {
        "id": {"type": "integer"}, "activity_id": TEXT, "cohort_id": TEXT, "owner": _OBJ, "stage": TEXT,
        "link": STRING_OR_NULL, "file": {"oneOf": [_OBJ, {"type": "null"}]},
        "reviews_target": {"type": "integer"}, "viewer_relation": TEXT}},
    "PresenterFeedback": {"type": "object", "properties": {
        "ok": {"type": "boolean"}, "feedback": {"type": "object", "properties": {
            "reviews": {"type": "array", "items": _OBJ}, "averages": _OBJ,
            "count": {"type": "integer"}, "target": {"type": "integer"}}}}},
    "PresentationActivity": {"type": "object", "properties": {
        "ok": {"type": "boolean"}, "activity": {"$ref": "#/components/schemas/Activity"}, "cohort_id": TEXT,
        "max_upload_mb": {"type": "number"},
        "submission": {"oneOf": [{"$ref": "#/components/schemas/Presentation"}, {"type": "null"}]},
        "feedback": {"oneOf": [_OBJ, {"type": "null"}]}, "to_review": {"type": "array", "items": _OBJ},
        "can": _OBJ, "cohort_presentations": {"type": "array", "items": _OBJ}}},
    "PresentationResult": {"type": "object", "properties": {
        "ok": {"type": "boolean"}, "presentation": {"$ref": "#/components/schemas/Presentation"},
        "rubric": {"type": "array", "items": TEXT}, "my_review": {"oneOf": [_OBJ, {"type": "null"}]},
        "can": _OBJ}},
    "ReviewResult": {"type": "object", "properties": {"ok": {"type": "boolean"}, "review": _OBJ}},
    "Progress": {"type": "object", "properties": {
        "ok": {"type": "boolean"}, "learner": _OBJ, "manager": _OBJ, "to_review": {"type": "array", "items": _OBJ}}},
    "ReadState": {"type": "object", "properties": {
        "ok": {"type": "boolean"}, "activity": {"$ref": "#/components/schemas/Activity"}, "cohort_id": TEXT,
        "read": {"type": "boolean"}, "read_at": STRING_OR_NULL,
        "by_work": {"type": "boolean", "description": "read counted from the module's work, not marked"}}},
    "Reflections": {"type": "object", "properties": {
        "ok": {"type": "boolean"}, "activity": {"$ref": "#/components/schemas/Activity"}, "cohort_id": TEXT,
        "mine": {"oneOf": [_OBJ, {"type": "null"}]}, "reflections": {"type": "array", "items": _OBJ}}},
}

PATHS.update(ACTIVITY_PATHS)
SCHEMAS.update(ACTIVITY_SCHEMAS)


# --------------------------------------------------------------------------- dashboard (issue 5)

DASH_COHORT = [{"name": "cohort_id", "in": "path", "required": True, "schema": {"type": "string"}}]
DASH_PROGRAM = [{"name": "program_id", "in": "path", "required": True, "schema": {"type": "string"}}]
DASH_EXPORT_Q = [
    {"name": "what", "in": "query", "schema": {"enum": ["matrix", "events"], "default": "matrix"}},
    {"name": "format", "in": "query", "schema": {"enum": ["csv", "xapi"], "default": "csv"}}]
DASH_CODES = (401, 403, 404)
DASHBOARD_PATHS = {
    "/api/dashboard": {"get": _read(
        "Programs and cohorts on the viewer's dashboard (403 for learners)", "DashboardOverview", (), (401, 403))},
    "/api/dashboard/cohorts/{cohort_id}": {"get": _read(
        "A cohort at a glance: learners x modules matrix, who needs attention and why, who is doing well",
        "DashboardCohort", DASH_COHORT, DASH_CODES)},
    "/api/dashboard/programs/{program_id}/health": {"get": _read(
        "Program health: per-module figures and revisions, funnel, participation, turnaround, rubric, hints; "
        "per quiz question the learners who attempted and the share right on their first and best attempt",
        "DashboardHealth", DASH_PROGRAM + COHORT_Q, DASH_CODES)},
    "/api/dashboard/queue": {"get": _read(
        "The viewer's to-do list (coach or manager), oldest first, each item with its key, age and URL; "
        "set_aside: the items dismissed or snoozed", "DashboardQueue", (), (401, 403))},
    "/api/dashboard/queue/dismiss": {"post": _write(
        "Hide a queue item until it changes (a new reply, stage, review or reason)", None,
        {"200": _ok("QueueMark")})},
    "/api/dashboard/queue/snooze": {"post": _write(
        "Hide a queue item until a day (after today, at most 90 days ahead; 409 for a day outside that, "
        "which depends on today's date)", None, {"200": _ok("QueueMark")}, codes=WORKFLOW)},
    "/api/dashboard/queue/restore": {"post": _write(
        "Put a dismissed or snoozed item back in the queue", None, {"200": _ok("Ok")})},
    "/api/dashboard/cohorts/{cohort_id}/learners/{user_id}": {"get": _read(
        "A learner's page: progress across the program and links to their plans, presentations, reflections "
        "and posts (their coaches, their manager, admins; 404 for everyone else)", "DashboardLearner",
        DASH_COHORT + [{"name": "user_id", "in": "path", "required": True, "schema": ROW_ID}], (401, 404))},
    "/api/dashboard/programs/{program_id}/cohorts": {"get": _read(
        "Every cohort of a program side by side (admins and observers)", "DashboardProgramCohorts",
        DASH_PROGRAM, DASH_CODES)},
    "/api/dashboard/cohorts/{cohort_id}/export": {"get": {
        "summary": "Download the matrix (CSV) or the events (CSV, or xAPI 1.0.3 statements as a JSON array)",
        "parameters": DASH_COHORT + DASH_EXPORT_Q,
        "responses": {"200": {"description": "A file", "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/json": {"schema": {"type": "array", "items": {"type": "object"}}}}},
            **_errors(400, *DASH_CODES)}}},
}
DASHBOARD_SCHEMAS = {
    "DashboardOverview": {"type": "object", "properties": {
        "ok": {"type": "boolean"}, "today": TEXT, "programs": {"type": "array", "items": _OBJ},
        "queue": {"type": "boolean", "description": "the viewer has a to-do list (GET /api/dashboard/queue)"},
        "queue_role": {"enum": ["coach", "manager"]}, "program_cohorts": {"type": "boolean"},
        "statuses": {"type": "array", "items": TEXT}}},
    "DashboardCohort": {"type": "object", "properties": {
        "ok": {"type": "boolean"}, "cohort": _OBJ, "today": TEXT, "limited_to_reports": {"type": "boolean"},
        "matrix": {"type": "object", "properties": {
            "modules": {"type": "array", "items": _OBJ}, "rows": {"type": "array", "items": _OBJ},
            "counts": _OBJ}},
        "attention": {"type": "array", "items": _OBJ}, "doing_well": {"type": "array", "items": _OBJ}}},
    "DashboardHealth": {"type": "object", "properties": {
        "ok": {"type": "boolean"}, "program": _OBJ, "cohorts": {"type": "array", "items": TEXT},
        "today": TEXT, "settings": _OBJ, "health": _OBJ,
        "quiz_questions": {"type": "array", "description": "most missed on the first attempt first", "items": {
            "type": "object", "properties": {
                "activity_id": TEXT, "module_title": TEXT, "question_id": TEXT, "number": {"type": "integer"},
                "text": TEXT, "learners": {"type": "integer"},
                "first_right": {"oneOf": [{"type": "number"}, {"type": "null"}]},
                "best_right": {"oneOf": [{"type": "number"}, {"type": "null"}]}}}}}},
    "DashboardQueue": {"type": "object", "properties": {
        "ok": {"type": "boolean"}, "today": TEXT,
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/QueueItem"}},
        "set_aside": {"type": "array", "items": {"$ref": "#/components/schemas/QueueItem"}}}},
    "QueueItem": {"type": "object", "required": ["kind", "key", "url"], "properties": {
        "kind": {"enum": ["open_question", "unanswered_post", "presentation_short", "plan_waiting",
                          "learner_attention"]},
        "key": {"type": "string", "description": "stable while the item exists: kind:cohort:ref"},
        "ref": {"type": "integer"}, "cohort_id": TEXT, "since": STRING_OR_NULL,
        "age_days": {"type": ["integer", "null"]}, "who": TEXT, "title": TEXT,
        "url": {"type": "string", "format": "uri", "description": "absolute; opens the item itself"},
        "set_aside": {"type": "object", "properties": {"action": {"enum": ["dismiss", "snooze"]},
                                                       "until": STRING_OR_NULL}}}},
    "QueueMark": {"type": "object", "properties": {
        "ok": {"type": "boolean"}, "item": {"$ref": "#/components/schemas/QueueItem"}, "set_aside": _OBJ}},
    "DashboardLearner": {"type": "object", "properties": {
        "ok": {"type": "boolean"}, "cohort": _OBJ, "today": TEXT, "learner": _OBJ,
        "completed": {"type": "integer"}, "overdue": {"type": "integer"}, "of": {"type": "integer"},
        "attention": {"type": "array", "items": _OBJ},
        "modules": {"type": "array", "items": {"type": "object", "properties": {
            "id": TEXT, "title": TEXT, "url": TEXT, "due": STRING_OR_NULL, "status": STRING_OR_NULL,
            "work": {"type": "array", "items": {"$ref": "#/components/schemas/LearnerWork"}}}}},
        "other_posts": {"type": "array", "items": {"$ref": "#/components/schemas/LearnerWork"}}}},
    "LearnerWork": {"type": "object", "properties": {
        "kind": {"enum": ["plan", "presentation", "post", "reply", "question", "reflection", "blog_post"]},
        "id": {"type": "integer"}, "at": TEXT, "title": TEXT, "status": STRING_OR_NULL,
        "url": {"type": "string", "format": "uri"}}},
    "DashboardProgramCohorts": {"type": "object", "properties": {
        "ok": {"type": "boolean"}, "program": _OBJ, "today": TEXT, "cohorts": {"type": "array", "items": _OBJ}}},
}
PATHS.update(DASHBOARD_PATHS)
SCHEMAS.update(DASHBOARD_SCHEMAS)
