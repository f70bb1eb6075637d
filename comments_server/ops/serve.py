"""Run the app under granian (HTTP in Rust, the app on Python threads) for `roundtable serve` and the bench."""

from __future__ import annotations

import logging
import os
import re
import socket
import sys
from pathlib import Path

import click
from granian import Granian
from granian.constants import Interfaces
from granian.log import LogLevels

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


class RedactTokens(logging.Filter):
    """Cut sign-in and unsubscribe tokens out of an access-log record; give it a ``target`` (path?query)."""

    def filter(self, record):
        fields = record.args
        if isinstance(fields, dict):
            query = fields.get("query_string") or ""
            fields["target"] = f"{fields.get('path', '')}?{query}" if query else fields.get("path", "")
            for key, value in fields.items():
                if isinstance(value, str) and "token=" in value:  # the plain test first: most lines hold none
                    fields[key] = SECRET_QUERY.sub(r"\1[redacted]", value)
        return True


# The combined log format operators know (as gunicorn wrote it), with the time taken.
ACCESS_FORMAT = ('%(addr)s - - [%(time)s] "%(method)s %(target)s %(protocol)s" %(status)d '
                 '"%(header{referer})s" "%(header{user-agent})s" %(dt_ms).1fms')


def logging_config(quiet):
    """granian's logging: its messages on stderr, the access log (tokens redacted) on stdout unless quiet."""
    return {
        "version": 1, "disable_existing_loggers": False,
        "filters": {"redact": {"()": RedactTokens}},
        "formatters": {"plain": {"format": "[%(asctime)s] [%(levelname)s] %(message)s"},
                       "access": {"format": "%(message)s"}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"},
            "access": {"class": "logging.StreamHandler", "formatter": "access", "stream": "ext://sys.stdout",
                       "filters": ["redact"]}},
        "loggers": {
            "_granian": {"handlers": ["console"], "level": "WARNING" if quiet else "INFO", "propagate": False},
            "granian.access": {"handlers": ["access"], "level": "INFO", "propagate": False}},
    }


def closing_when_asked(app):
    """Wrap a WSGI app so that an answer marked ``CLOSE_CONNECTION`` says ``Connection: close``.

    A 413 leaves the body unread, so the connection cannot carry another
    request: the client is told so, and the server closes it after the answer.
    """

    def wrapped(environ, start_response):
        def start(status, headers, exc_info=None):
            if environ.get(CLOSE_CONNECTION):
                headers = [(k, v) for k, v in headers if k.lower() != "connection"] + [("Connection", "close")]
            return start_response(status, headers, exc_info)

        return app(environ, start)

    return wrapped


# How long a thread may keep the GIL while another waits for it (Python's default: 5 ms). A request
# back from SQLite (which lets go of the GIL for every statement) waited up to that long for it, the
# write lock held all the while: at 1 ms posts went 633-667 -> 723-758 per s and the read p99 at 64
# connections 53-57 -> 43-55 ms (bench/peer.py runs minutes apart, 2 workers x 2 threads, quiet machine).
GIL_SWITCH_SECONDS = 0.001

# How long a stopping worker may finish its requests in flight before it is killed.
WORKER_STOP_SECONDS = 30


class PortTaken(click.ClickException):
    """The address `roundtable serve` was asked to listen on is in use."""


def refuse_taken(host, port):
    """Raise PortTaken, with what to do, when something listens on host:port already."""
    family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a closed server's TIME_WAIT is no owner
        try:
            probe.bind(address)
        except OSError as exc:
            raise PortTaken(f"Cannot listen on {host}:{port}: {exc.strerror}. Stop what serves there, "
                            "or choose another --port.") from None


def run(app, *, host, port, workers, threads, quiet=False):
    """Serve ``app`` with granian until interrupted: ``workers`` processes forked from this one (the app
    already created), each parsing HTTP in Rust and running the app on ``threads`` Python threads."""
    refuse_taken(host, port)
    server = Granian(
        "comments_server", address=host, port=port, interface=Interfaces.WSGI,
        workers=workers, blocking_threads=threads, runtime_threads=1, websockets=False,
        log_level=LogLevels.warning if quiet else LogLevels.info, log_dictconfig=logging_config(quiet),
        log_access=not quiet, log_access_format=ACCESS_FORMAT,
        respawn_failed_workers=True, workers_kill_timeout=WORKER_STOP_SECONDS, process_name="roundtable")
    server.serve(target_loader=worker_app(app))  # forked workers inherit the app: no second start


# Names a WSGI environ uses for the request itself (CGI's): granian starts every request's environ
# from the worker's process environment, so a variable of one of these names would read as part of
# every request (HTTP_COOKIE as a cookie the client never sent).
REQUEST_NAMES = re.compile(r"HTTP_|CONTENT_(TYPE|LENGTH)$|REMOTE_|SERVER_|REQUEST_|PATH_INFO$|QUERY_STRING$|"
                           r"SCRIPT_NAME$|wsgi\.")


def worker_app(app):
    """Return granian's loader of the app in a worker: the environment cleared of request names, 413s closing."""

    def load(_target):
        for name in [n for n in os.environ if REQUEST_NAMES.match(n)]:
            del os.environ[name]  # this worker's only: serve's own process and the mail worker keep them
        sys.setswitchinterval(GIL_SWITCH_SECONDS)
        return closing_when_asked(app)

    return load
