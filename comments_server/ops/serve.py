"""Run the app under gunicorn (gthread workers) from Python, for `roundtable serve` and the bench."""

from __future__ import annotations

import re
from pathlib import Path

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

# one-time sign-in tokens and unsubscribe tokens ride in query strings (and so in Referer headers)
SECRET_QUERY = re.compile(r"((?:^|[?&;])token=)[^&;\s\"]+")


SERVING_FILE = "serving-at"  # in the instance folder: the root `roundtable serve` listens on, while it runs


def record_root(app, root):
    """Note where this server listens (for `roundtable login-link`); return a function that forgets it."""
    path = Path(app.instance_path) / SERVING_FILE
    path.write_text(root + "\n")

    def forget():
        if path.exists() and path.read_text().strip() == root:
            path.unlink()
    return forget


def recorded_root(app):
    """The root the running `roundtable serve` of this instance listens on, or "" when none recorded one."""
    path = Path(app.instance_path) / SERVING_FILE
    return path.read_text().strip() if path.exists() else ""


class RedactingLogger(Logger):
    """gunicorn's logger with sign-in and unsubscribe tokens cut out of the access log."""

    def atoms(self, resp, req, environ, request_time):
        """Return the access log's fields with every token value replaced by [redacted]."""
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "q", "f", "U"):
            if isinstance(atoms.get(key), str):
                atoms[key] = SECRET_QUERY.sub(r"\1[redacted]", atoms[key])
        return atoms


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
        return self.application


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
