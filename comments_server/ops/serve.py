"""Run the app under gunicorn (gthread workers) from Python, for `roundtable serve` and the bench."""

from __future__ import annotations

import re

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from comments_server.web.errors import CLOSE_CONNECTION

# one-time sign-in tokens and unsubscribe tokens ride in query strings (and so in Referer headers)
SECRET_QUERY = re.compile(r"((?:^|[?&;])token=)[^&;\s\"]+")


class RedactingLogger(Logger):
    """gunicorn's logger with sign-in and unsubscribe tokens cut out of the access log."""

    def atoms(self, resp, req, environ, request_time):
        """Return the access log's fields with every token value replaced by [redacted]."""
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "q", "f", "U"):
            if isinstance(atoms.get(key), str):
                atoms[key] = SECRET_QUERY.sub(r"\1[redacted]", atoms[key])
        return atoms


def closing_when_asked(app):
    """Wrap a WSGI app so that an answer marked ``CLOSE_CONNECTION`` says ``Connection: close`` and closes.

    gunicorn drops an application's own ``Connection`` header (hop-by-hop) and
    answers ``keep-alive``; when the app left a large body unread (a 413),
    gunicorn then gives up draining it and closes the socket anyway, so the
    client was told keep-alive and saw the connection vanish. gunicorn's
    ``start_response`` is a method of its response object, whose
    ``force_close()`` makes the headers say ``close`` and ends the connection.
    """

    def wrapped(environ, start_response):
        def start(status, headers, exc_info=None):
            response = getattr(start_response, "__self__", None)
            if environ.get(CLOSE_CONNECTION) and hasattr(response, "force_close"):
                response.force_close()
            return start_response(status, headers, exc_info)

        return app(environ, start)

    return wrapped


class Server(BaseApplication):
    """A gunicorn application around an already-created Flask app (preloaded, then forked)."""

    def __init__(self, app, options):
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self):
        """Pass our options to gunicorn's settings."""
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        """Return the WSGI app."""
        return closing_when_asked(self.application)


def run(app, *, host, port, workers, threads, quiet=False):
    """Serve ``app`` until interrupted."""
    options = {
        "bind": f"{host}:{port}", "workers": workers, "threads": threads,
        "worker_class": "gthread", "preload_app": True, "timeout": 60,
        "accesslog": None if quiet else "-", "errorlog": "-",
        "loglevel": "warning" if quiet else "info",
        "proc_name": "roundtable", "logger_class": RedactingLogger,
    }
    Server(app, options).run()
