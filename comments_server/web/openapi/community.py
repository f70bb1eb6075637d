"""The OpenAPI paths and schemas of the community tools (forums, blogs, wiki, ask the author, search)."""

from __future__ import annotations

from comments_server.web.openapi.parts import (
    EMPTY_BODY,
    ROW_ID,
    _body,
    _errors,
    _ok,
    _write,
)

TEXT = {"type": "string"}
BOOL = {"type": "boolean"}
INT = {"type": "integer"}
OBJ = {"type": "object"}
NULLABLE_TEXT = {"type": ["string", "null"]}


def _p(name, kind=TEXT, where="path", description=""):
    """Return one parameter."""
    param = {"name": name, "in": where, "required": where == "path", "schema": kind}
    return {**param, "description": description} if description else param


def _get(summary, ref, params=(), codes=(401, 404)):
    """Return a GET operation answering a component schema."""
    return {"summary": summary, "parameters": list(params), "responses": {"200": _ok(ref), **_errors(*codes)}}


BOARD = [_p("board_id", description="'everyone' or a program id")]
TOPIC = [_p("topic_id", ROW_ID)]
POST = [_p("post_id", ROW_ID)]
# a page name is what wikitext.slugify keeps: words (any script, no underscore) joined by single dashes
SLUG = {"type": "string", "maxLength": 120, "pattern": "^[^\\W_]+(-[^\\W_]+)*$"}
# 409: a cohort the author is not in (or a cohort audience for someone in none)
AUDIENCE_CODES = (400, 401, 403, 404, 409, 413, 429)
PAGE = [_p("program_id"), _p("slug", SLUG, description="page name, e.g. Objection-library")]
MODULE = [_p("module_id", description="catalog id, e.g. sales/discovery-calls (slashes allowed)")]
QUESTION = [_p("question_id", ROW_ID)]
PAGING = [_p("after", INT, "query"), _p("limit", INT, "query")]
SUBSCRIBE = _body({"subscribed": BOOL}, ["subscribed"])
WIKI_WRITE = (400, 401, 403, 404, 409, 413, 429)

COMMUNITY_PATHS = {
    "/api/forums/boards": {"get": _get("Boards the viewer may read: everyone's, then one per program",
                                       "Boards", codes=(401,))},
    "/api/forums/boards/{board_id}": {"get": _get("A board and its topics (pinned first) with unread markers",
                                                  "BoardPage", BOARD)},
    "/api/forums/boards/{board_id}/topics": {"post": _write(
        "Start a topic", _body({"title": TEXT, "body": TEXT}, ["title", "body"]),
        {"201": _ok("TopicResult", "Created")}, BOARD)},
    "/api/forums/boards/{board_id}/subscription": {"post": _write(
        "Follow a board or stop following it", SUBSCRIBE, {"200": _ok("Ok")}, BOARD)},
    "/api/forums/topics/{topic_id}": {
        "get": _get("A topic with a page of its replies (replies: POST /api/threads/{thread_id}/comments)",
                    "TopicPage", TOPIC + PAGING, codes=(400, 401, 404)),
        "patch": _write("Edit one's own topic", _body({"title": TEXT, "body": TEXT}, []),
                        {"200": _ok("TopicResult")}, TOPIC),
        "delete": _write("Delete a topic (author or admin)", EMPTY_BODY, {"200": _ok("TopicResult")}, TOPIC),
    },
    "/api/forums/topics/{topic_id}/moderate": {"post": _write(
        "Pin, lock or move a topic (coaches of the program, admins)",
        _body({"pinned": BOOL, "locked": BOOL, "board": TEXT}, []), {"200": _ok("TopicResult")}, TOPIC)},
    "/api/forums/topics/{topic_id}/subscription": {"post": _write(
        "Follow a topic or stop following it", SUBSCRIBE, {"200": _ok("TopicResult")}, TOPIC)},
    "/api/forums/topics/{topic_id}/read": {"post": _write(
        "Move the viewer's unread marker to the newest reply", EMPTY_BODY, {"200": _ok("TopicResult")}, TOPIC)},
    "/api/forums/subscriptions": {"get": _get("The boards and topics the viewer follows", "Subscriptions",
                                              codes=(401,))},
    "/api/blogs": {"get": _get("People with posts the viewer may read, and the newest posts",
                               "Blogs", [_p("limit", INT, "query")], codes=(400, 401))},
    "/api/blogs/people/{user_id}": {"get": _get("One person's blog: their posts the viewer may read",
                                                "PostList", [_p("user_id", ROW_ID)])},
    "/api/blogs/recent": {"get": _get("A program's recent posts the viewer may read (program page)",
                                      "PostList", [_p("program", TEXT, "query"), _p("limit", INT, "query")],
                                      codes=(400, 401, 404))},
    "/api/blogs/posts": {"post": _write(
        "Publish a post (visibility cohort, program or everyone; cohort defaults to the author's first)",
        _body({"title": TEXT, "body": TEXT, "visibility": {"enum": ["cohort", "program", "everyone"]},
               "cohort": TEXT}, ["title", "body"]), {"201": _ok("PostResult", "Created")},
        codes=AUDIENCE_CODES)},
    "/api/blogs/posts/{post_id}": {
        "get": _get("A post with a page of its comments (comment: POST /api/threads/{thread_id}/comments)",
                    "PostPage", POST + PAGING, codes=(400, 401, 404)),
        "patch": _write("Edit one's own post (a reflection's text is edited on its module)",
                        _body({"title": TEXT, "body": TEXT, "visibility": TEXT, "cohort": TEXT}, []),
                        {"200": _ok("PostResult")}, POST, codes=AUDIENCE_CODES),
        "delete": _write("Delete a post (author or admin)", EMPTY_BODY, {"200": _ok("PostResult")}, POST),
    },
    "/api/wiki": {"get": _get("The wikis the viewer may read", "Wikis", codes=(401,))},
    "/api/wiki/{program_id}/pages": {"get": _get("A wiki's pages", "WikiPages", [_p("program_id")])},
    "/api/wiki/{program_id}/pages/{slug}": {
        "get": _get("A page: Markdown, HTML ([[links]] resolved), revision, permissions", "WikiPage", PAGE),
        "post": _write(
            "Save a new revision from base_revision (0 creates the page). 409 when the page moved on: "
            "the body then carries `current` (the page now) and `your_text` (what was sent)",
            _body({"body": TEXT, "base_revision": INT, "title": TEXT, "note": TEXT}, ["body", "base_revision"]),
            {"200": _ok("WikiPage"), "201": _ok("WikiPage", "Created")}, PAGE, WIKI_WRITE)},
    "/api/wiki/{program_id}/pages/{slug}/history": {"get": _get(
        "Every revision, newest first, with author and time", "WikiHistory", PAGE)},
    "/api/wiki/{program_id}/pages/{slug}/revisions/{number}": {"get": _get(
        "The text of one revision", "WikiRevision", PAGE + [_p("number", ROW_ID)])},
    "/api/wiki/{program_id}/pages/{slug}/diff": {"get": _get(
        "Line diff between two revisions (difflib)", "WikiDiff",
        PAGE + [_p("from", INT, "query"), _p("to", INT, "query")], codes=(400, 401, 404))},
    "/api/wiki/{program_id}/pages/{slug}/revert": {"post": _write(
        "Save an old revision as the newest (409 if base_revision is stale)",
        _body({"revision": INT, "base_revision": INT}, ["revision", "base_revision"]),
        {"200": _ok("WikiPage")}, PAGE, WIKI_WRITE)},
    "/api/wiki/{program_id}/pages/{slug}/protect": {"post": _write(
        "Protect a page (only coaches and admins edit it) or open it again",
        _body({"protected": BOOL}, ["protected"]), {"200": _ok("WikiPage")}, PAGE)},
    "/api/modules/{module_id}/authors": {"get": _get(
        "A module's authors, whether the viewer may ask, and the questions they may see", "ModuleAuthors",
        MODULE)},
    "/api/modules/{module_id}/questions": {"post": _write(
        "Ask the module's authors privately (asker, authors, the cohort's coaches and admins see it)",
        _body({"body": TEXT, "title": TEXT}, ["body"]), {"201": _ok("QuestionResult", "Created")}, MODULE)},
    "/api/questions": {"get": _get("Every question the viewer may see", "QuestionList", codes=(401,))},
    "/api/questions/{question_id}": {"get": _get(
        "A question with its thread (answers: POST /api/threads/{thread_id}/comments)", "QuestionPage",
        QUESTION + PAGING, codes=(400, 401, 404))},
    "/api/questions/{question_id}/publish": {"post": _write(
        "An author publishes the question and the authors' answers to the module's roundtable, every cohort",
        EMPTY_BODY, {"200": _ok("QuestionResult")}, QUESTION, WIKI_WRITE)},
    "/api/search": {"get": _get(
        "Full-text search over forums, blogs and wiki, only what the viewer may read; snippets mark hits "
        "between \\u0002 and \\u0003", "SearchResults", [_p("q", TEXT, "query"), _p("limit", INT, "query")],
        codes=(400, 401))},
}


def _list(name, ref):
    """Return an object schema {ok, name: [ref]}."""
    return {"type": "object", "properties": {
        "ok": BOOL, name: {"type": "array", "items": {"$ref": f"#/components/schemas/{ref}"}}}}


def _with_thread(name, ref):
    """Return an object schema {ok, name: ref, thread, comments, has_more, next_after}."""
    return {"type": "object", "properties": {
        "ok": BOOL, name: {"$ref": f"#/components/schemas/{ref}"}, "thread": OBJ,
        "comments": {"type": "array", "items": {"$ref": "#/components/schemas/Comment"}},
        "has_more": BOOL, "next_after": {"type": ["integer", "null"]}}}


COMMUNITY_SCHEMAS = {
    "Board": {"type": "object", "properties": {
        "id": TEXT, "program_id": NULLABLE_TEXT, "title": TEXT, "can_post": BOOL, "moderator": BOOL,
        "topic_count": INT, "unread_topics": INT, "subscribed": BOOL}},
    "Boards": _list("boards", "Board"),
    "Topic": {"type": "object", "properties": {
        "id": INT, "board": TEXT, "thread_id": INT, "title": TEXT, "body_html": TEXT, "body": TEXT,
        "author": OBJ, "created": TEXT, "edited": NULLABLE_TEXT, "last_activity": TEXT, "pinned": BOOL,
        "locked": BOOL, "reply_count": INT, "unread_count": INT, "unread": BOOL, "subscribed": BOOL,
        "can": OBJ}},
    "BoardPage": {"type": "object", "properties": {
        "ok": BOOL, "board": {"$ref": "#/components/schemas/Board"},
        "topics": {"type": "array", "items": {"$ref": "#/components/schemas/Topic"}}}},
    "TopicResult": {"type": "object", "properties": {
        "ok": BOOL, "topic": {"oneOf": [{"$ref": "#/components/schemas/Topic"}, {"type": "null"}]}}},
    "TopicPage": _with_thread("topic", "Topic"),
    "Subscriptions": {"type": "object", "properties": {"ok": BOOL, "subscriptions": {
        "type": "array", "items": {"type": "object", "properties": {
            "board": NULLABLE_TEXT, "topic_id": {"type": ["integer", "null"]}, "created": TEXT}}}}},
    "Post": {"type": "object", "properties": {
        "id": INT, "thread_id": INT, "title": TEXT, "body_html": TEXT, "body": TEXT, "author": OBJ,
        "visibility": {"enum": ["cohort", "program", "everyone"]}, "cohort_id": NULLABLE_TEXT,
        "program_id": NULLABLE_TEXT, "module": {"oneOf": [OBJ, {"type": "null"}]}, "reflection": BOOL,
        "created": TEXT, "edited": NULLABLE_TEXT, "comment_count": INT, "can": OBJ}},
    "PostList": _list("posts", "Post"),
    "Blogs": {"type": "object", "properties": {
        "ok": BOOL, "bloggers": {"type": "array", "items": OBJ}, "cohorts": {"type": "array", "items": OBJ},
        "posts": {"type": "array", "items": {"$ref": "#/components/schemas/Post"}}}},
    "PostResult": {"type": "object", "properties": {
        "ok": BOOL, "post": {"oneOf": [{"$ref": "#/components/schemas/Post"}, {"type": "null"}]}}},
    "PostPage": _with_thread("post", "Post"),
    "Wikis": {"type": "object", "properties": {"ok": BOOL, "wikis": {"type": "array", "items": OBJ}}},
    "WikiPages": {"type": "object", "properties": {
        "ok": BOOL, "wiki": OBJ, "pages": {"type": "array", "items": OBJ}}},
    "WikiPage": {"type": "object", "properties": {"ok": BOOL, "page": {"type": "object", "properties": {
        "program_id": TEXT, "slug": TEXT, "title": TEXT, "body": TEXT, "body_html": TEXT, "revision": INT,
        "protected": BOOL, "created": TEXT, "updated": TEXT, "updated_by": TEXT, "can": OBJ}}}},
    "WikiHistory": {"type": "object", "properties": {
        "ok": BOOL, "page": OBJ, "revisions": {"type": "array", "items": OBJ}}},
    "WikiRevision": {"type": "object", "properties": {"ok": BOOL, "revision": OBJ}},
    "WikiDiff": {"type": "object", "properties": {
        "ok": BOOL, "from": INT, "to": INT, "lines": {"type": "array", "items": {
            "type": "object", "properties": {"op": {"enum": [" ", "-", "+", "@"]}, "text": TEXT}}}}},
    "Question": {"type": "object", "properties": {
        "id": INT, "thread_id": INT, "title": TEXT, "module": OBJ, "learner": OBJ,
        "cohort_id": NULLABLE_TEXT, "created": TEXT, "published": NULLABLE_TEXT, "comment_count": INT,
        "can": OBJ}},
    "QuestionList": _list("questions", "Question"),
    "QuestionResult": {"type": "object", "properties": {
        "ok": BOOL, "question": {"$ref": "#/components/schemas/Question"}}},
    "QuestionPage": _with_thread("question", "Question"),
    "ModuleAuthors": {"type": "object", "properties": {
        "ok": BOOL, "module": OBJ, "authors": {"type": "array", "items": OBJ}, "is_author": BOOL,
        "can_ask": BOOL, "questions": {"type": "array", "items": {"$ref": "#/components/schemas/Question"}}}},
    "SearchResults": {"type": "object", "properties": {
        "ok": BOOL, "query": TEXT, "results": {"type": "array", "items": {"type": "object", "properties": {
            "kind": {"enum": ["topic", "post", "wiki", "comment"]}, "title": TEXT, "snippet": TEXT}}}}},
}
