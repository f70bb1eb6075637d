"""Search across forums, blogs and wiki (SQLite FTS5; PostgreSQL tsvector + GIN), scoped to what the viewer may read.

The index (``search_index``, migration 0005) is kept by triggers; every match is
checked by web/api/search.py against the same access rules as a direct read
before it is returned, so search can never show more than the forum, blog or
wiki would.
"""

from __future__ import annotations

import re

WORD = re.compile(r"\w+", re.UNICODE)
START, END = "\x02", "\x03"  # highlight markers in snippets; the widget turns them into <mark>


def fts_query(text):
    """Turn what a person typed into an FTS5 query: every word must appear (prefix match)."""
    words = WORD.findall(text)[:12]
    return " ".join(f'"{w}"*' for w in words)


def matches(db, *, text):
    """Yield the index rows matching ``text`` (kind, ref, title, snippet), best first; at most 500."""
    query = fts_query(text)
    if not query:
        return
    if db.dialect == "postgresql":
        yield from _pg_matches(db, text=text)
        return
    yield from db.query(
        f"""SELECT kind, ref, title, snippet(search_index, 1, '{START}', '{END}', '…', 16) AS snippet
            FROM search_index WHERE search_index MATCH ? ORDER BY rank LIMIT 500""", [query])


def wiki_page(db, *, page_id):
    """Return a wiki page's program, slug and title, or None."""
    return next(db.query("SELECT program_id, slug, title FROM wiki_pages WHERE id = ?", [page_id]), None)


def comment_owner(db, *, comment_id):
    """Return a comment's state and the topic or post owning its thread, or None."""
    return next(db.query(
        """SELECT c.thread_id, c.hidden, c.deleted, t.kind, f.id AS topic_id, b.id AS post_id
           FROM comments c JOIN threads t ON t.id = c.thread_id
           LEFT JOIN forum_topics f ON f.thread_id = t.id LEFT JOIN blog_posts b ON b.thread_id = t.id
           WHERE c.id = ?""", [comment_id]), None)


def _pg_matches(db, *, text):
    """PostgreSQL: what a person typed as web-search syntax, or every word as a prefix; best ranked first."""
    prefixes = " & ".join(f"{w}:*" for w in WORD.findall(text)[:12])
    yield from db.query(
        """SELECT kind, ref, title, ts_headline('english', body, q, :options) AS snippet
           FROM search_index,
                (SELECT websearch_to_tsquery('english', :text) || to_tsquery('english', :prefixes) AS q) AS typed
           WHERE document @@ q ORDER BY ts_rank(document, q) DESC, ref LIMIT 500""",
        {"text": text, "prefixes": prefixes,
         "options": f'StartSel="{START}", StopSel="{END}", MaxWords=16, MinWords=6, FragmentDelimiter="…"'})
