"""The bell in real Chromium: the coach's unread count rises when a learner posts, and the notification opens the thread."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

MODULE_PATH = "/demo/talk-less/"
THREAD = "/api/activities/demo/talk-less/roundtable/thread"


def test_coach_hears_of_a_learner_post_and_opens_it(page: Page, live_server, shots):
    # one worker round now: the day's checks (learners behind in the fixture's past cohort) are done
    # before the count is read, whenever the server's own worker gets to them
    live_server.cli("worker", "--once")
    page.goto(live_server.login_link("cora@example.com", next_path=MODULE_PATH))
    page.wait_for_url(f"**{MODULE_PATH}")
    bell = page.locator(".rt-bell")
    expect(bell).to_be_visible()
    expect(bell).to_have_attribute("data-unread", re.compile(r"\d+"))
    liam = live_server.api_as("liam@example.com")  # a long thread: the link must scroll to its comment
    thread_id = liam.get(live_server.url + THREAD).json()["thread"]["id"]
    for i in range(12):
        liam.post(f"{live_server.url}/api/threads/{thread_id}/comments", json={"body": f"Earlier post {i}"})
    cora = live_server.api_as("cora@example.com")
    before = cora.get(f"{live_server.url}/api/notifications?limit=0").json()["unread"]

    lea = live_server.api_as("lea@example.com")
    posted = lea.post(f"{live_server.url}/api/threads/{thread_id}/comments",
                      json={"body": "How do I stop **talking** over the customer?"})
    assert posted.status_code == 201, posted.text
    comment_id = posted.json()["comment"]["id"]

    # the bell asks every 10 s while the page is visible
    expect(bell).to_have_attribute("data-unread", str(before + 1), timeout=20000)
    expect(bell.locator(".rt-bell__count")).to_have_text(str(before + 1))
    shots(page, "1-bell-with-count")

    bell.click()
    page.wait_for_url("**/notifications/")
    item = page.locator(".rt-notification").first
    expect(item).to_contain_text("Lea Learner posted in the roundtable of “Talk less”")
    expect(item).to_have_class(re.compile("rt-notification--unread"))
    shots(page, "2-notifications-page")

    item.locator(".rt-notification__link").click()
    page.wait_for_url(f"**{MODULE_PATH}#rt-comment-{comment_id}")
    expect(page.locator(f"#rt-comment-{comment_id}")).to_contain_text("talking over the customer")
    expect(page.locator(f"#rt-comment-{comment_id}")).to_be_in_viewport()
    expect(page.locator(".rt-bell")).to_have_attribute("data-unread", str(before))
    shots(page, "3-the-thread")
