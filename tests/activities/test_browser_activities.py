"""The plan and presentation widgets in real Chromium against the real server and a built site."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from support.browser import open_as, widget

pytestmark = pytest.mark.browser

PLAN_PAGE = "/skills/plan-a-call/"
PITCH_PAGE = "/skills/pitch-day/"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_plan_debrief_manager_feedback_and_module_complete(browser, activity_server, shots):
    lea = open_as(browser, activity_server, "lea@example.com", PLAN_PAGE)
    plan = widget(lea, "plan")
    plan.get_by_label("Your plan", exact=True).fill("Open with **what changed**, then ask about their budget cycle.")
    plan.get_by_role("button", name="Save draft").click()
    expect(plan.get_by_role("status").filter(has_text="Draft saved.")).to_be_visible()
    plan.get_by_role("button", name="Submit plan").click()
    expect(plan.locator(".rt-plan__stage")).to_have_text("Submitted. Now say when the encounter happens.")
    plan.get_by_label("When is the encounter?").fill("2026-12-01T10:00")
    plan.get_by_role("button", name="Set the encounter").click()
    expect(plan.get_by_role("status").filter(has_text="Encounter set.")).to_be_visible()
    debrief = plan.get_by_label("How did the call go against your plan?")
    debrief.fill("They talked for 20 minutes; I forgot the next step.")
    plan.get_by_role("button", name="Submit debrief").click()
    expect(plan.locator(".rt-plan__stage")).to_have_text("Debrief submitted: waiting for feedback.")
    expect(plan.locator(".rt-body strong")).to_have_text("what changed")
    shots(lea, "1-learner-debrief-submitted")

    max_ = open_as(browser, activity_server, "max@example.com", "/progress/")
    progress = widget(max_, "progress")
    waiting = progress.locator(".rt-waiting__item", has_text="Lea Learner")
    expect(waiting).to_contain_text("Debrief waiting for feedback")
    waiting.get_by_role("button", name="Give feedback").click()
    expect(waiting.locator(".rt-giver")).to_contain_text("I forgot the next step")
    waiting.get_by_label("Rating (1 to 5)").select_option("4")
    waiting.get_by_label("Your feedback on the debrief").fill("Strong opening. Next time, *name* the next step.")
    waiting.get_by_role("button", name="Send feedback").click()
    expect(waiting.get_by_role("status").filter(has_text="Feedback sent.")).to_be_visible()
    shots(max_, "2-manager-gave-feedback")

    lea.reload()
    plan = widget(lea, "plan")
    expect(plan.locator(".rt-plan__stage")).to_have_text("Complete: feedback received.")
    feedback = plan.locator(".rt-feedback--feedback")
    expect(feedback).to_contain_text("Max Manager")
    expect(feedback).to_contain_text("Rating: 4 of 5")
    expect(feedback.locator("em")).to_have_text("name")
    widget(lea, "read").get_by_role("button", name="Mark as read").click()
    expect(widget(lea, "read")).to_contain_text("Marked as read")
    shots(lea, "3-learner-sees-feedback")

    lea.goto(activity_server.url + "/progress/")
    row = widget(lea, "progress").locator('tr[data-module-id="skills/plan-a-call"]')
    expect(row.locator(".rt-status-badge")).to_have_text("Complete")
    received = widget(lea, "progress").locator(".rt-feedback-received")
    expect(received).to_contain_text("Max Manager rated your debrief 4 of 5")
    shots(lea, "4-learner-progress-complete")


def test_three_learners_present_and_review_each_other(browser, activity_server, shots):
    emails = ("lea@example.com", "liam@example.com", "lou@example.com")
    pages = {}
    for email in emails:
        page = open_as(browser, activity_server, email, PITCH_PAGE)
        box = widget(page, "presentation")
        box.get_by_label("Upload a file").set_input_files(
            {"name": f"{email.split('@')[0]}-pitch.pdf", "mimeType": "application/pdf", "buffer": PDF})
        box.get_by_role("button", name="Submit presentation").click()
        expect(box.get_by_role("status").filter(has_text="Presentation submitted")).to_be_visible()
        expect(box.locator(".rt-own")).to_contain_text("pitch.pdf")
        pages[email] = page
    shots(pages["lou@example.com"], "1-three-submitted")

    for email, page in pages.items():
        page.reload()
        box = widget(page, "presentation")
        items = box.locator(".rt-to-review .rt-review-item")
        expect(items).to_have_count(2)  # peer_reviews: 2 in a cohort of three: everyone else
        for score in (3, 4):
            open_items = box.locator(".rt-to-review .rt-review-item")
            item = open_items.filter(has=page.get_by_role("button", name="Review")).first
            presenter = item.locator(".rt-author").inner_text()
            item.get_by_role("button", name="Review").click()
            form = item.locator(".rt-review-form")
            expect(form).to_contain_text(f"{presenter}'s presentation")
            form.get_by_label("clarity (1 to 5)").select_option(str(score))
            form.get_by_label("next step (1 to 5)").select_option("4")
            comment = f"Clear story from {presenter}; ask for the meeting."
            form.get_by_label("Your comments for the presenter").fill(comment)
            form.get_by_role("button", name="Submit review").click()
            expect(box.get_by_role("status").filter(has_text="Review submitted")).to_be_visible()
        expect(box.locator(".rt-to-review").get_by_role("button", name="Review")).to_have_count(0)
        expect(box.locator(".rt-to-review .rt-badge", has_text="✓ Reviewed")).to_have_count(2)
        shots(page, f"2-{email.split('@')[0]}-reviewed")

    for email, page in pages.items():
        page.reload()
        own = widget(page, "presentation").locator(".rt-own")
        expect(own.locator(".rt-review-count")).to_contain_text("2 of 2 reviews received.")
        expect(own.locator(".rt-averages")).to_contain_text("clarity")
        expect(own.locator(".rt-review")).to_have_count(2)
        expect(own.locator(".rt-review .rt-author").first).to_have_text("Peer 1")  # reviewers_named: false
        first = own.locator(".rt-review").first
        first.get_by_label("How helpful was this review? (1 to 5)").select_option("5")
        first.get_by_role("button", name="Rate").click()
        expect(first.get_by_role("status").filter(has_text="rating saved")).to_be_visible()
        shots(page, f"3-{email.split('@')[0]}-sees-feedback")

    page = pages["lea@example.com"]
    page.goto(activity_server.url + "/progress/")
    row = widget(page, "progress").locator('tr[data-module-id="skills/pitch-day"]')
    expect(row.locator(".rt-status-badge")).to_have_text("Complete")


def test_a_learner_fails_the_quiz_then_passes_it_and_my_progress_says_complete(browser, activity_server, shots):
    lea = open_as(browser, activity_server, "lea@example.com", "/progress/")
    row = widget(lea, "progress").locator('tr[data-module-id="skills/check-your-understanding"]')
    expect(row.locator(".rt-status-badge")).to_have_text("Not started")
    row.get_by_role("link", name="Check your understanding").click()
    quiz = widget(lea, "quiz")
    first = quiz.get_by_role("group", name="Question 1. What is the one job of a first discovery call?")
    first.get_by_label("Show the product's best features").check()
    quiz.get_by_role("group", name="Question 2. Which of these are open questions?").get_by_label(
        "Do you use spreadsheets?").check()
    quiz.get_by_label("Your answer").fill("AIDA")
    quiz.get_by_role("button", name="Submit answers").click()
    result = quiz.get_by_role("status").filter(has_text="Attempt 1")
    expect(result).to_have_text("Attempt 1: 0% (0 of 3 right). Not passed: the pass mark is 60%. Attempts left: 2.")
    expect(result).to_be_focused()
    expect(quiz).to_contain_text("That is a demo, for a later call.")
    expect(quiz).to_contain_text("This one can be answered with yes or no.")
    expect(quiz.locator(".rt-quiz__wrong")).to_have_count(3)
    shots(lea, "1-quiz-failed-with-feedback")

    quiz.get_by_label("Find out whether the customer has a problem worth solving").check()
    second = quiz.get_by_role("group", name="Question 2. Which of these are open questions?")
    second.get_by_label("Do you use spreadsheets?").uncheck()
    second.get_by_label("What happens today when an order is late?").check()
    second.get_by_label("How do you choose which accounts come first?").check()
    quiz.get_by_label("Your answer").fill("  spin ")
    quiz.get_by_role("button", name="Submit another attempt").click()
    result = quiz.get_by_role("status").filter(has_text="Attempt 2")
    expect(result).to_have_text("Attempt 2: 100% (3 of 3 right). Passed. Attempts left: 1.")
    expect(quiz).to_contain_text("Yes, everything else serves this.")
    expect(quiz).to_contain_text("SPIN selling, after Neil Rackham.")
    expect(quiz.locator(".rt-badge")).to_have_text("Passed")
    shots(lea, "2-quiz-passed")

    lea.get_by_role("link", name="My progress", exact=True).filter(visible=True).first.press("Enter")  # the nav, by keyboard
    row = widget(lea, "progress").locator('tr[data-module-id="skills/check-your-understanding"]')
    expect(row.locator(".rt-status-badge")).to_have_text("Complete")
    shots(lea, "3-progress-complete")

    for staff in ("cora@example.com", "max@example.com"):  # the cohort's coach; Lea's manager
        desk = open_as(browser, activity_server, staff, "/dashboard/")
        missed = desk.get_by_role("region", name="Quiz questions learners miss")
        first = missed.get_by_role("row", name=re.compile("^1. What is the one job"))
        expect(first.get_by_role("cell")).to_have_text(["Check your understanding", "1", "0%", "100%"])
        expect(missed.get_by_role("row", name=re.compile("^3. Which acronym"))).to_contain_text("100%")
    shots(desk, "4-dashboard-quiz-questions")
