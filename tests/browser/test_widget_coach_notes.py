"""Coach-only blocks in real Chromium: drawn in place for a coach, nothing at all for a learner."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect
from support.browser import open_as
from support.live import FIXTURE_PROGRAM, free_port, rebuild, start_server

pytestmark = pytest.mark.browser

MODULE_PATH = "/demo/talk-less/"
NOTE = """
!!! coach "Facilitator notes"

    Pair the quietest learners first; stop the role play after **four minutes**.

After the notes.
"""


@pytest.fixture(scope="module")
def coach_server(tmp_path_factory):
    """The browser fixture program with a coach-only block in its module, built and served."""
    program = tmp_path_factory.mktemp("coach") / "fixture_program"
    shutil.copytree(FIXTURE_PROGRAM, program)
    with open(program / "content" / "demo" / "talk-less.md", "a") as f:
        f.write(NOTE)
    rebuild(program)
    server = start_server(program / "site", tmp_path_factory, free_port())
    try:
        yield server
    finally:
        server.stop()


def test_coach_sees_the_notes_drawn_in_place(browser, coach_server, shots):
    page = open_as(browser, coach_server, "cora@example.com", MODULE_PATH)
    notes = page.locator('.rt-activity[data-rt-kind="coach-notes"]')
    expect(notes.locator(".admonition-title")).to_contain_text("Facilitator notes")
    expect(notes.locator("strong")).to_have_text("four minutes")
    # in place: after the paragraph it followed in the Markdown, before the text after it
    order = page.evaluate("""() => {
        const note = document.querySelector('.rt-coach-notes');
        const after = [...document.querySelectorAll('.md-content p')].find(p => p.textContent === 'After the notes.');
        return note.compareDocumentPosition(after) & Node.DOCUMENT_POSITION_FOLLOWING ? 'before' : 'after';
    }""")
    assert order == "before"
    shots(page, "coach-sees-notes")
    page.context.close()


def test_learner_sees_nothing_of_the_notes(browser, coach_server, shots):
    page = open_as(browser, coach_server, "lea@example.com", MODULE_PATH)
    expect(page.locator('.rt-activity[data-rt-kind="roundtable"] textarea')).to_be_visible()
    mount = page.locator('.rt-activity[data-rt-kind="coach-notes"]')
    expect(mount).to_have_attribute("data-rt-mounted", "yes")  # the widget has had its answer (a 404)
    expect(mount).to_be_hidden()
    assert "Facilitator notes" not in page.content() and "quietest" not in page.content()
    shots(page, "learner-sees-nothing")
    page.context.close()


def test_anonymous_reader_sees_nothing_of_the_notes(page, coach_server):
    page.goto(coach_server.url + MODULE_PATH)
    expect(page.locator(".rt-account__link")).to_have_text("Sign in")
    mount = page.locator('.rt-activity[data-rt-kind="coach-notes"]')
    expect(mount).to_have_attribute("data-rt-mounted", "yes")
    expect(mount).to_be_hidden()
    assert "quietest" not in page.content()
