"""The dashboard as a desk in real Chromium (issue 10): each kind of queue item, a coach's and a manager's,
is clicked and its target is drawn in view; a learner's name in the matrix opens their page, and every
link on it lands on its item; an item is dismissed and put back; an admin sees a program's cohorts.

The journey program with one change: its second module has a plan whose feedback comes from the coach,
so a coach has a plan waiting too. The server's clock starts on 2027-01-10, after the first module's due
date (2027-01-01), so Liam, who has no plan, is behind and needs attention."""

from __future__ import annotations

import os
import re
import shutil

import pytest
from playwright.sync_api import expect
from support.browser import open_as
from support.journeys import ADMIN, AUTHOR, JOURNEY_PROGRAM, MODULE, PEOPLE, _ok, set_scene
from support.live import LiveServer, free_port, run_cli

pytestmark = pytest.mark.browser

COACH_PLAN = """---
title: Follow-up
due: 70d
activities:
  - plan:
      prompt: Plan your follow-up mail.
      debrief: Did they answer?
      feedback_from: coach
---

# Follow-up

Send the summary the same day.
"""


@pytest.fixture(scope="module")
def desk_server(tmp_path_factory):
    """The journey program (plus a coach-feedback plan) on a server whose clock starts on 2027-01-10."""
    port = free_port()
    program = tmp_path_factory.mktemp("desk-program") / "journey_program"
    shutil.copytree(JOURNEY_PROGRAM, program)
    (program / "content" / "team" / "follow-up.md").write_text(COACH_PLAN)
    with open(program / "mkdocs.yml", "a") as f:
        f.write(f"site_url: http://127.0.0.1:{port}/\n")
    run_cli("build", env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, cwd=program)
    server = LiveServer(program / "site", tmp_path_factory.mktemp("desk-instance"), port,
                        CLOCK="2027-01-10T09:00:00Z").start()
    try:
        server.add_people(PEOPLE)
        for (email, name), extra in ((AUTHOR, ()), (ADMIN, ("--admin",))):  # as start_journey_server does
            server.cli("user", "add", email, "--name", name, *extra)
        server.scene = set_scene(server)
        url, liam, lea = server.url, server.api_as("liam@example.com"), server.api_as("lea@example.com")
        thread = _ok(liam.get(f"{url}/api/activities/{MODULE}/roundtable/thread"))["thread"]["id"]
        server.question = _ok(liam.post(f"{url}/api/threads/{thread}/comments",
                                        json={"body": "How long should the silence last?", "question": True}))
        plan = _ok(lea.post(f"{url}/api/activities/team/follow-up/plan/plan", json={"body": "Mail by five."}))
        _ok(lea.post(f"{url}/api/plans/{plan['plan']['id']}/submit", json={}))
        yield server
    finally:
        server.stop()


# the target is drawn after the page's widgets fetch their data: on a loaded 2-core machine that can take
# longer than expect's 5 s, which would say nothing about where the link lands
DRAWN = 20_000


def landed(page, href):
    """The element the link's anchor names: drawn, and in the viewport."""
    anchor = href.split("#", 1)[1]
    target = page.locator(f"#{anchor}")
    expect(target).to_be_in_viewport(timeout=DRAWN)
    return target


def follow_queue_item(browser, server, email, kind, nth=0):
    """Open the dashboard as email, click the item of kind in the to-do list; return (page, href)."""
    page = open_as(browser, server, email, "/dashboard/")
    link = page.locator(f'li[data-kind="{kind}"] .rt-dash-what a').nth(nth)
    href = link.get_attribute("href")
    assert href.startswith(f"{server.url}/"), href  # absolute, on the site's root
    link.click()
    page.wait_for_url(href)
    return page, href


@pytest.mark.parametrize(("kind", "ready"), [
    ("open_question", "How long should the silence last?"),
    ("unanswered_post", "what changed"),
    ("presentation_short", "Your comments for the presenter"),
    ("plan_waiting", "What should change before the encounter?"),
    ("learner_attention", "Liam Learner"),
])
def test_each_coach_queue_item_lands_on_its_item(browser, desk_server, kind, ready):
    page, href = follow_queue_item(browser, desk_server, "cora@example.com", kind)
    target = landed(page, href)
    if kind in ("presentation_short", "plan_waiting"):
        expect(target.get_by_label(ready)).to_be_visible()  # the form the coach came for, ready
    else:
        expect(target).to_contain_text(ready)
    page.context.close()


@pytest.mark.parametrize(("kind", "ready"), [
    ("plan_waiting", "What should change before the encounter?"), ("learner_attention", "Liam Learner")])
def test_each_manager_item_lands_on_its_item(browser, desk_server, kind, ready):
    page, href = follow_queue_item(browser, desk_server, "mona@example.com", kind)
    target = landed(page, href)
    if kind == "plan_waiting":
        expect(target.get_by_label(ready)).to_be_visible()
    else:
        expect(target.get_by_role("heading", level=2)).to_have_text(ready)
    page.context.close()


def test_a_learner_name_opens_their_page_and_each_link_on_it_lands(browser, desk_server, shots):
    page = open_as(browser, desk_server, "cora@example.com", "/dashboard/")
    page.locator(".rt-dash-matrix tbody").get_by_role("link", name="Lea Learner").click()
    page.wait_for_url(re.compile(r"dashboard/\?cohort=team-cohort&learner=\d+#rt-learner-\d+"))
    learner = page.locator("article.rt-learner")
    expect(learner.get_by_role("heading", level=2)).to_have_text("Lea Learner")
    expect(learner).to_be_in_viewport()
    work = learner.locator(".rt-learner-work a")
    kinds = sorted(set(learner.locator(".rt-learner-work li").evaluate_all("els => els.map(e => e.dataset.work)")))
    assert kinds == ["plan", "post", "presentation", "reflection"], kinds
    shots(page, "learner-page")
    hrefs = work.evaluate_all("els => els.map(e => e.href)")
    for href in hrefs:
        page.goto(href)
        landed(page, href) if "#" in href else expect(page.locator(".rt-blog-post, article").first).to_be_visible()
    page.context.close()


def test_a_reflection_link_opens_the_post(browser, desk_server):
    page = open_as(browser, desk_server, "cora@example.com", "/dashboard/")
    page.locator(".rt-dash-matrix tbody").get_by_role("link", name="Lea Learner").click()
    link = page.locator('article.rt-learner li[data-work="reflection"] a')
    link.click()
    page.wait_for_url(re.compile(r"blogs/\?post=\d+"))
    expect(page.get_by_text("Next time I will pause longer.")).to_be_in_viewport()
    page.context.close()


def test_dismiss_hides_an_item_and_put_back_returns_it(browser, desk_server):
    page = open_as(browser, desk_server, "cora@example.com", "/dashboard/")
    queue = page.locator(".rt-dash-queue")
    item = queue.locator('li[data-kind="open_question"]')
    expect(item).to_have_count(1)
    item.get_by_role("button", name="Dismiss").click()
    expect(queue.get_by_role("status")).to_contain_text("comes back when it changes")
    expect(queue.get_by_role("status")).to_be_focused()
    expect(item).to_have_count(0)
    aside = queue.locator(".rt-dash-aside")
    aside.locator("summary").click()
    aside.get_by_role("button", name="Put back").click()
    expect(item).to_have_count(1)
    page.context.close()


def test_a_learner_page_nobody_may_open_says_so(browser, desk_server):
    lea = desk_server.api_as("cora@example.com").get(f"{desk_server.url}/api/dashboard/cohorts/team-cohort").json()
    lea_id = next(r["learner"]["id"] for r in lea["matrix"]["rows"] if r["learner"]["name"] == "Lea Learner")
    page = open_as(browser, desk_server, "liam@example.com", f"/dashboard/?cohort=team-cohort&learner={lea_id}")
    expect(page.locator(".rt-dash-refused, .rt-error").first).to_be_visible()
    expect(page.locator("article.rt-learner")).to_have_count(0)
    page.context.close()


def test_an_admin_sees_every_cohort_of_the_program(browser, desk_server):
    page = open_as(browser, desk_server, "root@example.com", "/dashboard/")
    across = page.locator(".rt-dash-across")
    expect(across.locator('tr[data-cohort="team-cohort"]')).to_contain_text("Journey test cohort")
    across.get_by_role("button", name="Journey test cohort").click()
    expect(page.locator(".rt-dash-glance h2")).to_contain_text("Journey test cohort")
    page.context.close()
