"""The dashboard page in real Chromium: a coach sees their queue first, then the whole cohort; a
manager what waits for them, then only their reports; a learner is sent to My progress without a
refused request. The page fits a phone. Screenshots in test-results/ (1280x900 and 390x844).

The site is the browser suite's fixture program (one module with a roundtable,
cohort demo-cohort, due 2026-11-09), served by the real `roundtable serve`.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from support.live import ACTIVITY_ID, MODULE_URL, LiveServer, free_port

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

ACTIVITY = ACTIVITY_ID
PEOPLE = [  # email, name, cohort, role, manager_email
    ("mona@example.com", "Mona Manager", "demo-cohort", "manager", ""),
    ("lea@example.com", "Lea Learner", "demo-cohort", "learner", "mona@example.com"),
    ("liam@example.com", "Liam Learner", "demo-cohort", "learner", "mona@example.com"),
    ("lou@example.com", "Lou Learner", "demo-cohort", "learner", ""),
    ("cora@example.com", "Cora Coach", "demo-cohort", "coach", ""),
]


@pytest.fixture(scope="module")
def dash_server(built_site, tmp_path_factory):
    """A server with the dashboard people; Lea completes the module, Lou asks an open question."""
    server = LiveServer(built_site, tmp_path_factory.mktemp("dash-instance"), free_port()).start()
    try:
        server.add_people(PEOPLE)
        for email in ("lea@example.com", "lou@example.com"):
            http = server.api_as(email)
            assert http.post(f"{server.url}/api/activities/demo/talk-less/read/read", json={}).ok
        lea, lou = server.api_as("lea@example.com"), server.api_as("lou@example.com")
        thread = lea.get(f"{server.url}/api/activities/{ACTIVITY}/thread").json()["thread"]["id"]
        assert lea.post(f"{server.url}/api/threads/{thread}/comments", json={"body": "I listen first."}).ok
        assert lou.post(f"{server.url}/api/threads/{thread}/comments",
                        json={"body": "How long should I stay quiet?", "question": True}).ok
        yield server
    finally:
        server.stop()


def open_dashboard(page, server, email):
    """Sign in with a one-time link that lands on the dashboard page."""
    page.goto(server.login_link(email, "/dashboard/"))
    page.wait_for_url("**/dashboard/**")


def open_at(browser, server, email, viewport):
    """A fresh context of the given size, signed in as email, on the dashboard."""
    page = browser.new_context(viewport=viewport).new_page()
    open_dashboard(page, server, email)
    expect(page.locator(".rt-dash-matrix tbody tr").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    return page


def test_coach_sees_the_cohort_and_the_queue(page, dash_server, shots):
    open_dashboard(page, dash_server, "cora@example.com")
    rows = page.locator(".rt-dash-matrix tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator('tr[data-learner="Lea Learner"] td[data-status="complete"]')).to_have_count(1)
    expect(page.locator('tr[data-learner="Liam Learner"] td[data-status="overdue"]')).to_have_count(1)
    expect(page.locator(".rt-dash-attention")).to_contain_text("Liam Learner")
    expect(page.locator(".rt-dash-queue")).to_contain_text("How long should I stay quiet?")
    expect(page.locator(".rt-dash-hints")).to_be_visible()
    expect(page.locator(".rt-dash-chart canvas").first).to_be_visible()
    page.locator(".rt-dash-filters input[type=search]").fill("li")
    expect(rows).to_have_count(1)  # Liam only
    page.locator(".rt-dash-filters input[type=search]").fill("")
    page.locator(".rt-dash-filters input[type=checkbox]").check()
    expect(rows).to_have_count(1)  # Liam: Lea and Lou read and posted, so they are complete
    page.locator(".rt-dash-filters input[type=checkbox]").uncheck()
    page.locator(".rt-dash-chart details summary").first.click()
    expect(page.locator(".rt-dash-chart details table").first).to_be_visible()
    shots(page, "coach-dashboard")


def test_the_queue_comes_first_and_its_link_lands_on_the_comment(page, dash_server):
    open_dashboard(page, dash_server, "cora@example.com")
    queue = page.locator(".rt-dash-queue")
    item = queue.locator('li[data-kind="open_question"]')
    expect(item).to_contain_text("How long should I stay quiet?")
    first = page.evaluate("""() => {
        const q = document.querySelector('.rt-dash-queue'), m = document.querySelector('.rt-dash-glance');
        return Boolean(q.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING);
    }""")
    assert first, "the coach's queue must come before the cohort's figures"
    link = item.get_by_role("link")
    # the API's url is relative to the site root, not to the dashboard page
    expect(link).to_have_attribute("href", re.compile(rf"^{re.escape(dash_server.url)}/{MODULE_URL}#rt-comment-\d+$"))
    link.click()
    anchor = page.url.split("#", 1)[1]
    target = page.locator(f"#{anchor}")
    expect(target).to_contain_text("How long should I stay quiet?")
    expect(target).to_be_in_viewport()


def test_the_learner_column_stays_while_modules_scroll(page, dash_server):
    open_dashboard(page, dash_server, "cora@example.com")
    cell = page.locator(".rt-dash-matrix tbody th").first
    expect(cell).to_have_css("position", "sticky")
    width = page.evaluate("document.querySelector('.rt-dash-matrix-card').getBoundingClientRect().width")
    assert width > 900, f"the matrix has {width} px of a 1200 px window: it should use the page's width"


@pytest.mark.parametrize("who", ["cora@example.com", "mona@example.com"], ids=["coach", "manager"])
def test_dashboard_screenshots_and_no_sideways_scroll_on_a_phone(browser, dash_server, output_path, who):
    role = "coach" if who.startswith("cora") else "manager"
    for name, viewport in (("1280x900", DESKTOP), ("390x844", PHONE)):
        page = open_at(browser, dash_server, who, viewport)
        expect(page.locator(".rt-dash-queue, .rt-dash-waiting").first).to_be_visible()
        page.wait_for_timeout(300)  # charts draw after the figures arrive
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{role} at {name}: the page scrolls sideways ({widths[0]} > {widths[1]} px)"
        page.screenshot(path=f"{output_path}/{role}-dashboard-{name}.png", full_page=True)
        page.context.close()


def test_manager_sees_their_reports_only(page, dash_server, shots):
    open_dashboard(page, dash_server, "mona@example.com")
    rows = page.locator(".rt-dash-matrix tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator(".rt-dash-glance")).to_contain_text("Showing your direct reports only.")
    expect(page.locator('tr[data-learner="Lou Learner"]')).to_have_count(0)
    expect(page.locator(".rt-dash-queue")).to_have_count(0)
    shots(page, "manager-dashboard")


def test_learner_is_sent_to_my_progress(page, dash_server, shots):
    refused = []
    page.on("response", lambda r: refused.append(r.url) if r.status >= 400 else None)
    page.on("console", lambda m: refused.append(m.text) if m.type == "error" else None)
    open_dashboard(page, dash_server, "lea@example.com")
    refusal = page.locator(".rt-dash-refused")
    expect(refusal).to_contain_text("My progress")
    link = refusal.get_by_role("link", name="Go to My progress")
    expect(link).to_have_attribute("href", f"{dash_server.url}/progress/")
    expect(page.locator(".rt-dash-matrix")).to_have_count(0)
    page.wait_for_load_state("networkidle")
    assert not refused, f"a learner's dashboard made refused requests or console errors: {refused}"
    shots(page, "learner-refused")


def test_charts_follow_the_dark_palette(page, dash_server, shots):
    open_dashboard(page, dash_server, "cora@example.com")
    expect(page.locator(".rt-dash-matrix tbody tr")).to_have_count(3)
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    expect(page.locator(".rt-dash-chart canvas").first).to_be_visible()
    page.wait_for_timeout(300)
    shots(page, "coach-dashboard-dark")
