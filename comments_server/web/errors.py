"""One JSON error shape for everything under /api: {"ok": false, "error", "errors", "status"}."""

from __future__ import annotations

import errno

from flask import jsonify, request
from limits.errors import StorageError
from werkzeug.exceptions import HTTPException, InternalServerError

from comments_server.access.rules import Refused
from comments_server.store.db import DatabaseGone, DatabaseReadOnly

MESSAGES = {
    401: "Sign in to join the discussion.",
    404: "Not found.",
    405: "Method not allowed.",
    413: "The request body is too large.",
    429: "Too many requests: slow down and try again shortly.",
    500: "Something went wrong on the server. It has been logged.",
}


# Set in the WSGI environ when the answer must end the connection (a 413: the body was left unread);
# ops/serve.py then answers ``Connection: close`` and the server ends the connection.
CLOSE_CONNECTION = "roundtable.close_connection"


class ApiError(HTTPException):
    """An HTTP error with one or more messages for the user, raised from views and helpers."""

    def __init__(self, status, *messages, headers=None):
        super().__init__()
        self.code = status
        self.messages = list(messages) or [MESSAGES.get(status, "Error.")]
        self.description = "; ".join(self.messages)
        self.extra_headers = dict(headers or {})  # e.g. Retry-After on a 429

    def get_headers(self, environ=None, scope=None):
        """Return the response headers, with any this error adds."""
        return [*super().get_headers(environ, scope), *self.extra_headers.items()]


def error_body(messages, status):
    """Return the canonical error body used by every JSON error response."""
    return {"ok": False, "error": "; ".join(messages), "errors": list(messages), "status": status}


def _messages(exc):
    """Pick the user-facing messages of an HTTP exception."""
    if isinstance(exc, ApiError):
        return exc.messages
    if exc.code == 429:
        return [f"Too many requests: the limit is {exc.description}. Try again shortly."]
    if exc.code in MESSAGES and (exc.code >= 500 or not _custom(exc)):
        return [MESSAGES[exc.code]]
    return [exc.description]


def _custom(exc):
    """Tell whether an exception carries a description other than werkzeug's default."""
    return exc.description != type(exc).description


def handle_http_error(exc):
    """Answer an HTTP error as JSON under /api, keeping its headers (Allow, Retry-After)."""
    if exc.code == 413:  # the body was not read: the connection cannot carry another request
        request.environ[CLOSE_CONNECTION] = True
    if not request.path.startswith("/api"):
        return exc
    response = exc.get_response()
    response.set_data(jsonify(error_body(_messages(exc), exc.code)).get_data())
    response.content_type = "application/json"
    return response


def handle_unexpected(exc):
    """Log an unexpected exception and answer 500 in the JSON shape under /api."""
    if isinstance(exc, HTTPException):
        return handle_http_error(exc)
    from flask import current_app

    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    return handle_http_error(InternalServerError())


UNAVAILABLE = "The server cannot save anything right now: {why}. An administrator has been told; try again later."


def _unavailable(exc, why):
    """Log the operator's message (path and fix) and answer 503 with the person's."""
    from flask import current_app

    current_app.logger.critical(str(exc))
    return handle_http_error(ApiError(503, UNAVAILABLE.format(why=why)))


def handle_database_gone(exc):
    """Answer 503 when the database file is gone: say so, and write nothing."""
    return _unavailable(exc, "its database is missing")


def handle_read_only(exc):
    """Answer 503 when the database, its folder or the uploads folder became read-only."""
    return _unavailable(exc, "its data folder is read-only")


def handle_os_error(exc):
    """A file the server could not write (uploads in a read-only folder) is a 503; anything else a 500."""
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return handle_read_only(DatabaseReadOnly(f"{exc.filename or 'a file'} cannot be written: {exc.strerror}. "
                                                 "Make the instance folder writable for the server's user."))
    return handle_unexpected(exc)


def handle_limits_unreachable(exc):
    """Answer 503 when the rate-limit counters cannot be reached (Redis down): limits are not skipped."""
    from flask import current_app

    current_app.logger.error("Rate-limit storage unreachable: %s", exc)
    return handle_http_error(ApiError(503, "The server cannot check its rate limits right now (their store does "
                                           "not answer). Nothing was changed; try again in a minute.",
                                      headers={"Retry-After": "30"}))


def _limit_store_errors():
    """What the rate-limit store raises when it cannot be reached: Redis's connection errors when the client is
    installed (RATELIMIT_STORAGE_URI=redis://...), and the ``limits`` library's own wrapper."""
    try:
        from redis.exceptions import ConnectionError as RedisDown, TimeoutError as RedisSlow
    except ImportError:
        return (StorageError,)
    return (StorageError, RedisDown, RedisSlow)


def handle_refused(exc):
    """Answer an access refusal (404 out of sight, 403 not allowed) in the JSON shape."""
    return handle_http_error(ApiError(exc.status, exc.message))


def init_app(app):
    """Register the JSON error handlers."""
    app.register_error_handler(Refused, handle_refused)
    app.register_error_handler(DatabaseGone, handle_database_gone)
    for unreachable in _limit_store_errors():
        app.register_error_handler(unreachable, handle_limits_unreachable)
    app.register_error_handler(DatabaseReadOnly, handle_read_only)
    app.register_error_handler(OSError, handle_os_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
