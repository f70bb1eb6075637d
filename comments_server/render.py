"""Markdown -> sanitised HTML: the only place where user text becomes HTML."""

from __future__ import annotations

import threading

import markdown
import nh3

TAGS = {
    "a", "p", "br", "hr", "em", "strong", "code", "pre", "blockquote",
    "ul", "ol", "li", "h3", "h4", "h5", "h6", "del", "table", "thead", "tbody", "tr", "th", "td",
}
ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
EXTENSIONS = ["fenced_code", "tables", "sane_lists", "nl2br"]


_local = threading.local()


def _markdown():
    """Return this thread's Markdown converter (building one loads every extension: slow)."""
    if not hasattr(_local, "md"):
        _local.md = markdown.Markdown(extensions=EXTENSIONS, output_format="html")
    return _local.md


def render(body_md):
    """Render a comment's Markdown to HTML that is safe to put into innerHTML."""
    html = _markdown().reset().convert(body_md)
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer ugc",
        strip_comments=True,
    )
