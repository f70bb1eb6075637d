"""Issue 12, "Authoring you can trust": each case the checks must catch, with its exact file, line, message and fix."""

from __future__ import annotations

import pytest
from sitebuild import FIXTURES, run

from generator.loader import load_project

CASES = {
    "front_matter_edges": [
        "content/sales/blank-line.md:2: the front matter must start on line 1, not after 1 blank line(s) "
        "(fix: delete the blank line(s) above ---, or MkDocs shows the front matter as page text)",
        "content/sales/empty.md:1: the module file is empty "
        "(fix: add front matter and a `# Title`, or remove the module from programs.yml)",
        "content/sales/latin-1.md:4: the file is not UTF-8 text (byte 0xe9 cannot be read) "
        "(fix: save the file as UTF-8 in your editor)",
    ],
    "snippets": [
        "content/sales/pitch-day.md:18: snippet 'pitch-rules.md' not found in snippets/ "
        "(fix: create snippets/pitch-rules.md, or correct the name: it is relative to snippets/)",
        "content/sales/plan-a-discovery-call.md:3: template 'wide.html' does not exist "
        "(fix: remove `template:`, or add the file to the theme's custom_dir (e.g. overrides/))",
    ],
    "yaml_pitfalls": [
        'content/sales/colon-in-prompt.md:4: YAML syntax error: mapping values are not allowed in this context '
        '(fix: put the prompt in quotes: roundtable: "Why: because the customer said so?")',
        "content/sales/hash-in-prompt.md:4: warning: the prompt stops before ' #': YAML reads the rest of the line "
        'as a comment (fix: put the prompt in quotes: roundtable: "...")',
        "content/sales/hash-in-prompt.md:6: warning: the prompt stops before ' #': YAML reads the rest of the line "
        'as a comment (fix: put the prompt in quotes: prompt: "...")',
        "content/sales/second-basics.md:3: module id 'sales/basics' is used by two files: "
        "content/sales/first-basics.md:2 and content/sales/second-basics.md:3 "
        "(fix: give one of them another `id:` in its front matter)",
        "content/sales/yes-title.md:2: title 'Yes' is read as a yes/no value, not as text "
        '(fix: put it in quotes: title: "Yes")',
        "content/sales/yes-title.md:3: summary '2027' is read as a number, not as text "
        '(fix: put it in quotes: summary: "2027")',
    ],
    "unpublished": [
        "content/notes.md:1: warning: Markdown file outside every program folder: it is not published "
        "(fix: move it into a program's folder and list it in programs.yml, or delete it)",
        "content/sales/draft.md:1: warning: module file is not listed in any program "
        "(fix: add 'draft' to the modules of 'sales' in programs.yml)",
        "content/sales/pitch-day.md:3: warning: module 'sales/pitch-day' is due on day 5, before 'sales/plan-a-call' "
        "above it (day 10) (fix: change its `due:`, or move it above in programs.yml)",
    ],
}


def check(name: str):
    """Run `roundtable check` on a fixture tree."""
    return run("check", "-f", str(FIXTURES / name / "mkdocs.yml"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_reports_each_case_with_file_line_and_fix(name):
    result = check(name)
    lines = result.output.splitlines()
    for expected in CASES[name]:
        assert expected in lines
    errors = [e for e in CASES[name] if ": warning: " not in e]
    if errors:
        assert result.exit_code == 1
        assert f"Error: {len(errors)} error(s) in the content; nothing was built" in lines
    else:
        assert result.exit_code == 0, result.output


def test_front_matter_after_a_byte_order_mark_is_read():
    root = FIXTURES / "front_matter_edges"
    project = load_project(root, root / "programs.yml", root / "content")
    module = project.catalog.module_by_src("sales/with-bom.md")
    assert module.title == "Read despite the BOM"
    assert [a.prompt for a in module.activities] == ["", "What did the BOM hide?"]
    assert not [p for p in project.problems if p.path.endswith("with-bom.md")]


def test_unlisted_markdown_is_left_out_of_the_site_and_its_search(tmp_path):
    result = run("build", "-f", str(FIXTURES / "unpublished" / "mkdocs.yml"), "-d", str(tmp_path / "site"))
    assert result.exit_code == 0, result.output
    site = tmp_path / "site"
    assert not (site / "notes").exists() and not (site / "sales" / "draft").exists()
    text = "".join(p.read_text(errors="replace") for p in site.rglob("*") if p.suffix in (".html", ".json"))
    assert "secret-draft-text" not in text and "secret-notes-text" not in text
