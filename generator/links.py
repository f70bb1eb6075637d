"""Links and images in module bodies: pages that do not exist, images that are missing, #anchors that name no heading.

Heading ids follow the toc extension MkDocs renders with (its configured
`slugify` and `separator`, `{#id}` from attr_list, `_1` for a repeated one), so
an anchor `check` accepts is one the built page has.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Callable, Iterator

from markdown.extensions.toc import slugify as toc_slugify

from generator import coach
from generator.errors import Problem
from generator.pages import generated_paths

INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+[^)]*)?\)")
IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+[^)]*)?\)")
REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?")
FENCE = re.compile(r"^\s*(```|~~~)")
CODE_SPAN = re.compile(r"(`+)(?:(?!\n[ \t]*\n).)+?\1", re.DOTALL)  # may run over lines, never over a blank one
HEADING = re.compile(r"^\s*(#{1,6})\s+(.*?)\s*$")
SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
ATTR_ID = re.compile(r"\{[^}]*#([\w:.-]+)[^}]*\}")
HTML_ID = re.compile(r"""\b(?:id|name)\s*=\s*["']([^"']+)["']""")
INLINE_MARKUP = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|<[^>]+>|[*_`~]")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")

PAGE_FIX = "fix the path (relative to this file) or create the page"


def default_slug(text: str) -> str:
    """Return the id Python-Markdown's toc extension gives a heading by default."""
    return toc_slugify(text, "-")


def broken_links(project) -> list[Problem]:
    """Report links to missing pages (with or without .md), missing images and #anchors with no heading."""
    pages = {p.relative_to(project.docs_dir).as_posix() for p in project.docs_dir.rglob("*.md")}
    pages |= generated_paths(project.catalog)
    anchors = _Anchors(project)
    found = []
    for src_path, body in project.bodies.items():
        where = project.rel(project.docs_dir / src_path)
        for line, target, image in links(body.text, body.first_line):
            problem = _check_link(project, pages, anchors, src_path, target, image)
            if problem:
                found.append(Problem(where, line, *problem))
    return found


def _check_link(project, pages, anchors, src_path: str, target: str, image: bool) -> tuple[str, str] | None:
    """Return (message, fix) for one broken link or image, else None."""
    path, _, fragment = target.split("?", 1)[0].partition("#")
    here = posixpath.dirname(src_path)
    if image:
        if not (project.docs_dir / posixpath.normpath(posixpath.join(here, path))).is_file():
            return f"image '{path}' does not exist", "fix the path (relative to this file) or add the image"
        return None
    if not path:
        return anchors.problem(src_path, fragment, target, "this page") if fragment else None
    if path.endswith(".md"):
        page = posixpath.normpath(posixpath.join(here, path))
        if page not in pages:
            return f"link to '{path}': no such page", PAGE_FIX
        return anchors.problem(page, fragment, target, path) if fragment else None
    if "." in posixpath.basename(path.rstrip("/")):
        return _check_file(project, here, path)
    return _check_page_url(project, pages, anchors, src_path, path, fragment, target)


def _check_file(project, here: str, path: str) -> tuple[str, str] | None:
    """Check a link to a file that is not a page (a download, a data file): it must exist next to the page."""
    if path.endswith(".html") or (project.docs_dir / posixpath.normpath(posixpath.join(here, path))).is_file():
        return None
    return f"link to '{path}': no such file", "fix the path (relative to this file) or add the file"


def _check_page_url(project, pages, anchors, src_path, path, fragment, target) -> tuple[str, str] | None:
    """Check a link written as a page URL (`../intro/`): relative to the page's URL, one folder below its file."""
    page = page_for_url(posixpath.normpath(posixpath.join(page_url(src_path), path)), pages)
    if page is None:
        written = posixpath.normpath(posixpath.join(posixpath.dirname(src_path), path.rstrip("/"))) + ".md"
        hint = (f"link to the Markdown file instead: '{posixpath.relpath(written, posixpath.dirname(src_path))}'"
                if written in pages else
                "a link without .md is relative to the page's URL (one folder below its file): "
                "link to the .md file instead, relative to this file")
        return f"link to '{path}': no such page", hint
    return anchors.problem(page, fragment, target, path) if fragment else None


def page_url(src_path: str) -> str:
    """Return the folder URL MkDocs publishes a page at (directory URLs): a/b.md -> a/b/, a/index.md -> a/."""
    stem = src_path[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return stem + "/"


def page_for_url(url: str, pages: set[str]) -> str | None:
    """Return the Markdown page published at a site-relative URL, if any."""
    url = "" if url == "." else url.strip("/")
    for candidate in ((f"{url}.md", f"{url}/index.md") if url else ("index.md",)):
        if candidate in pages:
            return candidate
    return None


class _Anchors:
    """The heading ids of each page, read once per check."""

    def __init__(self, project):
        """Read pages from the module bodies already loaded, else from docs_dir."""
        self.project = project
        self.slug: Callable[[str], str] = project.settings.slugify or default_slug
        self.cache: dict[str, set[str] | None] = {}

    def ids(self, page: str) -> set[str] | None:
        """Return the ids a page's headings (and explicit anchors) get, or None when it is generated."""
        if page not in self.cache:
            body = self.project.bodies.get(page)
            path = self.project.docs_dir / page
            if body is not None:
                text = body.text
            elif path.is_file():
                text = _without_front_matter(path.read_text(encoding="utf-8-sig", errors="replace"))
            else:
                text = None
            self.cache[page] = None if text is None else heading_ids(text, self.slug)
        return self.cache[page]

    def problem(self, page: str, fragment: str, target: str, name: str) -> tuple[str, str] | None:
        """Return (message, fix) when `fragment` names no heading of `page`."""
        ids = self.ids(page)
        if ids is None or fragment in ids:
            return None
        close = sorted(i for i in ids if i.startswith(fragment)) or difflib.get_close_matches(fragment, sorted(ids), 1, 0.7)
        if close:
            fix = f"did you mean '#{close[0]}'?"
        elif ids:
            fix = "link to one of its headings: " + ", ".join(f"#{i}" for i in sorted(ids))
        else:
            fix = "the page has no headings: link to the page alone"
        return f"link to '{target}': {name} has no heading '#{fragment}'", fix


def heading_ids(markdown: str, slug: Callable[[str], str]) -> set[str]:
    """Return the ids the toc extension gives the headings of a page, plus explicit ids; coach blocks left out."""
    text, _ = coach.extract(markdown, "")
    ids: set[str] = set(HTML_ID.findall(text))
    previous = ""
    for line in _outside_code(text.splitlines()):
        heading = HEADING.match(line)
        title = heading.group(2).rstrip("#").strip() if heading else None
        if title is None and SETEXT.match(line) and previous.strip() and not HEADING.match(previous):
            title = previous.strip()
        previous = line
        if title is None:
            ids.update(ATTR_ID.findall(line))
            continue
        explicit = ATTR_ID.search(title)
        ids.add(explicit.group(1) if explicit else _unique(slug(_plain(title)), ids))
    return ids


def _plain(title: str) -> str:
    """Return a heading's text as the toc extension sees it: links, images, tags and emphasis marks removed."""
    return INLINE_MARKUP.sub(lambda m: m.group(1) or "", title)


def _unique(candidate: str, ids: set[str]) -> str:
    """Return the id toc gives a repeated heading: the slug, then slug_1, slug_2..."""
    if candidate not in ids:
        return candidate
    number = 1
    while f"{candidate}_{number}" in ids:
        number += 1
    return f"{candidate}_{number}"


def _outside_code(lines: list[str]) -> Iterator[str]:
    """Yield the lines outside fenced code blocks (the fence lines left out)."""
    in_fence = False
    for line in lines:
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence:
            yield line


def _without_front_matter(text: str) -> str:
    """Return a page's Markdown after its `---` front matter, if it has one."""
    lines = text.splitlines(keepends=True)
    if lines and lines[0].rstrip() == "---":
        for end, line in enumerate(lines[1:], 1):
            if line.rstrip() in ("---", "..."):
                return "".join(lines[end + 1:])
    return text


def links(markdown: str, first_line: int) -> Iterator[tuple[int, str, bool]]:
    """Yield (line, target, is_image) for each relative link or image outside code."""
    kept, in_fence = [], False
    for text in markdown.splitlines():
        fence = bool(FENCE.match(text))
        kept.append("" if in_fence or fence else text)
        in_fence = in_fence != fence
    # Code spans blanked (their line breaks kept, so line numbers stay right).
    text = CODE_SPAN.sub(lambda m: "\n" * m.group(0).count("\n"), "\n".join(kept))
    for number, line in enumerate(text.split("\n"), first_line):
        images = {m.end() for m in IMAGE.finditer(line)}
        found = [(m.group(1), m.end() in images) for m in INLINE_LINK.finditer(line)]
        found += [(target, False) for target in REFERENCE_LINK.findall(line)]
        for target, image in found:
            # `{{ ... }}` is a template placeholder (Liquid, Jinja), not a path to check
            if not SCHEME.match(target) and not target.startswith(("/", "//")) and "{" not in target:
                yield number, target, image
