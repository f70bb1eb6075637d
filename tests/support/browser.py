"""Browser-test fixtures and helpers shared by the folders that drive Chromium: a site built once
per folder from the browser fixture program, the real server for it, screenshots, and pages
opened as a signed-in person. A conftest imports the fixtures it wants by name
(Debian's Chromium itself is set for every folder in tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from support.live import build_program, free_port, start_server

VIEWPORT = {"width": 1200, "height": 900}


@pytest.fixture
def browser_context_args(browser_context_args):
    """Every page the same size, so the screenshots compare."""
    return {**browser_context_args, "viewport": VIEWPORT}


@pytest.fixture(scope="session")
def server_port() -> int:
    """The port of the session's server, known before the build so the site can name its own URL."""
    return free_port()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, server_port) -> Path:
    """The fixture program, built once for the session's server."""
    return build_program(tmp_path_factory.mktemp("program"), f"http://127.0.0.1:{server_port}/")


@pytest.fixture(scope="session")
def live_server(built_site, tmp_path_factory, server_port):
    """The real server for the whole session, on the port the site was built for."""
    server = start_server(built_site, tmp_path_factory, server_port)
    try:
        yield server
    finally:
        server.stop()


def screenshotter(output_path, scroll_to_top=True):
    """Return shot(page, name): a full-page screenshot under this test's folder in test-results/."""
    folder = Path(output_path)
    folder.mkdir(parents=True, exist_ok=True)

    def shot(page, name):
        path = folder / f"{name}.png"
        if scroll_to_top:
            page.evaluate("window.scrollTo(0, 0)")  # else Material's sticky header lands mid-picture
        page.screenshot(path=str(path), full_page=True)
        return path

    return shot


@pytest.fixture
def shots(output_path):
    """Save a full-page screenshot under this test's folder in test-results/."""
    return screenshotter(output_path)


def open_as(browser, server, email: str, path: str) -> Page:
    """A fresh browser context signed in as email, on path (through the sign-in link)."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(server.login_link(email, next_path=path))
    page.wait_for_url(f"**{path}")
    return page


def widget(page: Page, kind: str):
    """The mount point of a widget kind on the page."""
    return page.locator(f'.rt-activity[data-rt-kind="{kind}"]')
