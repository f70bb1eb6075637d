"""The seams of the site around the widgets (issue 10, item 5): the site's own 404 page, one bell
count per page view (instant navigation included), and a nav that knows someone is signed in."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MODULE_PATH = "/demo/talk-less/"


def test_unknown_url_gets_the_sites_own_404_page(page, live_server):
    response = page.goto(f"{live_server.url}/no/such/page/")
    assert response.status == 404
    expect(page.locator("article h1")).to_have_text("404 - Not found")
    expect(page.locator(".md-header")).to_be_visible()  # the site's header and styles, not a bare text page
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    assert page.request.get(f"{live_server.url}/catalog.json").status == 404


def test_the_bell_counts_once_per_page_view(browser, live_server):
    context = browser.new_context()
    counts = []
    context.on("request", lambda r: counts.append(r.url) if "/api/notifications?limit=0" in r.url else None)
    page = context.new_page()
    page.goto(live_server.login_link("lea@example.com", next_path=MODULE_PATH))
    page.wait_for_url(f"**{MODULE_PATH}")
    expect(page.locator(".rt-bell")).to_have_attribute("data-unread", re.compile(r"\d+"))
    started = time.monotonic()
    page.wait_for_load_state("networkidle")
    assert len(counts) == 1, counts
    page.locator(".md-nav__link", has_text="Forum").first.click()  # instant navigation: no new document
    page.wait_for_url("**/forum/")
    expect(page.locator('.rt-activity[data-rt-kind="forum"]')).to_have_attribute("data-rt-mounted", "yes")
    page.wait_for_load_state("networkidle")
    assert time.monotonic() - started < 9, "too slow to tell a page view's count from the 10 s poll"
    assert len(counts) == 2, counts
    context.close()


def test_the_nav_says_sign_out_to_someone_signed_in(browser, live_server):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()  # the nav is a column, not a drawer
    page.goto(live_server.login_link("liam@example.com", next_path=MODULE_PATH))
    page.wait_for_url(f"**{MODULE_PATH}")
    nav = page.locator(".md-sidebar--primary")
    expect(nav.get_by_role("link", name="Sign out", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Sign in", exact=True)).to_have_count(0)
    nav.get_by_role("link", name="Sign out", exact=True).click()
    expect(page.locator(".rt-account")).to_contain_text("Sign in")
    expect(nav.get_by_role("link", name="Sign in", exact=True)).to_be_visible()
    page.context.close()


def test_login_link_prints_a_link_to_the_server_that_runs(page, live_server):
    """Without BASE_URL, `roundtable login-link` links to where `roundtable serve` listens, not to :8000."""
    from support.live import run_cli

    env = {k: v for k, v in live_server.env.items() if k != "ROUNDTABLE_BASE_URL"}
    out = run_cli("login-link", "lea@example.com", "--next", MODULE_PATH, env=env)
    link = re.search(r"https?://\S+", out).group(0)
    assert link.startswith(f"{live_server.url}/signin/?token="), out
    page.goto(link)  # the link a person would paste
    page.wait_for_url(f"**{MODULE_PATH}")
    expect(page.locator(".md-content h1").first).to_be_visible()
