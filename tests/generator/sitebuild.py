"""Helpers for the generator tests: run `roundtable` in-process and build fixture trees."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner

from roundtable.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures" / "programs"


def run(*args: str):
    """Invoke the `roundtable` command in-process and return click's Result."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def build(project: Path, site: Path, *extra: str):
    """Build a project's site into `site` with `roundtable build`."""
    return run("build", "-f", str(project / "mkdocs.yml"), "-d", str(site), *extra)




class ResourceLinks(HTMLParser):
    """Collect the URLs a browser would fetch while loading a page (not plain <a> links)."""

    def __init__(self):
        """Start with no URLs."""
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        """Record src of embedded resources and href of <link> tags."""
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "audio", "video") and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("href") and attrs.get("rel") != "canonical":
            self.urls.append(attrs["href"])


def external_requests(site: Path) -> list[str]:
    """Return every outside URL that the site's HTML or CSS would make a browser fetch."""
    found = []
    for page in site.rglob("*.html"):
        parser = ResourceLinks()
        parser.feed(page.read_text(encoding="utf-8"))
        found += [f"{page}: {u}" for u in parser.urls if re.match(r"(https?:)?//", u)]
    for sheet in site.rglob("*.css"):
        found += [f"{sheet}: {u}" for u in re.findall(r"(?:url\(|@import)\s*['\"]?((?:https?:)?//[^'\")\s]+)", sheet.read_text())]
    return found
