"""Statuses that tell the truth (issue 10), in real Chromium against the real server on a set clock.

The activity fixture program's cohort (skills-cohort) started 2026-11-23; "Plan a call" is due
30 days on (2026-12-23). The server's clock starts at 2026-12-30, a week after that date.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from support.browser import open_as, widget
from support.live import LiveServer

from .conftest import BROWSER_PEOPLE

pytestmark = pytest.mark.browser

NOW = "2026-12-30T09:00:00Z"
PLAN_PAGE = "/skills/plan-a-call/"
MODULE = "skills/plan-a-call"


@pytest.fixture
def late_server(activity_site, tmp_path_factory, activity_port):
    """The activity program's server, its clock a week past "Plan a call"'s due date; the roster from the start."""
    server = LiveServer(activity_site, tmp_path_factory.mktemp("truth-instance"), activity_port, CLOCK=NOW).start()
    try:
        server.add_people(BROWSER_PEOPLE)  # in the cohort from its start (support/live.py)
        yield server
    finally:
        server.stop()


def matrix_cell(page, learner, index=0):
    """The dashboard matrix cell of a learner's module (by module position)."""
    return page.locator(f'tr[data-learner="{learner}"] td[data-status]').nth(index)


def test_doing_the_work_without_mark_as_read_completes_the_module_everywhere(browser, late_server, shots):
    lea = open_as(browser, late_server, "lea@example.com", PLAN_PAGE)
    plan = widget(lea, "plan")
    plan.get_by_label("Your plan", exact=True).fill("Three open questions, then the budget cycle.")
    plan.get_by_role("button", name="Submit plan").click()
    expect(plan.locator(".rt-plan__stage")).to_have_text("Submitted. Now say when the encounter happens.")
    plan.get_by_label("When is the encounter?").fill("2026-12-29T10:00")  # yesterday, by the server's clock
    plan.get_by_role("button", name="Set the encounter").click()
    expect(plan.get_by_role("status").filter(has_text="Encounter set.")).to_be_visible()
    plan.get_by_label("How did the call go against your plan?").fill("They opened up at question two.")
    plan.get_by_role("button", name="Submit debrief").click()
    expect(plan.locator(".rt-plan__stage")).to_have_text("Debrief submitted: waiting for feedback.")
    # the read block: the work counts as reading, no button to find
    read = widget(lea, "read")
    lea.reload()
    expect(read).to_contain_text("Read: your work in this module counts as reading it.")
    expect(read.get_by_role("button", name="Mark as read")).to_have_count(0)

    max_ = open_as(browser, late_server, "max@example.com", "/progress/")
    waiting = widget(max_, "progress").locator(".rt-waiting__item", has_text="Lea Learner")
    waiting.get_by_role("button", name="Give feedback").click()
    waiting.get_by_label("Rating (1 to 5)").select_option("5")
    waiting.get_by_label("Your feedback on the debrief").fill("Good questions.")
    waiting.get_by_role("button", name="Send feedback").click()
    expect(waiting.get_by_role("status").filter(has_text="Feedback sent.")).to_be_visible()

    # My progress (the learner)
    lea.goto(late_server.url + "/progress/")
    row = widget(lea, "progress").locator(f'tr[data-module-id="{MODULE}"]')
    expect(row.locator(".rt-status-badge")).to_have_text("Complete")
    shots(lea, "1-learner-progress-complete-without-mark-as-read")
    # the manager's view: their reports on My progress, and the dashboard limited to their reports
    max_.reload()
    reports = widget(max_, "progress").locator('section[aria-label="Your reports"] tr', has_text="Lea Learner")
    expect(reports).to_contain_text("Plan a call: Complete")
    max_.goto(late_server.url + "/dashboard/")
    expect(matrix_cell(max_, "Lea Learner")).to_have_attribute("data-status", "complete")
    expect(matrix_cell(max_, "Liam Learner")).to_have_attribute("data-status", "overdue")  # no work: still late
    # the coach's matrix
    cora = open_as(browser, late_server, "cora@example.com", "/dashboard/")
    expect(matrix_cell(cora, "Lea Learner")).to_have_attribute("data-status", "complete")
    expect(cora.locator(".rt-dash-attention")).not_to_contain_text("Lea Learner")
    shots(cora, "2-coach-matrix-complete")


def test_a_late_joiner_is_not_overdue_on_arrival(browser, late_server, shots):
    # Nia joins today (2026-12-30, by the server's clock): a week after "Plan a call" was due for the cohort
    late_server.add_people([("nia@example.com", "Nia New", "skills-cohort", "learner", "max@example.com", "")])
    nia = open_as(browser, late_server, "nia@example.com", "/progress/")
    row = widget(nia, "progress").locator(f'tr[data-module-id="{MODULE}"]')
    expect(row.locator(".rt-status-badge")).to_have_text("Not started")
    expect(row.locator(".rt-date")).to_have_text("2027-01-29")  # 30 days from the day she joined
    expect(widget(nia, "progress").locator('.rt-status-badge[data-status="overdue"]')).to_have_count(0)
    shots(nia, "1-late-joiner-progress")
    # the coach sees her on track while a learner there from the start is overdue
    cora = open_as(browser, late_server, "cora@example.com", "/dashboard/")
    expect(matrix_cell(cora, "Nia New")).to_have_attribute("data-status", "not_started")
    expect(matrix_cell(cora, "Liam Learner")).to_have_attribute("data-status", "overdue")
    expect(cora.locator(".rt-dash-attention")).not_to_contain_text("Nia New")
