"""Preload links for the widget modules a page will load, so the browser fetches them all at once (issue 14).

Without them the browser discovers the modules one round trip at a time: the page,
roundtable.js, its imports, the widget, the widget's imports, and only then asks the API.
The module graph is read from the widget files the server serves (``comments_server/static``,
located without importing the server, which the generator never does): roundtable.js's
``WIDGETS`` table (kind -> file), its literal ``import("./...")`` calls (the header's bell,
on every page), and each file's static ``import ... from "./x.js"`` lines.
"""

from __future__ import annotations

import importlib.util
import re
from html import escape
from pathlib import Path

ENTRY = "roundtable.js"
_WIDGETS_TABLE = re.compile(r"const WIDGETS = \{(.*?)\};", re.S)
_WIDGET_ENTRY = re.compile(r"""["']?([\w-]+)["']?\s*:\s*["']\./([\w./-]+\.js)["']""")
_STATIC_IMPORT = re.compile(r"""^import\s[^;]*?\bfrom\s+["'](\.{1,2}/[^"']+\.js)["']""", re.M | re.S)
_LITERAL_IMPORT = re.compile(r"""\bimport\(\s*["'](\.{1,2}/[^"']+\.js)["']\s*\)""")
_KIND = re.compile(r'class="rt-activity[^"]*" data-rt-kind="([\w-]+)"')


def static_dir() -> Path | None:
    """Return the server's static folder, or None when the server package is not installed."""
    spec = importlib.util.find_spec("comments_server")  # a top-level name: found, not imported
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "static"
    return folder if (folder / ENTRY).is_file() else None


class ModuleGraph:
    """The widget modules by kind, each with everything it imports, as paths under /static/."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.closures: dict[str, list[str]] = {}
        self.always: list[str] = []
        self.widgets: dict[str, str] = {}
        self.by_kinds: dict[tuple[str, ...], str] = {}  # a site has a handful of kind mixes: each is worked out once
        if folder is None:
            return
        entry = (folder / ENTRY).read_text(encoding="utf-8")
        table = _WIDGETS_TABLE.search(entry)
        self.widgets = dict(_WIDGET_ENTRY.findall(table[1])) if table else {}
        self.always = self._closure([ENTRY, *(_resolve(ENTRY, p) for p in _LITERAL_IMPORT.findall(entry))])

    def for_kinds(self, kinds) -> list[str]:
        """Return the modules a page with these widget kinds loads, the entry's first, without repeats."""
        paths = list(self.always)
        for kind in kinds:
            if kind in self.widgets:
                paths += [p for p in self._closure([self.widgets[kind]]) if p not in paths]
        return paths

    def _closure(self, roots: list[str]) -> list[str]:
        """Return roots and every module they import statically, depth first, each once."""
        seen: list[str] = []
        stack = list(reversed(roots))
        while stack:
            path = stack.pop()
            if path in seen or not (self.folder / path).is_file():
                continue
            seen.append(path)
            if path not in self.closures:
                text = (self.folder / path).read_text(encoding="utf-8")
                self.closures[path] = [_resolve(path, p) for p in _STATIC_IMPORT.findall(text)]
            stack.extend(reversed(self.closures[path]))
        return seen


def _resolve(importer: str, relative: str) -> str:
    """Return the static-folder path of ``relative`` as imported from ``importer``."""
    parts = importer.split("/")[:-1]
    for part in relative.split("/"):
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def page_kinds(html: str) -> list[str]:
    """Return the widget kinds of the mount points in a page's content, in order, without repeats."""
    return list(dict.fromkeys(_KIND.findall(html)))


def preload_links(graph: ModuleGraph, content: str, server_url: str) -> str:
    """Return the <link rel="modulepreload"> tags for the modules the widgets in a page's content load.

    The entry is left out: its own <script> follows the links.
    """
    base = server_url.rstrip("/")
    kinds = tuple(page_kinds(content))
    if kinds not in graph.by_kinds:
        graph.by_kinds[kinds] = "".join(f'<link rel="modulepreload" href="{escape(base)}/static/{escape(path)}">'
                                        for path in graph.for_kinds(kinds) if path != ENTRY)
    return graph.by_kinds[kinds]
