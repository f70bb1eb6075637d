"""Markdown -> sanitised HTML: the only place where user text becomes HTML."""

from __future__ import annotations

import markdown
import nh3

TAGS = {
    "a", "p", "br", "hr", "em", "strong", "code", "pre", "blockquote",
    "ul", "ol", "li", "h3", "h4", "h5", "h6", "del", "table", "thead", "tbody", "tr", "th", "td",
}
ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
EXTENSIONS = ["fenced_code", "tables", "sane_lists", "nl2br"]


def render(body_md):
    """Render a comment's Markdown to HTML that is safe to put into innerHTML."""
    html = markdown.markdown(body_md, extensions=EXTENSIONS, output_format="html")
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer ugc",
        strip_comments=True,
    )
