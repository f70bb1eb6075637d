"""Fixtures for the accessibility tests: the journey program (every activity kind on one module page)
served by the real server, with a scene played through the API, and one browser context per role."""

from __future__ import annotations

import pytest
from support.browser import VIEWPORT
from support.journeys import journey_port, journey_site, set_scene, start_journey_server  # noqa: F401 (fixtures)


@pytest.fixture(scope="module")
def a11y_server(journey_site, journey_port, tmp_path_factory):
    """The journey server with its scene, for every page of this folder."""
    server = start_journey_server(journey_site, tmp_path_factory.mktemp("a11y-instance"), journey_port)
    try:
        server.scene = set_scene(server)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def as_role(browser, a11y_server):
    """as_role("coach") -> a page in a context signed in as that role (None: nobody), made once."""
    emails = {"learner": "lea@example.com", "coach": "cora@example.com", "manager": "mona@example.com",
              "admin": "root@example.com", "author": "ada@example.com"}
    pages = {}

    def make(role):
        if role not in pages:
            # bypass_csp: axe-core is injected as an inline script; the CSP itself is tested in test_csp.py
            context = browser.new_context(viewport=VIEWPORT, bypass_csp=True)
            page = context.new_page()
            if role != "anonymous":
                page.goto(a11y_server.login_link(emails[role], next_path="/"))
                page.wait_for_url(a11y_server.url + "/")
            pages[role] = page
        return pages[role]

    yield make
    for page in pages.values():
        page.context.close()
