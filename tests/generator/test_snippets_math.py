"""Snippets (pymdownx.snippets) and math (pymdownx.arithmatex with KaTeX served from the site itself)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
from sitebuild import build, external_requests


def content_hashes(site: Path) -> dict[str, str]:
    """Return each module's content_hash from a built catalog.json."""
    catalog = json.loads((site / "catalog.json").read_text())
    return {m["id"]: m["content_hash"] for p in catalog["programs"] for m in p["modules"]}


def snippet_project(project) -> Path:
    """Copy the snippets fixture and repair its two deliberate errors."""
    root = project("snippets")
    (root / "snippets" / "pitch-rules.md").write_text("Five minutes, one story, one ask.\n")
    page = root / "content" / "sales" / "plan-a-discovery-call.md"
    page.write_text(page.read_text().replace("template: wide.html\n", ""))
    return root


def test_snippet_text_is_included_in_the_page(project, tmp_path):
    root = snippet_project(project)
    assert build(root, tmp_path / "site").exit_code == 0
    html = (tmp_path / "site" / "sales" / "discovery-calls" / "index.html").read_text()
    assert "Three open questions" in html and "--8&lt;--" not in html


def test_editing_an_included_snippet_changes_the_modules_content_hash(project, tmp_path):
    root = snippet_project(project)
    assert build(root, tmp_path / "one").exit_code == 0
    (root / "snippets" / "checklist.md").write_text("- Four open questions\n")
    assert build(root, tmp_path / "two").exit_code == 0
    one, two = content_hashes(tmp_path / "one"), content_hashes(tmp_path / "two")
    changed = sorted(k for k in one if one[k] != two[k])
    assert changed == ["sales/discovery-calls", "sales/pitch-day"]  # both include checklist.md


MATH = "\nThe margin is \\(p - c\\) per unit, and over a year:\n\n$$\nm = \\sum_{i=1}^{12} (p_i - c_i) q_i\n$$\n"


@pytest.fixture
def math_site(project, tmp_path) -> Path:
    """Build the minimal program with pymdownx.arithmatex on and a formula in one module."""
    root = project()
    config = root / "mkdocs.yml"
    config.write_text(config.read_text() + "  - pymdownx.arithmatex\n")
    page = root / "content" / "sales" / "discovery-calls.md"
    page.write_text(page.read_text() + MATH)
    result = build(root, tmp_path / "site", "--strict")
    assert result.exit_code == 0, result.output
    return tmp_path / "site"


def test_math_is_marked_up_for_katex_served_from_the_site_itself(math_site):
    html = (math_site / "sales" / "discovery-calls" / "index.html").read_text()
    assert '<span class="arithmatex">\\(p - c\\)</span>' in html
    assert '<div class="arithmatex">\\[' in html
    for asset in ["katex/katex.min.js", "katex/katex.min.css", "katex/contrib/auto-render.min.js", "katex-init.js",
                  "katex/LICENSE", "katex/fonts/KaTeX_Main-Regular.woff2"]:
        assert (math_site / "assets" / "roundtable" / asset).is_file(), asset
    assert 'src="../../assets/roundtable/katex/katex.min.js"' in html
    assert external_requests(math_site) == []


@pytest.mark.browser
def test_math_renders_in_a_browser_fetching_only_from_127_0_0_1(math_site, page):
    server = subprocess.Popen([sys.executable, "-m", "http.server", "0", "--bind", "127.0.0.1"],
                              cwd=math_site, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = int(re.search(r"port (\d+)", server.stdout.readline()).group(1))
        hosts = set()
        page.on("request", lambda request: hosts.add(urlparse(request.url).hostname))
        page.goto(f"http://127.0.0.1:{port}/sales/discovery-calls/")
        page.wait_for_selector(".arithmatex .katex")
        assert page.locator(".arithmatex .katex").count() == 2
        assert hosts == {"127.0.0.1"}
    finally:
        server.terminate()
        server.wait()
