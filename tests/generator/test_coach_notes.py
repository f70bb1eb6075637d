"""Coach-only blocks: cut from the learner's page and search index, written to site/coach-notes.json."""

from __future__ import annotations

import json
import shutil

import pytest
from sitebuild import FIXTURES, build, run

from generator.coach import extract


@pytest.fixture(scope="module")
def coach_site(tmp_path_factory):
    """tests/fixtures/programs/coach_notes, built once."""
    root = tmp_path_factory.mktemp("coach") / "coach_notes"
    shutil.copytree(FIXTURES / "coach_notes", root)
    result = build(root, root.parent / "site")
    assert result.exit_code == 0, result.output
    return root.parent / "site"


def test_coach_blocks_are_not_in_the_learners_page(coach_site):
    html = (coach_site / "sales" / "discovery-calls" / "index.html").read_text()
    for text in ("Facilitator notes", "role play", "quietest learners", "confuse", "Running the role play"):
        assert text not in html
    assert "Ask, then listen for the second answer." in html  # the page around them stays


def test_coach_blocks_are_not_in_the_search_index(coach_site):
    index = (coach_site / "search" / "search_index.json").read_text()
    assert "quietest learners" not in index
    assert "confuse" not in index
    assert "role play" not in index.lower()
    assert "second answer" in index


def test_each_block_leaves_an_empty_hidden_mount_point(coach_site):
    html = (coach_site / "sales" / "discovery-calls" / "index.html").read_text()
    for number in (1, 2):
        assert (f'<div class="rt-activity rt-coach-mount" data-rt-kind="coach-notes" '
                f'data-rt-id="sales/discovery-calls" data-rt-note="{number}" hidden></div>') in html


def test_notes_are_rendered_sanitised_into_coach_notes_json(coach_site):
    notes = json.loads((coach_site / "coach-notes.json").read_text())["modules"]
    assert list(notes) == ["sales/discovery-calls"]
    first, second = notes["sales/discovery-calls"]
    assert (first["n"], first["title"], second["n"]) == (1, "Facilitator notes", 2)
    assert "<strong>four minutes</strong>" in first["html"]
    assert '<a href="../objections/">the objections module</a>' in first["html"]  # links as on the page
    assert "<script" not in first["html"] and "alert" not in first["html"]
    assert "<em>open</em>" in second["html"]


def test_a_block_shown_as_code_stays_on_the_page(coach_site):
    html = (coach_site / "sales" / "discovery-calls" / "index.html").read_text()
    assert "This example stays on the page." in html


@pytest.mark.parametrize("opening", ['!!! coach "Notes"', "??? coach", '???+ Coach inline end "Notes"', "::: coach",
                                     ":::: {.instructor}", "::: instructor"])
def test_every_syntax_is_cut(opening):
    closing = ":::" if opening.startswith(":") else ""
    body = "    Secret." if opening.startswith(("!", "?")) else "Secret."
    text = f"# Page\n\n{opening}\n{body}\n{closing}\n\nAfter.\n"
    markdown, blocks = extract(text, "p/m")
    assert "Secret" not in markdown and "After." in markdown
    assert blocks[0].markdown == "Secret.\n"


def test_a_nested_div_inside_a_coach_div_stays_inside():
    text = "::: instructor\nBefore.\n::: callout\nInner.\n:::\nAfter inner.\n:::\nPage.\n"
    markdown, blocks = extract(text, "p/m")
    assert "Inner" not in markdown and "After inner" not in markdown and "Page." in markdown
    assert blocks[0].markdown == "Before.\n::: callout\nInner.\n:::\nAfter inner.\n"


def test_check_reports_a_coach_div_never_closed(project):
    root = project("coach_notes")
    page = root / "content" / "sales" / "objections.md"
    page.write_text(page.read_text() + "\n::: coach\nKeep it short.\n")
    result = run("check", "-f", str(root / "mkdocs.yml"))
    assert result.exit_code == 1
    assert ("content/sales/objections.md:10: this coach-only block is never closed: the rest of the page would be "
            "hidden from learners (fix: add a line `:::` where the notes end)") in result.output.splitlines()


def test_check_refuses_a_coach_block_in_an_included_snippet(project):
    root = project("snippets")
    (root / "snippets" / "checklist.md").write_text('!!! coach "Answers"\n\n    Three is enough.\n')
    result = run("check", "-f", str(root / "mkdocs.yml"))
    assert ("content/sales/discovery-calls.md:15: snippet 'checklist.md' holds a coach-only block: learners would "
            "see it (fix: move the block into the module itself)") in result.output.splitlines()
