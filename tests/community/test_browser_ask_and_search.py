"""Ask the author from a module page, and search, in real Chromium (screenshots under test-results/)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from support.browser import open_as, widget

pytestmark = pytest.mark.browser

MODULE = "/demo/talk-less/"


def test_learner_asks_the_author_who_answers_and_publishes(browser, authored_server, shots):
    page = open_as(browser, authored_server, "lea@example.com", MODULE)
    ask = widget(page, "ask-author")
    expect(ask.locator(".rt-written-by")).to_have_text("Written by Ana Author")
    ask.get_by_label("Your question (only you, the authors and your coaches see it)").fill(
        "Does silence feel rude to customers?")
    ask.get_by_role("button", name="Ask the author").click()
    expect(ask.locator("summary", has_text="Does silence feel rude")).to_be_visible()

    other = open_as(browser, authored_server, "liam@example.com", MODULE)
    expect(widget(other, "ask-author").locator(".rt-written-by")).to_be_visible()
    expect(widget(other, "ask-author").locator("summary", has_text="Does silence")).to_have_count(0)

    author = open_as(browser, authored_server, "ana@example.com", MODULE)
    aask = widget(author, "ask-author")
    expect(aask.locator(".rt-written-by")).to_contain_text("(you)")
    aask.locator("summary", has_text="Does silence feel rude").click()
    aask.get_by_label("Answer or follow up").fill("Rarely: count to three and they fill it.")
    aask.get_by_role("button", name="Post", exact=True).click()
    expect(aask.locator(".rt-comment .rt-body", has_text="count to three")).to_be_visible()
    shots(author, "author-answers")
    aask.get_by_role("button", name="Publish to the roundtable").click()
    expect(aask.locator(".rt-badge", has_text="Published")).to_be_visible()

    other.reload()
    roundtable = widget(other, "roundtable")
    expect(roundtable.locator(".rt-body", has_text="count to three")).to_be_visible()
    shots(other, "published-to-roundtable")


def test_search_from_the_forum_page_shows_only_what_one_may_read(browser, authored_server, shots):
    api = authored_server.api_as("lea@example.com")
    url = authored_server.url
    api.post(f"{url}/api/forums/boards/demo/topics", json={"title": "Pangolin openers", "body": "pangolin"})
    api.post(f"{url}/api/wiki/demo/pages/Pangolins", json={"body": "All about pangolins", "base_revision": 0})
    page = open_as(browser, authored_server, "liam@example.com", "/forum/?search=pangolin")
    forum = widget(page, "forum")
    expect(forum.locator(".rt-hit")).to_have_count(2)
    expect(forum.locator(".rt-hit mark").first).to_contain_text("angolin")
    shots(page, "search-results")
    forum.locator(".rt-hit a", has_text="Pangolins").click()
    expect(widget(page, "wiki").locator(".rt-wiki-page h2")).to_have_text("Pangolins")

    outsider = open_as(browser, authored_server, "ana@example.com", "/forum/?search=pangolin")
    expect(widget(outsider, "forum").get_by_text("Nothing found")).to_be_visible()
