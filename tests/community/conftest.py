"""Fixtures for the community tests: the server tests' app, people and clients (tests/server/conftest.py),
a module with an author, and the browser tests' built site and live server (tests/browser/conftest.py)."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from comments_server.db import connect, write_transaction
from comments_server.store import users
from server.conftest import (  # noqa: F401  (fixtures are found by name)
    PEOPLE, Api, add_people, anon, app, app_config, assert_error, db, make_catalog, make_token,
    post_comment, sign_in, write_catalog,
)

AUTHOR = "ana.author@example.com"
MODULE = "sales/discovery-calls"


def _load_browser_fixtures():
    """Import tests/browser/conftest.py under its own name, so its fixtures serve these tests too."""
    path = Path(__file__).resolve().parent.parent / "browser" / "conftest.py"
    spec = importlib.util.spec_from_file_location("community_browser_fixtures", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


browser = _load_browser_fixtures()
browser_type_launch_args = browser.browser_type_launch_args
browser_context_args = browser.browser_context_args
server_port = browser.server_port
built_site = browser.built_site
live_server = browser.live_server
shots = browser.shots


@pytest.fixture
def site_dir(tmp_path):
    """The server tests' small catalog, with an author named on sales/discovery-calls."""
    catalog = make_catalog()
    catalog["programs"][0]["modules"][0]["authors"] = [AUTHOR]
    site = tmp_path / "site"
    write_catalog(site, catalog)
    return site


@pytest.fixture
def author(app):
    """Sign in the author of sales/discovery-calls (in no cohort)."""
    conn = connect(app.config["DATABASE"])
    with write_transaction(conn):
        users.upsert_user(conn, email=AUTHOR, name="Ana Author")
    conn.close()
    api = Api(app.test_client())
    assert api.redeem(make_token(app, AUTHOR)).status_code == 200
    return api


@pytest.fixture(scope="module")
def authored_server(tmp_path_factory):
    """A server on its own build of the browser fixture program whose module names an author."""
    program = tmp_path_factory.mktemp("authored") / "fixture_program"
    shutil.copytree(browser.FIXTURE_PROGRAM, program)
    module = program / "content" / "demo" / "talk-less.md"
    module.write_text(module.read_text().replace("title: Talk less\n", "title: Talk less\nauthors: [ana@example.com]\n", 1))
    browser.rebuild(program)
    server = browser.start_server(program / "site", tmp_path_factory, browser.free_port())
    server.cli("user", "add", "ana@example.com", "--name", "Ana Author")
    try:
        yield server
    finally:
        server.stop()
