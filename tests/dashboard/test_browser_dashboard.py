"""The dashboard page in real Chromium: a coach sees the whole cohort and their queue, a manager
only their reports, a learner is sent to My progress. Screenshots in test-results/.

The site is the browser suite's fixture program (one module with a roundtable,
cohort demo-cohort, due 2026-11-09), served by the real `roundtable serve`.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from support.live import ACTIVITY_ID, LiveServer, free_port

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


def test_manager_sees_their_reports_only(page, dash_server, shots):
    open_dashboard(page, dash_server, "mona@example.com")
    rows = page.locator(".rt-dash-matrix tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator(".rt-dash-glance")).to_contain_text("Showing your direct reports only.")
    expect(page.locator('tr[data-learner="Lou Learner"]')).to_have_count(0)
    expect(page.locator(".rt-dash-queue")).to_have_count(0)
    shots(page, "manager-dashboard")


def test_learner_is_sent_to_my_progress(page, dash_server, shots):
    open_dashboard(page, dash_server, "lea@example.com")
    refusal = page.locator(".rt-dash-refused")
    expect(refusal).to_contain_text("My progress")
    link = refusal.get_by_role("link", name="Go to My progress")
    expect(link).to_have_attribute("href", f"{dash_server.url}/progress/")
    expect(page.locator(".rt-dash-matrix")).to_have_count(0)
    shots(page, "learner-refused")


def test_charts_follow_the_dark_palette(page, dash_server, shots):
    open_dashboard(page, dash_server, "cora@example.com")
    expect(page.locator(".rt-dash-matrix tbody tr")).to_have_count(3)
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    expect(page.locator(".rt-dash-chart canvas").first).to_be_visible()
    page.wait_for_timeout(300)
    shots(page, "coach-dashboard-dark")
