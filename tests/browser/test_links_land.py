"""Links that land: each notification a person gets is followed the way they would follow it (the
notifications page, or a mailed link through sign-in), and the item it names is drawn, scrolled
into view and ready: the plan with its giver's form, the presentation to review with the review
form, the question to the author opened, one's own plan and reviews. The journey program has
every activity kind on one page, so nothing is in view by chance."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect
from support.browser import open_as
from support.journeys import MODULE, MODULE_PATH

pytestmark = pytest.mark.browser


def follow_notification(browser, server, email, kind):
    """Open the notifications page as email, click the newest notification of kind; return the page."""
    page = open_as(browser, server, email, "/notifications/")
    page.locator(f'.rt-notification[data-kind="{kind}"] .rt-notification__link').first.click()
    page.wait_for_url(re.compile(re.escape(MODULE_PATH)))
    return page


def test_manager_lands_on_the_plan_with_the_feedback_form_ready(browser, journey_server, shots):
    plan_id = journey_server.scene.plan_id
    page = follow_notification(browser, journey_server, "mona@example.com", "feedback_waiting")
    assert page.url.endswith(f"{MODULE_PATH}?plan={plan_id}#rt-plan-{plan_id}")
    target = page.locator(f"#rt-plan-{plan_id}")
    expect(target.get_by_label("What should change before the encounter?")).to_be_visible()
    expect(target).to_be_in_viewport()
    expect(target).to_be_focused()
    expect(target.locator("legend")).to_have_text(["Ask for a revision", "Comment without sending it back"])
    shots(page, "manager-lands-on-plan")


def test_reviewer_lands_on_the_presentation_with_the_review_form_open(browser, journey_server, shots):
    lea_submission = journey_server.scene.submissions["lea@example.com"]
    page = follow_notification(browser, journey_server, "liam@example.com", "review_allocated")
    assert page.url.endswith(f"{MODULE_PATH}#rt-review-{lea_submission}")
    target = page.locator(f"#rt-review-{lea_submission}")
    expect(target.get_by_label("Your comments for the presenter")).to_be_visible()
    expect(target).to_be_in_viewport()
    shots(page, "reviewer-lands-on-review")


def test_author_lands_on_the_question_opened(browser, journey_server, shots):
    question = journey_server.scene.question_id
    page = follow_notification(browser, journey_server, "ada@example.com", "question")
    target = page.locator(f"#rt-question-{question}")
    expect(target).to_have_attribute("open", "")
    expect(target).to_contain_text("Why open questions first?")
    expect(target).to_be_in_viewport()


def test_managers_desk_lists_the_plan_and_its_link_lands(browser, journey_server, shots):
    plan_id = journey_server.scene.plan_id
    page = open_as(browser, journey_server, "mona@example.com", "/dashboard/")
    waiting = page.locator(".rt-dash-waiting")
    expect(waiting).to_contain_text("Lea Learner")
    page.locator(".rt-dash-glance").wait_for(state="attached")  # the figures draw after the desk's list
    first = page.evaluate("""() => Boolean(document.querySelector('.rt-dash-waiting')
        .compareDocumentPosition(document.querySelector('.rt-dash-glance')) & Node.DOCUMENT_POSITION_FOLLOWING)""")
    assert first, "what waits for the manager comes before the figures"
    shots(page, "manager-desk")
    waiting.get_by_role("link", name="First call").click()
    page.wait_for_url(f"**{MODULE_PATH}?plan={plan_id}#rt-plan-{plan_id}")
    target = page.locator(f"#rt-plan-{plan_id}")
    expect(target.get_by_label("What should change before the encounter?")).to_be_visible()
    expect(target).to_be_in_viewport()


def test_learner_lands_on_their_plan_when_asked_to_revise(browser, journey_server):
    plan_id, url = journey_server.scene.plan_id, journey_server.url
    mona = journey_server.api_as("mona@example.com")
    asked = mona.post(f"{url}/api/plans/{plan_id}/revision", json={"comment": "Name the next step you will propose."})
    assert asked.status_code == 200, asked.text
    page = follow_notification(browser, journey_server, "lea@example.com", "feedback_received")
    target = page.locator(f"#rt-plan-{plan_id}")
    expect(target).to_contain_text("Name the next step you will propose.")
    expect(target).to_be_in_viewport()


def test_presenter_lands_on_the_reviews_of_their_presentation(browser, journey_server):
    lea_submission, url = journey_server.scene.submissions["lea@example.com"], journey_server.url
    liam = journey_server.api_as("liam@example.com")
    reviewed = liam.post(f"{url}/api/presentations/{lea_submission}/reviews",
                         json={"scores": {"clarity": 4, "next step": 3}, "comment": "Clear; ask for the meeting."})
    assert reviewed.status_code in (200, 201), reviewed.text
    page = follow_notification(browser, journey_server, "lea@example.com", "feedback_received")
    target = page.locator("#rt-feedback")
    expect(target).to_contain_text("Clear; ask for the meeting.")
    expect(target).to_be_in_viewport()


def test_mailed_link_lands_after_sign_in(browser, journey_server):
    """A mailed link opened signed out: the sign-in link carries the anchor, and the item is in view after it."""
    plan_id = journey_server.scene.plan_id
    anonymous = browser.new_context().new_page()
    anonymous.goto(f"{journey_server.url}{MODULE_PATH}?plan={plan_id}#rt-plan-{plan_id}")
    sign_in = anonymous.locator('.rt-activity[data-rt-kind="plan"]').get_by_role("link", name=re.compile("Sign in"))
    expect(sign_in).to_have_attribute("href", re.compile(re.escape(quote(f"#rt-plan-{plan_id}", safe=""))))
    path = f"{MODULE_PATH}?plan={plan_id}#rt-plan-{plan_id}"
    page = browser.new_context().new_page()
    page.goto(journey_server.login_link("mona@example.com", next_path=path))
    page.wait_for_url(re.compile(re.escape(f"#rt-plan-{plan_id}")))
    expect(page.locator(f"#rt-plan-{plan_id}")).to_be_in_viewport()


def test_comment_link_lands_on_the_comment(browser, journey_server):
    comment = journey_server.scene.comment_id
    page = open_as(browser, journey_server, "cora@example.com", f"{MODULE_PATH}#rt-comment-{comment}")
    target = page.locator(f"#rt-comment-{comment}")
    expect(target).to_contain_text("what changed")
    expect(target).to_be_in_viewport()


def test_focus_lands_on_what_was_just_posted(browser, journey_server):
    page = open_as(browser, journey_server, "liam@example.com", MODULE_PATH)
    roundtable = page.locator('.rt-activity[data-rt-kind="roundtable"]')
    roundtable.get_by_label("Add to the roundtable").fill("I let the silence work for me.")
    roundtable.get_by_role("button", name="Post", exact=True).click()
    mine = roundtable.locator("li.rt-comment", has_text="I let the silence work for me.")
    expect(mine.locator(":scope > article")).to_be_focused()
    reflection = page.locator('.rt-activity[data-rt-kind="reflection"]')
    reflection.get_by_label("Write your reflection").fill("Shorter questions.")
    reflection.get_by_role("button", name="Post reflection").click()
    expect(reflection.get_by_role("status")).to_have_text("Posted.")
    expect(reflection.get_by_role("status")).to_be_focused()


def test_author_of_a_hidden_comment_lands_on_its_thread(browser, journey_server, shots):
    """A coach hides Liam's post; his notice opens the roundtable the post was in (he no longer sees the post)."""
    url = journey_server.url
    liam, cora = journey_server.api_as("liam@example.com"), journey_server.api_as("cora@example.com")
    thread = liam.get(f"{url}/api/activities/{MODULE}/roundtable/thread").json()["thread"]
    posted = liam.post(f"{url}/api/threads/{thread['id']}/comments", json={"body": "Off-topic, sorry."})
    assert posted.status_code == 201, posted.text
    comment = posted.json()["comment"]["id"]
    assert cora.post(f"{url}/api/comments/{comment}/hide", json={"hidden": True}).ok
    page = follow_notification(browser, journey_server, "liam@example.com", "moderation")
    assert page.url.endswith(f"{MODULE_PATH}#rt-thread-{thread['id']}")
    target = page.locator(f"#rt-thread-{thread['id']}")
    expect(target).to_be_in_viewport()
    expect(target).not_to_contain_text("Off-topic, sorry.")
    expect(page.locator(f"#rt-comment-{journey_server.scene.comment_id}")).to_be_visible()  # the thread's others
    shots(page, "author-lands-on-the-thread-of-a-hidden-comment")
