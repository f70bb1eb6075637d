"""`check` on images, #anchors and links written as page URLs: exact file, line, message and fix."""

from __future__ import annotations

import re
import shutil

import pytest
from sitebuild import FIXTURES, build, run

from generator.links import default_slug, heading_ids

WHERE = "content/sales/discovery-calls.md"
EXPECTED = [
    f"{WHERE}:11: image 'fig/missing.png' does not exist "
    "(fix: fix the path (relative to this file) or add the image)",
    f"{WHERE}:13: link to '#listen-for-the-2nd-answer': this page has no heading '#listen-for-the-2nd-answer' "
    "(fix: did you mean '#listen-for-the-second-answer'?)",
    f"{WHERE}:14: link to '../objection/': no such page "
    "(fix: a link without .md is relative to the page's URL (one folder below its file): "
    "link to the .md file instead, relative to this file)",
    f"{WHERE}:14: link to 'plan': no such page (fix: link to the Markdown file instead: 'plan.md')",
    f"{WHERE}:15: link to 'plan.md#steps': plan.md has no heading '#steps' (fix: did you mean '#steps-one-by-one'?)",
]


def check(root):
    """Run `roundtable check` on a project folder."""
    return run("check", "-f", str(root / "mkdocs.yml"))


def test_check_reports_missing_images_anchors_and_page_urls():
    result = check(FIXTURES / "link_targets")
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if line.startswith("content/")] == EXPECTED
    assert "Error: 5 error(s) in the content; nothing was built" in result.output


def test_existing_images_headings_and_page_urls_pass():
    output = check(FIXTURES / "link_targets").output
    for fine in ("call-flow.png", "#ask-open-questions", "'../plan/'", "#checklist", "#notes_1", "#more", "#nowhere"):
        assert fine not in output


@pytest.fixture
def fixed(tmp_path):
    """The fixture with its broken links and image removed."""
    root = tmp_path / "link_targets"
    shutil.copytree(FIXTURES / "link_targets", root)
    page = root / "content" / "sales" / "discovery-calls.md"
    text = page.read_text()
    for broken in ("![A missing picture](fig/missing.png)", "then [listen](#listen-for-the-2nd-answer)",
                   ", [the plan again](plan), and [objections](../objection/)", ", [its steps](plan.md#steps)"):
        text = text.replace(broken, "")
    page.write_text(text)
    return root


def test_heading_ids_are_those_of_the_built_page(fixed, tmp_path):
    result = build(fixed, tmp_path / "site")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "site" / "sales" / "plan" / "index.html").read_text()
    built = set(re.findall(r'<h[1-6] id="([^"]+)"', html))
    body = (fixed / "content" / "sales" / "plan.md").read_text().split("---\n", 2)[2]  # after the front matter
    assert built == heading_ids(body, default_slug)
    assert {"checklist", "steps-one-by-one", "notes", "notes_1", "more"} <= built


def test_anchors_follow_the_configured_toc_separator(fixed):
    (fixed / "mkdocs.yml").write_text((fixed / "mkdocs.yml").read_text().replace(
        "permalink: true", 'permalink: true\n      separator: "_"'))
    result = check(fixed)
    assert f"{WHERE}:13: link to '#ask-open-questions': this page has no heading '#ask-open-questions' " \
           "(fix: did you mean '#ask_open_questions'?)" in result.output.splitlines()
