"""Run the app under gunicorn (gthread workers) from Python, for `roundtable serve` and the bench."""

from __future__ import annotations

import os
import re
import socket
from pathlib import Path

import click

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from comments_server.web.errors import CLOSE_CONNECTION

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
            value = atoms.get(key)
            if isinstance(value, str) and "token=" in value:  # the plain test first: most lines hold none
                atoms[key] = SECRET_QUERY.sub(r"\1[redacted]", value)
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


# Threads per worker. CPU per request rises with threads (they take turns on the GIL), while a
# second thread lets a worker go on reading while one request waits for the write lock: measured
# with bench/spread.py (docs/architecture.md "Serving defaults").
THREADS = 2


def available_cpus():
    """Return the CPUs this process may run on (its affinity, which containers narrow), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def shape(workers=None, threads=None, *, cpus=None):
    """Return (workers, threads) for `roundtable serve`: one worker per CPU and THREADS each, unless given."""
    return workers or (cpus or available_cpus()), threads or THREADS


def own_listener(server, worker):
    """gunicorn post_fork: a listening socket of the worker's own on the same address (SO_REUSEPORT).

    All workers accepting on the one inherited socket race for each connection,
    and kept-alive connections stay with the winner: sometimes one worker got
    every connection of a load and the other none. With a socket per worker the
    kernel spreads new connections over them (by hash of the client's address and
    port); the inherited socket, which the master keeps open, is still accepted on
    too, so no connection waits on a socket nobody reads.
    """
    from gunicorn.sock import TCPSocket

    extra = []
    for listener in worker.sockets:
        if isinstance(listener, TCPSocket):  # TCP6Socket too; a unix socket has no port to share
            extra.append(type(listener)(listener.getsockname()[:2], server.cfg, server.log))
    worker.sockets = [*worker.sockets, *extra]


class PortTaken(click.ClickException):
    """The address `roundtable serve` was asked to listen on is in use."""


def refuse_taken(host, port):
    """Raise PortTaken when something listens on host:port already.

    SO_REUSEPORT (for the workers' own sockets) would otherwise let a second
    server bind the same port quietly and share its connections.
    """
    family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a closed server's TIME_WAIT is no owner
        try:
            probe.bind(address)
        except OSError as exc:
            raise PortTaken(f"Cannot listen on {host}:{port}: {exc.strerror}. Stop what serves there, "
                            "or choose another --port.") from None


def run(app, *, host, port, workers, threads, quiet=False):
    """Serve ``app`` until interrupted."""
    refuse_taken(host, port)
    options = {
        "bind": f"{host}:{port}", "workers": workers, "threads": threads,
        "worker_class": "gthread", "preload_app": True, "timeout": 60,
        "reuse_port": True, "post_fork": own_listener,
        "accesslog": None if quiet else "-", "errorlog": "-",
        "loglevel": "warning" if quiet else "info",
        "proc_name": "roundtable", "logger_class": RedactingLogger,
    }
    Server(app, options).run()
