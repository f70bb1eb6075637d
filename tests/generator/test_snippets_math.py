"""Snippets (pymdownx.snippets) and math (pymdownx.arithmatex with KaTeX served from the site itself)."""

from __future__ import annotations

import json
from pathlib import Path

from sitebuild import build


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
