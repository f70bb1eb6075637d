"""Search across forums, blogs and wiki (SQLite FTS5), scoped to what the viewer may read.

The index (``search_index``, migration 0005) is kept by triggers; every hit is
checked against the same visibility rules as a direct read before it is
returned, so search can never show more than the forum, blog or wiki would.
"""

from __future__ import annotations

import re

from comments_server.store import blogs, forums, wiki

WORD = re.compile(r"\w+", re.UNICODE)
START, END = "\x02", "\x03"  # highlight markers in snippets; the widget turns them into <mark>


def fts_query(text):
    """Turn what a person typed into an FTS5 query: every word must appear (prefix match)."""
    words = WORD.findall(text)[:12]
    return " ".join(f'"{w}"*' for w in words)


def search(db, *, viewer, text, limit=20):
    """Return up to ``limit`` visible hits for ``text``, best first."""
    query = fts_query(text)
    if not query:
        return []
    rows = db.query(
        f"""SELECT kind, ref, title, snippet(search_index, 1, '{START}', '{END}', '…', 16) AS snippet
            FROM search_index WHERE search_index MATCH ? ORDER BY rank LIMIT 500""", [query])
    hits = []
    for row in rows:
        hit = _resolve(db, row, viewer)
        if hit:
            hits.append({**hit, "snippet": row["snippet"]})
        if len(hits) >= limit:
            break
    return hits


def _resolve(db, row, viewer):
    """Return the public description of one index row if the viewer may read it, else None."""
    kind, ref = row["kind"], row["ref"]
    if kind == "topic":
        found = forums.get_visible(db, topic_id=int(ref), viewer=viewer)
        return found and {"kind": "topic", "title": found[0]["title"], "topic_id": found[0]["id"],
                          "board": found[1]["id"]}
    if kind == "post":
        post = blogs.get_visible(db, post_id=int(ref), viewer=viewer)
        return post and {"kind": "post", "title": post["title"], "post_id": post["id"],
                         "author": post["author_name"]}
    if kind == "wiki":
        return _wiki_hit(db, int(ref), viewer)
    if kind == "comment":
        return _comment_hit(db, int(ref), viewer)
    return None


def _wiki_hit(db, page_id, viewer):
    """Return a wiki hit if the viewer may read the page's wiki."""
    page = next(db.query("SELECT program_id, slug, title FROM wiki_pages WHERE id = ?", [page_id]), None)
    if page is None or wiki.get_wiki(db, program_id=page["program_id"], viewer=viewer) is None:
        return None
    return {"kind": "wiki", "title": page["title"], "program_id": page["program_id"], "slug": page["slug"]}


def _comment_hit(db, comment_id, viewer):
    """Return a hit for a live comment under a topic or post the viewer may read."""
    row = next(db.query(
        """SELECT c.thread_id, c.hidden, c.deleted, t.kind, f.id AS topic_id, b.id AS post_id
           FROM comments c JOIN threads t ON t.id = c.thread_id
           LEFT JOIN forum_topics f ON f.thread_id = t.id LEFT JOIN blog_posts b ON b.thread_id = t.id
           WHERE c.id = ?""", [comment_id]), None)
    if row is None or row["deleted"] or row["hidden"]:
        return None
    if row["topic_id"]:
        found = forums.get_visible(db, topic_id=row["topic_id"], viewer=viewer)
        return found and {"kind": "comment", "title": f"Reply in: {found[0]['title']}",
                          "topic_id": found[0]["id"], "board": found[1]["id"], "comment_id": comment_id}
    if row["post_id"]:
        post = blogs.get_visible(db, post_id=row["post_id"], viewer=viewer)
        return post and {"kind": "comment", "title": f"Comment on: {post['title']}",
                         "post_id": post["id"], "comment_id": comment_id}
    return None
