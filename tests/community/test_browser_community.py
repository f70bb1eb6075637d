"""Forums, blogs and the wiki in real Chromium against the real server and a built site, with screenshots."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from support.browser import open_as, widget

pytestmark = pytest.mark.browser

LEARNER, OTHER, COACH = "lea@example.com", "liam@example.com", "cora@example.com"


def test_start_a_forum_topic_and_reply(browser, live_server, shots):
    page = open_as(browser, live_server, LEARNER, "/forum/")
    forum = widget(page, "forum")
    forum.get_by_role("link", name="Browser test program").click()
    forum.get_by_text("Start a new topic").click()
    forum.get_by_label("Title").fill("How do you stop talking?")
    forum.get_by_label("What do you want to discuss?").fill("I keep **filling silences**. Tips?")
    forum.get_by_role("button", name="Start topic").click()
    expect(forum.locator(".rt-topic h2")).to_contain_text("How do you stop talking?")
    expect(forum.locator(".rt-topic .rt-body strong")).to_have_text("filling silences")
    topic_url = page.url
    assert "?topic=" in topic_url

    coach = open_as(browser, live_server, COACH, "/forum/?" + topic_url.split("?", 1)[1])  # a shared deep link
    cforum = widget(coach, "forum")
    expect(cforum.locator(".rt-topic h2")).to_contain_text("How do you stop talking?")
    cforum.get_by_label("Reply to the topic").fill("Count to three *before* you answer.")
    cforum.get_by_role("button", name="Post", exact=True).click()
    expect(cforum.locator(".rt-comment .rt-body", has_text="Count to three")).to_be_visible()
    cforum.get_by_role("button", name="Pin").click()
    expect(cforum.locator(".rt-topic .rt-badge--pinned")).to_be_visible()

    page.reload()  # the deep link survives a reload
    reply = forum.locator("li.rt-comment", has_text="Count to three")
    expect(reply.locator(".rt-author")).to_have_text("Cora Coach")
    reply.get_by_role("button", name="Reply").click()
    reply.get_by_label("Reply to Cora Coach").fill("Thanks, trying it today.")
    reply.get_by_role("button", name="Reply", exact=True).click()
    expect(reply.locator(".rt-replies .rt-body", has_text="trying it today")).to_be_visible()
    shots(page, "forum-topic-with-replies")
    forum.get_by_role("link", name="Browser test program").click()
    expect(forum.locator(".rt-topics li", has_text="How do you stop talking?").locator(".rt-badge--pinned")).to_be_visible()
    shots(page, "forum-board")


def test_write_a_blog_post_and_comment_on_it(browser, live_server, shots):
    page = open_as(browser, live_server, LEARNER, "/blogs/")
    blogs = widget(page, "blogs")
    blogs.get_by_text("Write a post").click()
    blogs.get_by_label("Title").fill("Week one: silence is golden")
    blogs.get_by_label("Post (Markdown)").fill("I talked *less* and learned **more**.")
    blogs.get_by_label("Who can read it").select_option("program")
    blogs.get_by_role("button", name="Publish").click()
    expect(blogs.locator(".rt-post h2")).to_have_text("Week one: silence is golden")
    post_url = page.url

    other = open_as(browser, live_server, OTHER, "/blogs/?" + post_url.split("?", 1)[1])
    oblogs = widget(other, "blogs")
    expect(oblogs.locator(".rt-post .rt-body em")).to_have_text("less")
    oblogs.get_by_label("Comment on this post").fill("Same here, it works!")
    oblogs.get_by_role("button", name="Post", exact=True).click()
    expect(oblogs.locator(".rt-comment .rt-body", has_text="it works")).to_be_visible()

    page.reload()
    expect(blogs.locator(".rt-comment .rt-author")).to_have_text("Liam Learner")
    shots(page, "blog-post-with-comment")
    blogs.locator(".rt-crumbs").get_by_role("link", name="Blogs").click()
    expect(blogs.locator(".rt-post-card", has_text="silence is golden")).to_contain_text("1 comment")
    shots(page, "blogs-home")


def test_edit_a_wiki_page_twice_then_history_diff_and_revert(browser, live_server, shots):
    page = open_as(browser, live_server, LEARNER, "/wiki/?program=demo")
    wiki = widget(page, "wiki")
    wiki.get_by_label("New page").fill("Silence tips")
    wiki.get_by_role("button", name="Create").click()
    wiki.get_by_label("Text (Markdown; link pages with [[Page name]])").fill("Count to three.\nSee [[Listening]].")
    wiki.get_by_role("button", name="Create page").click()
    expect(wiki.locator(".rt-wiki-page h2")).to_have_text("Silence tips")
    expect(wiki.locator(".rt-wiki-page .rt-body a", has_text="Listening")).to_be_visible()

    for text in ("Count to five.\nSee [[Listening]].", "Count to five.\nNod.\nSee [[Listening]]."):
        wiki.get_by_role("link", name="Edit").click()
        wiki.get_by_label("Text (Markdown; link pages with [[Page name]])").fill(text)
        wiki.get_by_role("button", name="Save").click()
        expect(wiki.locator(".rt-wiki-page .rt-body")).to_contain_text(text.split("\n")[0])
    expect(wiki.locator(".rt-wiki-page")).to_contain_text("Revision 3")

    wiki.get_by_role("link", name="History").click()
    expect(wiki.locator(".rt-history tbody tr")).to_have_count(3)
    shots(page, "wiki-history")
    wiki.get_by_label("from revision 1").check()
    wiki.get_by_label("to revision 3").check()
    wiki.get_by_role("button", name="Compare").click()
    expect(wiki.locator(".rt-diff--del", has_text="Count to three.")).to_be_visible()
    expect(wiki.locator(".rt-diff--add", has_text="Nod.")).to_be_visible()
    page.reload()  # the diff is a shareable URL
    expect(wiki.locator(".rt-diff--add", has_text="Count to five.")).to_be_visible()
    shots(page, "wiki-diff")

    wiki.get_by_role("link", name="Back to history").click()
    wiki.get_by_role("button", name="Revert to 1").click()
    expect(wiki.locator(".rt-wiki-page")).to_contain_text("Revision 4")
    expect(wiki.locator(".rt-wiki-page .rt-body")).to_contain_text("Count to three.")
    shots(page, "wiki-reverted")


def test_wiki_conflict_keeps_the_editors_text(browser, live_server, shots):
    page = open_as(browser, live_server, LEARNER, "/wiki/?program=demo")
    api = live_server.api_as(OTHER)
    base = f"{live_server.url}/api/wiki/demo/pages/Pitch-openers"
    assert api.post(base, json={"body": "Open with a question.", "base_revision": 0}).status_code == 201
    page.goto(f"{live_server.url}/wiki/?program=demo&page=Pitch-openers&view=edit")
    wiki = widget(page, "wiki")
    editor = wiki.get_by_label("Text (Markdown; link pages with [[Page name]])")
    expect(editor).to_have_value("Open with a question.")
    assert api.post(base, json={"body": "Open with a story.", "base_revision": 1}).status_code == 200
    editor.fill("Open with a question about their week.")
    wiki.get_by_role("button", name="Save").click()
    expect(wiki.get_by_role("alert")).to_contain_text("while you were editing")
    expect(editor).to_have_value("Open with a question about their week.")
    expect(wiki.locator(".rt-current-text")).to_have_text("Open with a story.")
    shots(page, "wiki-conflict")
    wiki.get_by_role("button", name="Save").click()  # now on top of revision 2
    expect(wiki.locator(".rt-wiki-page")).to_contain_text("Revision 3")
