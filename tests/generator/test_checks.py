"""`roundtable check` on bad input: every problem at once, each with its exact file, line, message and fix."""

from __future__ import annotations

import pytest
from sitebuild import FIXTURES, run

CASES = {
    "broken_yaml": [
        "content/sales/discovery-calls.md:4: YAML syntax error: while scanning a quoted scalar found unexpected "
        "end of stream (fix: check the indentation and quoting around this line)",
    ],
    "bad_front_matter": [
        "content/sales/pitch-day.md:1: the front matter opened with --- is never closed "
        "(fix: add a line with --- after the front matter)",
        "content/sales/plan-a-discovery-call.md:2: unknown key 'titel' in the front matter (fix: did you mean 'title'?)",
        "content/sales/plan-a-discovery-call.md:3: due 'soon' is not an offset from the cohort start "
        "(fix: write a number of days or weeks, e.g. due: 10d or due: 2w)",
        "content/sales/plan-a-discovery-call.md:5: an activity is one `kind: prompt` entry, found: plan, prompt "
        "(fix: indent the options under the kind, e.g. `- plan:` then `    prompt: ...`)",
        "content/sales/plan-a-discovery-call.md:8: completion names unknown activity 'debrief' "
        "(fix: use one of: read, plan, roundtable)",
    ],
    "unknown_kind": [
        "content/sales/discovery-calls.md:6: unknown activity kind 'poll' "
        "(fix: use one of: roundtable, plan, presentation, reflection, quiz)",
        "content/sales/discovery-calls.md:7: unknown activity kind 'roundtabel' (fix: did you mean 'roundtable'?)",
    ],
    "missing_module": [
        "programs.yml:6: module 'pitch-day' is listed but content/sales/pitch-day.md does not exist "
        "(fix: create content/sales/pitch-day.md or remove 'pitch-day' from the list)",
        "content/sales/cold-calls.md:1: warning: module file is not listed in any program "
        "(fix: add 'cold-calls' to the modules of 'sales' in programs.yml)",
    ],
    "duplicate_ids": [
        "programs.yml:6: module 'discovery-calls' is listed twice (fix: give each one its own id, or remove the repeat)",
        "programs.yml:12: cohort id 'sales-2027-q1' is used twice (fix: give each one its own id, or remove the repeat)",
        "content/sales/pitch-day.md:10: activity id 'reflection' is used twice in this module "
        "(fix: give one of them `id: another-name`)",
    ],
    "broken_link": [
        "content/sales/discovery-calls.md:13: link to 'objection-handling.md': no such page "
        "(fix: fix the path (relative to this file) or create the page)",
        "content/sales/discovery-calls.md:21: link to '../glossary.md': no such page "
        "(fix: fix the path (relative to this file) or create the page)",
    ],
    "bad_dates": [
        "programs.yml:10: '2027-02-30' is not a date (fix: write the date as YYYY-MM-DD, e.g. 2027-01-11)",
        "programs.yml:14: unknown pace 'fortnightly' (fix: use one of: daily, weekly, biweekly, monthly)",
        "content/sales/pitch-day.md:3: due '3 months' is not an offset from the cohort start "
        "(fix: write a number of days or weeks, e.g. due: 10d or due: 2w)",
    ],
    "empty_rubric": [
        "content/sales/pitch-day.md:8: a presentation needs a rubric: a non-empty list of criteria "
        "(fix: add e.g. `rubric: [clarity, customer focus, next step]`)",
        "content/sales/pitch-day.md:9: a presentation needs a rubric: a non-empty list of criteria "
        "(fix: add e.g. `rubric: [clarity, customer focus, next step]`)",
    ],
}


def check(name: str):
    """Run `roundtable check` on a fixture tree."""
    return run("check", "-f", str(FIXTURES / name / "mkdocs.yml"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_lists_every_problem_with_file_line_and_fix(name):
    result = check(name)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    for expected in CASES[name]:
        assert expected in lines
    errors = [e for e in CASES[name] if ": warning: " not in e]
    assert f"Error: {len(errors)} error(s) in the content; nothing was built" in lines


def test_links_inside_code_are_not_checked():
    assert "in-code.md" not in check("broken_link").output
    assert "code.md" not in check("broken_link").output.replace("in-code.md", "")


def test_valid_links_with_anchors_and_parent_paths_pass():
    output = check("broken_link").output
    assert "plan-a-discovery-call.md" not in output


def test_clean_content_passes_with_a_count():
    result = check("minimal")
    assert result.exit_code == 0
    assert result.output == "OK: 1 program, 3 modules, 6 activities; no errors, 0 warnings.\n"


def test_unlisted_module_is_only_a_warning(tmp_path, project):
    root = project()
    (root / "content" / "sales" / "drafts.md").write_text("# Draft\n")
    result = run("check", "-f", str(root / "mkdocs.yml"))
    assert result.exit_code == 0
    assert "content/sales/drafts.md:1: warning: module file is not listed in any program" in result.output
