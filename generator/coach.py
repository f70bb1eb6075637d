"""Coach-only blocks: cut out of a page's Markdown before MkDocs renders it, rendered apart into site/coach-notes.json.

Learners never receive them: not in the page's HTML, its table of contents or
the search index. The server hands them to coaches (docs/architecture.md, Seam 3).
"""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass
from html import escape
from pathlib import Path

import markdown
import nh3

NOTES_FILE = "coach-notes.json"
KINDS = ("coach", "instructor")
DEFAULT_TITLE = "Facilitator notes"
# !!! coach "Title"   ??? coach   ???+ coach inline end   (Material admonition syntax; extra classes allowed,
# since a block the pattern missed would be published as a visible admonition)
ADMONITION = re.compile(r'^(?P<indent> *)(?:!!!|\?\?\?\+?)[ \t]+(?:coach|instructor)(?:[ \t]+[\w-]+)*'
                        r'(?:[ \t]+"(?P<title>[^"]*)")?[ \t]*$', re.IGNORECASE)
# ::: coach "Title"   ::: instructor   :::: {.instructor}   (pandoc fenced divs, as Carpentries lessons write them)
DIV_OPEN = re.compile(r'^(?P<indent> *):{3,}[ \t]*(?:\{[ \t]*\.(?:coach|instructor)\b[^}]*\}|(?:coach|instructor)\b)'
                      r'(?:[ \t]+"(?P<title>[^"]*)")?[ \t]*:*[ \t]*$')
ANY_DIV_OPEN = re.compile(r"^\s*:{3,}\s*\S")
DIV_CLOSE = re.compile(r"^\s*:{3,}\s*$")
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")

# What rendered Markdown may hold once sanitised: text, structure, code, images; no script, style or handlers.
TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre",
    "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "u", "ul",
}
ATTRIBUTES = {
    "*": {"class", "id", "title"}, "a": {"href"}, "img": {"src", "alt", "width", "height"},
    "ol": {"start"}, "td": {"align", "colspan", "rowspan"}, "th": {"align", "colspan", "rowspan"}, "details": {"open"},
}


@dataclass(frozen=True)
class Block:
    """One coach-only block: its title, its Markdown (dedented) and the body line it starts on (1-based)."""

    title: str
    markdown: str
    line: int
    closed: bool = True


def mount(module_id: str, number: int) -> str:
    """Return the empty, hidden mount point left where a block was: no text, so no hint to learners."""
    return (f'<div class="rt-activity rt-coach-mount" data-rt-kind="coach-notes" '
            f'data-rt-id="{escape(module_id)}" data-rt-note="{number}" hidden></div>')


def extract(text: str, module_id: str) -> tuple[str, list[Block]]:
    """Return the Markdown with each coach-only block replaced by its mount point, and the blocks in order."""
    lines = text.splitlines()
    out: list[str] = []
    blocks: list[Block] = []
    index, fence = 0, None
    while index < len(lines):
        line = lines[index]
        fence = _fence_state(line, fence)
        opened = None if fence or FENCE.match(line) else ADMONITION.match(line) or DIV_OPEN.match(line)
        if opened is None:
            out.append(line)
            index += 1
            continue
        take = _admonition_body if line.lstrip().startswith(("!", "?")) else _div_body
        end, body, closed = take(lines, index, len(opened.group("indent")))
        blocks.append(Block(opened.group("title") or DEFAULT_TITLE, body, index + 1, closed))
        out += ["", opened.group("indent") + mount(module_id, len(blocks)), ""]
        index = end
    if not blocks:
        return text, []
    return "\n".join(out) + ("\n" if text.endswith("\n") else ""), blocks


def _fence_state(line: str, fence: str | None) -> str | None:
    """Return the open code fence after this line (None outside code)."""
    match = FENCE.match(line)
    if not match:
        return fence
    if fence is None:
        return match.group(1)
    return None if match.group(1).startswith(fence) else fence


def _admonition_body(lines: list[str], start: int, indent: int) -> tuple[int, str, bool]:
    """Return (index after the block, its dedented body, True) for an admonition at lines[start]."""
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) >= indent + 4):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1  # trailing blank lines belong to the page
    return end, textwrap.dedent("\n".join(lines[start + 1:end])).strip("\n") + "\n", True


def _div_body(lines: list[str], start: int, indent: int) -> tuple[int, str, bool]:
    """Return (index after the closing :::, the body, closed?) for a fenced div; unclosed, it runs to the end."""
    depth, fence = 1, None
    for end in range(start + 1, len(lines)):
        fence = _fence_state(lines[end], fence)
        if fence or FENCE.match(lines[end]):
            continue
        if DIV_CLOSE.match(lines[end]):
            depth -= 1
        elif ANY_DIV_OPEN.match(lines[end]):
            depth += 1
        if depth == 0:
            return end + 1, textwrap.dedent("\n".join(lines[start + 1:end])).strip("\n") + "\n", True
    return len(lines), textwrap.dedent("\n".join(lines[start + 1:])).strip("\n") + "\n", False


def _indent(line: str) -> int:
    """Return a line's indentation in columns (a tab counts 4)."""
    return len(line) - len(line.lstrip(" \t")) + 3 * line[: len(line) - len(line.lstrip(" \t"))].count("\t")


def unclosed(text: str, first_line: int) -> list[int]:
    """Return the file lines of fenced coach divs that are never closed (for `check`)."""
    return [first_line + block.line - 1 for block in extract(text, "")[1] if not block.closed]


def render(blocks: list[Block], *, page, config, files) -> list[dict]:
    """Render blocks with the site's own Markdown extensions and links, then sanitise the HTML."""
    if not blocks:
        return []
    # Private to MkDocs (pinned < 1.7, as the preview is): without it, links to .md pages and images
    # would stay relative to the Markdown file instead of the page's URL.
    from mkdocs.structure.pages import _RelativePathTreeprocessor

    md = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs or {})
    _RelativePathTreeprocessor(page.file, files, config)._register(md)
    notes = []
    for number, block in enumerate(blocks, 1):
        html = md.reset().convert(block.markdown)
        notes.append({"n": number, "title": block.title, "html": sanitise(html)})
    return notes


def sanitise(html: str) -> str:
    """Return rendered Markdown without anything that could run script when put into innerHTML."""
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                     strip_comments=True, link_rel=None)


def write_notes(notes: dict[str, list[dict]], site_dir: str) -> Path:
    """Write every module's coach notes to site/coach-notes.json (sorted keys, like catalog.json)."""
    path = Path(site_dir) / NOTES_FILE
    data = {"schema_version": 1, "modules": {key: notes[key] for key in sorted(notes) if notes[key]}}
    path.write_text(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
