"""Markdown -> sanitised HTML: the only place where user text becomes HTML."""

from __future__ import annotations

import re

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options

TAGS = {
    "a", "p", "br", "hr", "em", "strong", "code", "pre", "blockquote",
    "ul", "ol", "li", "h3", "h4", "h5", "h6", "del", "table", "thead", "tbody", "tr", "th", "td",
}
ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
# CommonMark as GitHub writes it, through GitHub's own cmark-gfm (C; about a tenth of mistune's time
# for a comment, issue 14): a list may follow a line of text, ~~struck~~, tables, and a line break
# where the author broke the line. Raw HTML passes (UNSAFE) to nh3, which keeps only TAGS.
EXTENSIONS = ["table", "strikethrough"]
OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_HARDBREAKS


def render(body_md):
    """Render a comment's Markdown to HTML that is safe to put into innerHTML."""
    html = cmarkgfm.markdown_to_html_with_extensions(body_md, options=OPTIONS, extensions=EXTENSIONS)
    return mark_mentions(nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer ugc",
        strip_comments=True,
    ).strip())


# @First.Last or @name in text (not in an e-mail address, a link, or code): wrapped after
# sanitising, so the span is ours; the people told are found by notify_events.mentioned().
MENTION = re.compile(r"(?<![\w.@&/])@([A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)*)")
_TAG = re.compile(r"(<[^>]*>)")
_SKIP = {"a", "code", "pre"}


def mark_mentions(html):
    """Wrap @mentions in the text of sanitised HTML in <span class="rt-mention">."""
    if "@" not in html:
        return html
    depth, out = 0, []
    for part in _TAG.split(html):
        if part.startswith("<"):
            name = part.strip("</>").split()[0].lower() if part.strip("</>") else ""
            if name in _SKIP and not part.endswith("/>"):
                depth += -1 if part.startswith("</") else 1
            out.append(part)
        else:
            out.append(part if depth else MENTION.sub(r'<span class="rt-mention">@\1</span>', part))
    return "".join(out)
