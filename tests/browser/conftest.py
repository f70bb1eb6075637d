"""Browser-test fixtures: a site built once from a tiny program, the real server
as a subprocess on a free port, people made with the real CLI, and Debian's
Chromium driven by pytest-playwright (docs: /work/shared/TOOLING.md, section 2).

The server, the CLI and the build are in tests/support/live.py; the fixtures
other folders share are in tests/support/browser.py; Chromium is set in tests/conftest.py."""

from __future__ import annotations

import pytest
from support.browser import (  # noqa: F401
    browser_context_args,
    built_site,
    live_server,
    server_port,
    shots,
)
from support.journeys import journey_port, journey_site, set_scene, start_journey_server  # noqa: F401
from support.live import build_program, free_port, start_server


@pytest.fixture(scope="module")
def journey_server(journey_site, journey_port, tmp_path_factory):
    """The journey program's server with its scene (tests/support/journeys.py), for one test module."""
    server = start_journey_server(journey_site, tmp_path_factory.mktemp("journey-instance"), journey_port)
    try:
        server.scene = set_scene(server)
        yield server
    finally:
        server.stop()


@pytest.fixture
def own_server(built_site, tmp_path_factory):
    """A server for one test that may stop and restart it."""
    server = start_server(built_site, tmp_path_factory, free_port())
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def editable_server(tmp_path, tmp_path_factory):
    """A server on a build of its own, for a test that changes a module and builds again."""
    site = build_program(tmp_path)
    server = start_server(site, tmp_path_factory, free_port(), CATALOG_CHECK_SECONDS=0)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def expiring_server(built_site, tmp_path_factory):
    """A server whose sign-in links have already expired when they are printed."""
    server = start_server(built_site, tmp_path_factory, free_port(), LOGIN_LINK_MINUTES=-1, ADMIN_LINK_DAYS=-1)
    try:
        yield server
    finally:
        server.stop()
