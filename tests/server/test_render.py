"""Markdown is rendered on the server and sanitised: script and event-handler payloads come back inert."""

from __future__ import annotations

import re

import pytest

from comments_server.domain.render import render

from .conftest import THREAD_URL, post_comment

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    '<svg onload=alert(1)><circle r="1"/></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<div style="background:url(javascript:alert(1))" onmouseover="alert(1)">x</div>',
    '"><script>alert(document.cookie)</script>',
    "<scr<script>ipt>alert(1)</script>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<details open ontoggle=alert(1)>',
    "```\n<script>alert(1)</script>\n```",
    '<form action="https://evil.example"><input name=x></form>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
]

DANGEROUS = re.compile(
    r"<\s*(script|iframe|svg|img|form|input|style|math|details|object|embed)|\son\w+\s*=|javascript:|data:",
    re.IGNORECASE,
)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_renders_inert(payload):
    assert not DANGEROUS.search(render(payload)), render(payload)


def test_payloads_posted_through_the_api_come_back_inert(sign_in, thread):
    api = sign_in("learner")
    for payload in PAYLOADS:
        post_comment(api, thread["id"], payload)
    for comment in api.get(THREAD_URL).json["comments"]:
        assert not DANGEROUS.search(comment["body_html"]), comment["body_html"]
        assert comment["body"] in PAYLOADS  # the author's own Markdown comes back as text


def test_code_keeps_its_text_escaped():
    assert "&lt;script&gt;" in render("`<script>`")


def test_links_get_rel_nofollow():
    html = render("[site](https://example.com)")
    assert 'href="https://example.com"' in html and "nofollow" in html


def test_ordinary_markdown_survives():
    html = render("**bold** and *it*\n\n- one\n- two\n\n> quoted")
    for tag in ("<strong>", "<em>", "<li>", "<blockquote>"):
        assert tag in html


def test_comments_read_as_github_writes_markdown():
    """A list right under a line of text is a list, ~~text~~ is struck, a line break stays a break."""
    html = render("My three takeaways:\n- listen\n- ask\n\n~~talk first~~\nthen *wait*")
    assert "<ul>" in html and "<li>listen</li>" in html
    assert "<del>talk first</del><br>" in html and "<em>wait</em>" in html


def test_an_ordered_list_keeps_where_it_starts():
    assert '<ol start="3">' in render("3. third\n4. fourth")
