"""Wiki text: page slugs, [[links]] between pages, and line diffs between revisions (pure, no I/O)."""

from __future__ import annotations

import difflib
import re
import urllib.parse

from comments_server.domain.render import render

WIKILINK = re.compile(r"\[\[([^\[\]|\n]{1,200})(?:\|([^\[\]\n]{1,200}))?\]\]")
SLUG_STRIP = re.compile(r"[^\w\- ]+", re.UNICODE)


def slugify(title):
    """Return the slug of a page title: "Objection library" -> "Objection-library"."""
    slug = SLUG_STRIP.sub("", title.strip())
    return re.sub(r"[\s_]+", "-", slug).strip("-")[:120]


def page_href(program_id, slug):
    """Return the link to a wiki page, relative to the site's wiki/ page."""
    query = urllib.parse.urlencode({"program": program_id, "page": slug})
    return f"?{query}"


def expand_links(body_md, program_id):
    """Turn [[Page title]] and [[Page title|text]] into Markdown links to the program's pages."""
    def link(match):
        """Return the Markdown link for one [[...]]."""
        target, text = match.group(1).strip(), (match.group(2) or match.group(1)).strip()
        text = text.replace("[", "").replace("]", "")
        return f"[{text}]({page_href(program_id, slugify(target))})"

    return WIKILINK.sub(link, body_md)


def render_page(body_md, program_id):
    """Render a wiki page's Markdown, with its [[links]], to sanitised HTML."""
    return render(expand_links(body_md, program_id))


def diff(old_text, new_text):
    """Return a line diff as [{"op": " "|"-"|"+"|"@", "text": ...}] (difflib's unified format)."""
    lines = difflib.unified_diff(old_text.splitlines(), new_text.splitlines(), lineterm="", n=3)
    out = []
    for line in lines:
        if line.startswith(("---", "+++")):
            continue
        op = "@" if line.startswith("@@") else line[:1] or " "
        out.append({"op": op, "text": line if op == "@" else line[1:]})
    return out
