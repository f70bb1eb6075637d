"""`roundtable serve` sizes itself from the machine (issue 14): a worker per CPU it may use, THREADS threads each,
unless told otherwise."""

from __future__ import annotations

import socket

import pytest
from click.testing import CliRunner

from comments_server.ops import serve as serving
from comments_server.ops import sizing
from comments_server.ops.cli import commands


@pytest.mark.parametrize("cpus", [1, 2, 8])
def test_one_worker_per_cpu_by_default(cpus):
    assert sizing.shape(cpus=cpus) == (cpus, sizing.THREADS)


def test_what_the_operator_says_wins():
    assert sizing.shape(3, 5, cpus=16) == (3, 5)
    assert sizing.shape(None, 1, cpus=4) == (4, 1)


def test_the_cpus_are_the_ones_this_process_may_use(monkeypatch):
    monkeypatch.setattr(sizing.os, "sched_getaffinity", lambda pid: {0, 3, 5}, raising=False)
    monkeypatch.setattr(sizing.os, "cpu_count", lambda: 64)
    assert sizing.available_cpus() == 3


@pytest.fixture
def started(app, monkeypatch):
    """Run `roundtable serve` through the CLI with the HTTP server and the outbox worker replaced; return what ran."""
    monkeypatch.setenv("ROUNDTABLE_INSTANCE_PATH", app.instance_path)
    monkeypatch.setenv("ROUNDTABLE_SITE_DIR", app.config["SITE_DIR"])
    monkeypatch.setattr("comments_server.notify.worker.spawn", lambda app: None)
    monkeypatch.setattr(sizing, "available_cpus", lambda: 6)
    ran = {}
    monkeypatch.setattr(serving, "run", lambda app, **kw: ran.update(kw))

    def serve(*args):
        result = CliRunner().invoke(commands, ["serve", *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return ran, result.output

    return serve


def test_serve_starts_a_worker_per_cpu_and_says_so(started):
    ran, output = started()
    assert (ran["workers"], ran["threads"]) == (6, sizing.THREADS)
    assert f"(workers: 6, threads per worker: {sizing.THREADS})" in output


def test_serve_takes_workers_and_threads_from_its_options(started):
    ran, _ = started("--workers", "1", "--threads", "8")
    assert (ran["workers"], ran["threads"]) == (1, 8)


def test_serve_refuses_zero_workers_with_the_reason():
    result = CliRunner().invoke(commands, ["serve", "--workers", "0"])
    assert result.exit_code == 2 and "--workers" in result.output and ">=1" in result.output


def test_the_help_shows_the_threads_default():
    result = CliRunner().invoke(commands, ["serve", "--help"])
    assert f"[default: {sizing.THREADS}]" in result.output


def test_serve_refuses_a_port_something_listens_on():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(serving.PortTaken, match=f"Cannot listen on 127.0.0.1:{port}.*another --port"):
            serving.refuse_taken("127.0.0.1", port)
    serving.refuse_taken("127.0.0.1", port)  # free again: no complaint


def test_a_worker_drops_request_names_from_its_environment(monkeypatch):
    """granian starts each request's environ from the process environment: HTTP_COOKIE there would be a cookie
    every request sent."""
    monkeypatch.setenv("HTTP_COOKIE", "session=someone-else")
    monkeypatch.setenv("CONTENT_LENGTH", "12")
    monkeypatch.setenv("ROUNDTABLE_BASE_URL", "https://learn.example.com")
    seen = {}

    def app(environ, start_response):
        seen.update(environ)
        start_response("200 OK", [])
        return [b""]

    monkeypatch.setattr(serving.sys, "setswitchinterval", lambda seconds: seen.update(switch=seconds))
    served = serving.worker_app(app)("comments_server")
    assert seen.pop("switch") == serving.GIL_SWITCH_SECONDS  # a worker hands the GIL over sooner
    served({"REQUEST_METHOD": "GET", **serving.os.environ}, lambda status, headers, exc_info=None: None)
    assert "HTTP_COOKIE" not in seen and "CONTENT_LENGTH" not in seen
    assert seen["ROUNDTABLE_BASE_URL"] == "https://learn.example.com"  # the server's own settings stay
