"""Fixtures for the community tests: the server tests' app, people, clients and author
(tests/server/conftest.py) with the author named on a module, and the shared browser fixtures
(tests/support/browser.py)."""

from __future__ import annotations

import shutil

import pytest
from server.conftest import (  # noqa: F401  (fixtures are found by name)
    AUTHOR,
    PEOPLE,
    Api,
    add_people,
    anon,
    app,
    app_config,
    assert_error,
    author,
    db,
    make_catalog,
    make_token,
    post_comment,
    sign_in,
    write_catalog,
)
from support.browser import (  # noqa: F401
    browser_context_args,
    built_site,
    live_server,
    server_port,
    shots,
)
from support.live import FIXTURE_PROGRAM, free_port, rebuild, start_server

MODULE = "sales/discovery-calls"


@pytest.fixture
def site_dir(tmp_path):
    """The server tests' small catalog, with an author named on sales/discovery-calls."""
    catalog = make_catalog()
    catalog["programs"][0]["modules"][0]["authors"] = [AUTHOR]
    site = tmp_path / "site"
    write_catalog(site, catalog)
    return site


@pytest.fixture(scope="module")
def authored_server(tmp_path_factory):
    """A server on its own build of the browser fixture program whose module names an author."""
    program = tmp_path_factory.mktemp("authored") / "fixture_program"
    shutil.copytree(FIXTURE_PROGRAM, program)
    module = program / "content" / "demo" / "talk-less.md"
    module.write_text(module.read_text().replace("title: Talk less\n", "title: Talk less\nauthors: [ana@example.com]\n", 1))
    rebuild(program)
    server = start_server(program / "site", tmp_path_factory, free_port())
    server.cli("user", "add", "ana@example.com", "--name", "Ana Author")
    try:
        yield server
    finally:
        server.stop()
