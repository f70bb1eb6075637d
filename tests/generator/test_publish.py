"""A build that fails for any reason leaves the previous site/ and its catalog.json byte-identical."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sitebuild import build

MODULE = Path("content") / "sales" / "discovery-calls.md"


def fingerprint(site: Path) -> dict[str, str]:
    """Return the sha256 of every file under site, by relative path."""
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def add_front_matter(root: Path, line: str) -> None:
    """Add one front matter line to the discovery-calls module."""
    page = root / MODULE
    page.write_text(page.read_text().replace("---\ntitle:", f"---\n{line}\ntitle:", 1))


def missing_template(root: Path) -> tuple[str, ...]:
    add_front_matter(root, "template: wide.html")
    return ()


def missing_image_in_strict_mode(root: Path) -> tuple[str, ...]:
    page = root / MODULE
    page.write_text(page.read_text() + "\n![The call flow](call-flow.png)\n")
    return ("--strict",)


def missing_snippet(root: Path) -> tuple[str, ...]:
    config = root / "mkdocs.yml"
    config.write_text(config.read_text() + "  - pymdownx.snippets:\n      base_path: [snippets]\n")
    page = root / MODULE
    page.write_text(page.read_text() + '\n--8<-- "checklist.md"\n')
    return ()


def hook_failing_halfway(root: Path) -> tuple[str, ...]:
    """A MkDocs hook that raises after some pages are written: no check can see this coming."""
    (root / "fail.py").write_text(
        "pages = 0\n\n"
        "def on_post_page(output, page, config):\n"
        "    global pages\n"
        "    pages += 1\n"
        "    if pages == 3:\n"
        "        raise RuntimeError('disk full')\n"
        "    return output\n"
    )
    config = root / "mkdocs.yml"
    config.write_text(config.read_text() + "hooks: [fail.py]\n")
    return ()


@pytest.mark.parametrize("breakage", [missing_template, missing_image_in_strict_mode, missing_snippet,
                                      hook_failing_halfway])
def test_failed_build_leaves_the_previous_site_byte_identical(project, tmp_path, breakage):
    root = project()
    site = tmp_path / "site"
    assert build(root, site).exit_code == 0
    before = fingerprint(site)
    assert "catalog.json" in before and "sales/discovery-calls/index.html" in before
    extra = breakage(root)
    (root / MODULE).write_text((root / MODULE).read_text().replace("Discovery calls", "Changed title"))
    result = build(root, site, *extra)
    assert result.exit_code == 1, result.output
    assert fingerprint(site) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_successful_build_replaces_the_site_and_drops_stale_files(project, tmp_path):
    root = project()
    site = tmp_path / "site"
    site.mkdir()
    (site / "stale.html").write_text("from an old build")
    assert build(root, site).exit_code == 0
    assert not (site / "stale.html").exists()
    assert (site / "catalog.json").is_file()
    assert oct(site.stat().st_mode & 0o777) == "0o755"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []
