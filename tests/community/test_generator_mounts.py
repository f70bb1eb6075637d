"""The generator's community mount points: "Ask the author" on modules that name authors, recent posts on program pages."""

from __future__ import annotations

from generator.model import Module, Program
from generator.mounts import module_mounts
from generator.pages import landing_page


def module(authors=()):
    """A module with no authored activity."""
    return Module(id="sales/calls", slug="calls", program_id="sales", title="Calls", src_path="sales/calls.md",
                  order=1, due_days=7, activities=(), completion="all", authors=authors)


def test_a_module_with_authors_gets_written_by_and_the_ask_author_mount():
    html = module_mounts(module(("ana@example.com", "<b>@example.com")))
    assert '<div class="rt-activity" data-rt-kind="ask-author" data-rt-id="sales/calls">' in html
    # the page is public: no e-mail addresses; the widget names the authors for members
    assert '<p class="rt-authors">Written by the authors of this module.</p>' in html
    assert "@example.com" not in html
    assert "Turn on JavaScript to ask the authors a question." in html


def test_a_module_without_authors_has_no_ask_author_mount():
    assert "ask-author" not in module_mounts(module())


def test_the_program_page_ends_with_recent_blog_posts():
    page = landing_page(Program(id="sales", title="Sales", audience="AEs", modules=(module(),), cohorts=()))
    assert page.rstrip().endswith("</div>")
    assert "## Recent blog posts" in page
    assert 'data-rt-kind="blog-recent" data-rt-id="sales"' in page
