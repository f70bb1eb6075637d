"""A module page loads its widgets at once (issue 14): every module is asked for before the first API
call (the page preloads them), each API call is made once, and a page without a plan never loads plan.js."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from test_roundtable import MODULE_PATH, roundtable, sign_in

pytestmark = pytest.mark.browser


def _load_logged(page: Page, url: str) -> list[str]:
    """Open url and return the paths (with query) it requested, in the order it asked."""
    requested = []
    page.on("request", lambda r: requested.append(urlparse(r.url).path + ("?" + urlparse(r.url).query
                                                                           if urlparse(r.url).query else "")))
    page.goto(url)
    expect(roundtable(page).get_by_label("Add to the roundtable")).to_be_visible()
    page.wait_for_load_state("networkidle")
    return requested


def test_the_module_page_asks_each_api_once_after_every_module_is_on_its_way(page: Page, live_server):
    sign_in(page, live_server, "lea@example.com")
    requested = _load_logged(page, live_server.url + MODULE_PATH)
    api = [path for path in requested if path.startswith("/api/")]
    assert api.count("/api/session") == 1, api
    assert api.count("/api/notifications?limit=0") == 1, api  # the bell counts once per page view
    thread_reads = [path for path in api if path.startswith("/api/activities/demo/talk-less/roundtable/thread")]
    assert len(thread_reads) == 1, api
    assert len(api) == len(set(api)), api  # no widget asks anything twice
    modules = [i for i, path in enumerate(requested) if path.startswith("/static/") and path.endswith(".js")]
    first_api = requested.index(api[0])
    assert {"/static/widgets/thread.js", "/static/widgets/comment.js", "/static/widgets/read.js"} <= set(requested)
    # Preloaded: no module is found only after a round trip to the API (no chain of imports first)
    assert max(modules) < first_api, requested


def test_a_page_without_a_plan_never_loads_the_plan_widget(page: Page, live_server):
    sign_in(page, live_server, "lea@example.com")
    requested = _load_logged(page, live_server.url + MODULE_PATH)
    assert page.locator('.rt-activity[data-rt-kind="plan"]').count() == 0
    assert "/static/widgets/read.js" in requested  # the "Mark as read" widget is on the page ...
    assert "/static/widgets/plan.js" not in requested  # ... and needs none of the plan's code
    read = page.locator('.rt-activity[data-rt-kind="read"]')  # drawn without plan.js: her button, or her work counted
    expect(read.get_by_role("button", name="Mark as read").or_(read.get_by_text("counts as reading it"))).to_be_visible()


def test_the_page_names_its_modules_as_preloads(page: Page, live_server):
    page.goto(live_server.url + MODULE_PATH)
    preloads = [urlparse(href).path for href in
                page.eval_on_selector_all('link[rel="modulepreload"]', "links => links.map(l => l.href)")]
    assert "/static/widgets/thread.js" in preloads and "/static/api.js" in preloads
    assert "/static/widgets/plan.js" not in preloads
