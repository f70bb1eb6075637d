"""The roundtable widget in real Chromium against the real server and a built site."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

MODULE_URL = "demo/talk-less/"  # the fixture program's module (tests/browser/fixture_program)

pytestmark = pytest.mark.browser

UNREACHABLE = "The discussion server can't be reached. Your text is kept; try again in a moment."
MODULE_PATH = "/" + MODULE_URL
ACTIVITY_ID = "demo/talk-less/roundtable"


def roundtable(page: Page):
    """The roundtable's mount point on a module page."""
    return page.locator('.rt-activity[data-rt-kind="roundtable"]')


def sign_in(page: Page, server, email: str):
    """Follow a fresh sign-in link back to the module page; return the roundtable."""
    page.goto(server.login_link(email, next_path=MODULE_PATH))
    page.wait_for_url(f"**{MODULE_PATH}")
    rt = roundtable(page)
    expect(rt.get_by_label("Add to the roundtable")).to_be_visible()
    return rt


def post(rt, text: str, question: bool = False):
    """Post a top-level comment and wait until it is shown."""
    rt.get_by_label("Add to the roundtable").fill(text)
    if question:
        rt.get_by_label("Ask as a question").check()
    rt.get_by_role("button", name="Post", exact=True).click()
    expect(rt.get_by_role("status").filter(has_text="Posted.")).to_be_visible()


def comment(rt, text: str):
    """The <li> of the comment whose own body contains text."""
    return rt.locator("li.rt-comment").filter(has=rt.page.locator(":scope > article .rt-body", has_text=text))


def test_learner_and_coach_discuss_and_reply_is_marked_helpful(browser, live_server, shots):
    learner = browser.new_context(viewport={"width": 1200, "height": 900})
    coach = browser.new_context(viewport={"width": 1200, "height": 900})
    page = learner.new_page()
    rt = sign_in(page, live_server, "lea@example.com")
    expect(page.locator(".rt-account")).to_contain_text("Lea Learner")
    expect(rt.locator(".rt-fallback")).to_have_count(0)
    post(rt, "I ask **what changed** since we last spoke, then wait.", question=True)
    mine = comment(rt, "what changed")
    expect(mine.locator(".rt-body strong")).to_have_text("what changed")  # Markdown rendered by the server
    expect(mine.locator(".rt-badge", has_text="Open question")).to_be_visible()

    coach_page = coach.new_page()
    crt = sign_in(coach_page, live_server, "cora@example.com")
    question = comment(crt, "what changed")
    question.get_by_role("button", name="Reply").click()
    question.get_by_label("Reply to Lea Learner").fill("Good. Then *listen* for the second answer.")
    question.get_by_role("button", name="Reply", exact=True).click()
    expect(question.locator(".rt-replies .rt-body", has_text="listen for the second answer")).to_be_visible()
    shots(coach_page, "coach-replied")

    page.reload()
    reply = comment(rt, "listen for the second answer")
    expect(reply.locator(".rt-author")).to_have_text("Cora Coach")
    expect(reply.locator(".rt-badge--coach")).to_have_text("Coach")  # a text badge, not colour only
    expect(comment(rt, "what changed").locator(".rt-badge", has_text="Answered question")).to_be_visible()
    helpful = reply.get_by_role("button", name="Helpful")
    expect(helpful).to_have_attribute("aria-pressed", "false")
    helpful.click()
    expect(helpful).to_have_attribute("aria-pressed", "true")

    page.reload()  # the mark is on the server, not only in the page
    reply = comment(rt, "listen for the second answer")
    expect(reply.get_by_role("button", name="Helpful")).to_have_attribute("aria-pressed", "true")
    expect(reply.locator(".rt-helpful-count")).to_have_text("1 learner found this helpful")
    shots(page, "learner-marked-helpful")

    # Only the cookie: Material keeps the palette chosen on the first visit in localStorage.
    dark = browser.new_context(viewport={"width": 1200, "height": 900}, color_scheme="dark",
                               storage_state={"cookies": learner.storage_state()["cookies"], "origins": []})
    dark_page = dark.new_page()
    dark_page.goto(live_server.url + MODULE_PATH)
    expect(dark_page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    expect(comment(roundtable(dark_page), "listen for the second answer")).to_be_visible()
    shots(dark_page, "learner-dark-palette")
    for context in (learner, coach, dark):
        context.close()


def test_author_edits_and_deletes_own_comment(page: Page, live_server):
    rt = sign_in(page, live_server, "liam@example.com")
    post(rt, "First draft of my opening line.")
    comment_id = comment(rt, "First draft").get_attribute("data-comment-id")
    mine = rt.locator(f'li[data-comment-id="{comment_id}"]')  # found by id: the body hides while editing
    mine.get_by_role("button", name="Edit").click()
    expect(mine.get_by_label("Edit your comment")).to_have_value("First draft of my opening line.")
    mine.get_by_label("Edit your comment").fill("Second draft of my opening line.")
    mine.get_by_role("button", name="Save").click()
    mine = comment(rt, "Second draft")
    expect(mine.locator(".rt-comment__meta")).to_contain_text("edited")
    page.reload()
    mine = comment(rt, "Second draft")
    expect(mine.locator(".rt-comment__meta")).to_contain_text("edited")
    mine.get_by_role("button", name="Delete").click()
    mine.get_by_role("group", name="Confirm delete").get_by_role("button", name="Delete").click()
    expect(comment(rt, "Second draft")).to_have_count(0)
    page.reload()
    expect(roundtable(page).get_by_label("Add to the roundtable")).to_be_visible()
    expect(comment(roundtable(page), "Second draft")).to_have_count(0)


def post_by_api(server, http, body: str, **fields) -> dict:
    """Post a comment over HTTP as the session's user; return it."""
    thread = http.get(f"{server.url}/api/activities/{ACTIVITY_ID}/thread").json()["thread"]
    answer = http.post(f"{server.url}/api/threads/{thread['id']}/comments", json={"body": body, **fields})
    assert answer.status_code == 201, answer.text
    return answer.json()["comment"]


def test_coach_of_two_cohorts_picks_the_cohort(page: Page, live_server):
    post_by_api(live_server, live_server.api_as("lea@example.com"), "Only for my cohort. cohort-one")
    rt = sign_in(page, live_server, "cora@example.com")
    picker = rt.get_by_label("Cohort")
    expect(picker).to_have_value("demo-cohort")  # the server's default: the latest cohort
    expect(comment(rt, "cohort-one")).to_be_visible()
    picker.select_option("demo-cohort-2")
    expect(rt.get_by_text("No posts yet. Start the roundtable.")).to_be_visible()
    expect(comment(rt, "cohort-one")).to_have_count(0)
    rt.get_by_label("Cohort").select_option("demo-cohort")
    expect(comment(rt, "cohort-one")).to_be_visible()


def test_deleted_comment_with_replies_stays_as_a_placeholder(page: Page, live_server):
    parent = post_by_api(live_server, live_server.api_as("lea@example.com"), "A post I will regret. regret-me")
    post_by_api(live_server, live_server.api_as("cora@example.com"), "A reply worth keeping. keep-me",
                parent_id=parent["id"])
    rt = sign_in(page, live_server, "lea@example.com")
    mine = rt.locator(f'li[data-comment-id="{parent["id"]}"]')
    mine.get_by_role("button", name="Delete").click()
    mine.get_by_role("group", name="Confirm delete").get_by_role("button", name="Delete").click()
    expect(mine.locator(".rt-placeholder")).to_have_text("This comment was deleted.")
    page.reload()
    expect(mine.locator(".rt-placeholder")).to_have_text("This comment was deleted.")
    expect(mine.locator(".rt-replies .rt-body", has_text="keep-me")).to_be_visible()
    expect(mine).not_to_contain_text("regret-me")


def test_coach_hides_a_comment_from_learners_and_shows_it_again(browser, live_server, shots):
    post_by_api(live_server, live_server.api_as("liam@example.com"), "Selling my bike, DM me. hide-me")
    learner = browser.new_context().new_page()
    lrt = sign_in(learner, live_server, "lea@example.com")
    expect(comment(lrt, "hide-me")).to_be_visible()

    coach = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    crt = sign_in(coach, live_server, "cora@example.com")
    target = comment(crt, "hide-me")
    target.get_by_role("button", name="Hide").click()
    expect(target).to_have_class(re.compile(r"rt-comment--hidden"))  # greyed for the coach
    expect(target.locator(".rt-badge--hidden")).to_have_text("Hidden from learners")
    target.scroll_into_view_if_needed()
    shots(coach, "coach-hid-a-comment")

    learner.reload()
    expect(lrt.get_by_label("Add to the roundtable")).to_be_visible()
    expect(comment(lrt, "hide-me")).to_have_count(0)

    target.get_by_role("button", name="Unhide").click()
    expect(target).not_to_have_class(re.compile(r"rt-comment--hidden"))
    learner.reload()
    expect(comment(lrt, "hide-me")).to_be_visible()
    learner.context.close()
    coach.context.close()


def test_long_thread_loads_more_on_request(page: Page, own_server):
    http = own_server.api_as("liam@example.com")
    for n in range(1, 56):
        post_by_api(own_server, http, f"Comment number {n:02d}.")
    rt = sign_in(page, own_server, "lea@example.com")
    expect(rt.locator("li.rt-comment")).to_have_count(50)  # the widget asks for 50 at a time
    post(rt, "A fresh post before loading the rest.")
    rt.get_by_role("button", name="Load more").click()
    expect(rt.locator("li.rt-comment")).to_have_count(56)
    expect(rt.locator("li.rt-comment").nth(54)).to_contain_text("Comment number 55.")
    expect(rt.locator("li.rt-comment").last).to_contain_text("A fresh post")  # still oldest first
    expect(rt.get_by_role("button", name="Load more")).to_have_count(0)


def test_sign_out_from_the_header(page: Page, live_server):
    sign_in(page, live_server, "lea@example.com")
    page.goto(live_server.url + "/signin/")
    expect(page.locator(".rt-signin")).to_contain_text("You are signed in as Lea Learner")
    page.goto(live_server.url + MODULE_PATH)
    page.locator(".rt-account").get_by_role("button", name="Sign out").click()
    expect(roundtable(page).get_by_role("link", name="Sign in to join the discussion")).to_be_visible()
    expect(page.locator(".rt-account").get_by_role("link", name="Sign in")).to_be_visible()


def test_comment_on_an_earlier_version_of_the_module_is_marked(page: Page, editable_server):
    server = editable_server
    post_by_api(server, server.api_as("liam@example.com"), "Written before the edit. old-version")
    rt = sign_in(page, server, "lea@example.com")
    expect(comment(rt, "old-version").locator(".rt-outdated")).to_have_count(0)

    module = server.site_dir.parent / "content" / (MODULE_URL.rstrip("/") + ".md")
    module.write_text(module.read_text() + "\nA paragraph the authors added later.\n")
    server.rebuild_site()
    page.reload()
    expect(comment(rt, "old-version").locator(".rt-outdated")).to_have_text(
        "Written on an earlier version of this module.")
    post(rt, "Written after the edit. new-version")
    expect(comment(rt, "new-version").locator(".rt-outdated")).to_have_count(0)


def test_signed_out_visitor_is_asked_to_sign_in(page: Page, live_server, shots):
    page.goto(live_server.url + MODULE_PATH)
    link = roundtable(page).get_by_role("link", name="Sign in to join the discussion")
    expect(link).to_be_visible()
    target = urlparse(link.get_attribute("href"))
    assert target.path == "/signin/"
    assert f"next={MODULE_PATH.replace('/', '%2F')}" in target.query
    expect(roundtable(page).locator(".rt-fallback")).to_have_count(0)
    shots(page, "signed-out")
    link.click()
    expect(page.get_by_label("Your email address")).to_be_visible()


def test_used_sign_in_link_says_so_and_offers_a_new_one(browser, live_server, shots):
    link = live_server.login_link("liam@example.com", next_path=MODULE_PATH)
    first = browser.new_context().new_page()
    first.goto(link)
    first.wait_for_url(f"**{MODULE_PATH}")
    second = browser.new_context().new_page()
    second.goto(link)
    expect(second.get_by_role("alert")).to_contain_text("already used")
    assert "token=" not in second.url  # the token left the address bar and history
    second.get_by_label("Your email address").fill("liam@example.com")
    second.get_by_role("button", name="Email me a sign-in link").click()
    expect(second.get_by_text("Check your email.")).to_be_visible()
    shots(second, "used-link")
    first.context.close()
    second.context.close()


def test_sign_in_link_survives_an_unreachable_server(page: Page, live_server):
    page.route("**/api/auth/redeem", lambda route: route.abort("connectionrefused"))
    page.goto(live_server.login_link("lea@example.com", next_path=MODULE_PATH))
    expect(page.get_by_role("alert")).to_contain_text("can't be reached")
    assert "token=" in page.url  # not used up: the same link can try again
    page.unroute("**/api/auth/redeem")
    page.get_by_role("button", name="Try again").click()
    page.wait_for_url(f"**{MODULE_PATH}")
    expect(roundtable(page).get_by_label("Add to the roundtable")).to_be_visible()


def test_expired_sign_in_link_says_so(page: Page, expiring_server, shots):
    page.goto(expiring_server.login_link("lea@example.com", next_path=MODULE_PATH))
    expect(page.get_by_role("alert")).to_contain_text("expired")
    expect(page.get_by_label("Your email address")).to_be_visible()
    shots(page, "expired-link")


def test_unreachable_server_is_explained_and_typed_text_kept(page: Page, own_server, shots):
    rt = sign_in(page, own_server, "lea@example.com")
    box = rt.get_by_label("Add to the roundtable")
    box.fill("A post typed while the server goes away.")
    own_server.stop()
    rt.get_by_role("button", name="Post", exact=True).click()
    expect(rt.get_by_role("alert")).to_have_text(UNREACHABLE)
    expect(box).to_have_value("A post typed while the server goes away.")
    shots(page, "post-while-server-down")

    own_server.start()  # same port, same instance: the session cookie still holds
    rt.get_by_role("button", name="Post", exact=True).click()
    expect(comment(rt, "typed while the server goes away")).to_be_visible()
    expect(box).to_have_value("")


def test_unreachable_api_on_load_shows_message_and_retry(page: Page, live_server, shots):
    sign_in(page, live_server, "lea@example.com")
    page.route("**/api/**", lambda route: route.abort("connectionrefused"))
    page.reload()
    rt = roundtable(page)
    expect(rt.get_by_role("alert")).to_contain_text("can't be reached")
    shots(page, "server-unreachable")
    page.unroute("**/api/**")
    rt.get_by_role("button", name="Try again").click()
    expect(rt.get_by_label("Add to the roundtable")).to_be_visible()


def test_script_in_a_comment_stays_inert(page: Page, live_server):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    rt = sign_in(page, live_server, "liam@example.com")
    payload = ('Look <img src=x onerror="document.body.dataset.pwned=1;alert(1)"> and '
               '<script>document.body.dataset.pwned=2</script> [x](javascript:alert(3)) end-of-payload')
    post(rt, payload)
    page.reload()
    body = comment(roundtable(page), "end-of-payload").locator(".rt-body")
    expect(body).to_be_visible()
    page.wait_for_timeout(300)  # give a broken image's onerror the time to fire
    assert dialogs == []
    assert page.evaluate("document.body.dataset.pwned") is None
    assert body.locator("script, [onerror], [onload]").count() == 0
    assert all(not (href or "").lower().startswith("javascript:")
               for href in body.locator("a").evaluate_all("els => els.map(a => a.getAttribute('href'))"))


def test_a_page_load_only_talks_to_localhost(page: Page, live_server):
    hosts = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).hostname))
    sign_in(page, live_server, "lea@example.com")
    page.reload()
    expect(roundtable(page).get_by_label("Add to the roundtable")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert hosts == {"127.0.0.1"}


def test_widget_mounts_again_after_instant_navigation(page: Page, live_server):
    sign_in(page, live_server, "lea@example.com")
    page.goto(live_server.url + "/demo/")
    page.evaluate("window.__sameDocument = true")  # gone if the browser loads a new document
    page.locator("article").get_by_role("link", name="Talk less").first.click()
    page.wait_for_url(f"**{MODULE_PATH}")
    expect(roundtable(page).get_by_label("Add to the roundtable")).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True, "Material's instant navigation did not run"


def test_sign_in_link_points_at_the_site_root_after_instant_navigation(page: Page, live_server):
    page.goto(live_server.url + "/demo/")
    page.evaluate("window.__sameDocument = true")
    page.locator("article").get_by_role("link", name="Talk less").first.click()
    link = roundtable(page).get_by_role("link", name="Sign in to join the discussion")
    expect(link).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True, "Material's instant navigation did not run"
    assert urlparse(link.get_attribute("href")).path == "/signin/"
    header_link = urlparse(page.locator(".rt-account").get_by_role("link", name="Sign in").get_attribute("href"))
    assert header_link.path == "/signin/"
    assert f"next={MODULE_PATH.replace('/', '%2F')}" in header_link.query  # this page, not the first one
