"""Loading programs.yml and front matter: defaults, ids and the lines that problems point at."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.checks import check_project
from generator.loader import load_project


def load(tmp_path: Path, programs: str, modules: dict[str, str]):
    """Write a small project and load it; return (catalog, problem strings)."""
    (tmp_path / "programs.yml").write_text(programs)
    for name, text in modules.items():
        path = tmp_path / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    project = load_project(tmp_path, tmp_path / "programs.yml", tmp_path / "content")
    return project.catalog, [str(p) for p in check_project(project)]


ONE = "programs:\n  - id: ops\n    title: Ops\n    audience: Everyone\n    modules: [intro, deep-dive]\n" \
      "    cohorts:\n      - {id: ops-1, starts: 2027-03-01, pace: monthly}\n"


def test_module_without_due_follows_each_cohorts_pace(tmp_path):
    catalog, problems = load(tmp_path, ONE, {"ops/intro.md": "# Intro\n", "ops/deep-dive.md": "# Deep\n"})
    assert problems == []
    program = catalog.programs[0]
    cohort = program.cohorts[0]
    assert [cohort.due_date(m) for m in program.modules] == [dt.date(2027, 3, 31), dt.date(2027, 4, 30)]
    assert [m.due_days for m in program.modules] == [30, 60]


def test_title_falls_back_to_the_first_heading(tmp_path):
    catalog, _ = load(tmp_path, ONE, {"ops/intro.md": "Text\n\n# Getting started\n", "ops/deep-dive.md": "Text.\n"})
    assert [m.title for m in catalog.programs[0].modules] == ["Getting started", "Deep dive"]


@pytest.mark.parametrize("due, days", [("10d", 10), ("2w", 14), ("3", 3), ("1 week", 7)])
def test_due_offsets_in_days_or_weeks(tmp_path, due, days):
    catalog, problems = load(tmp_path, ONE, {"ops/intro.md": f"---\ndue: {due}\n---\n", "ops/deep-dive.md": "Text.\n"})
    assert problems == [] and catalog.programs[0].modules[0].due_days == days


def test_syntax_error_in_programs_yml_names_its_line(tmp_path):
    _, problems = load(tmp_path, "programs:\n  - id: ops\n    title: [Ops\n    audience: x\n", {})
    assert len(problems) == 1 and problems[0].startswith("programs.yml:3: YAML syntax error:")


def test_ids_must_be_url_safe(tmp_path):
    broken = ONE.replace("id: ops-1", "id: Ops 1")
    _, problems = load(tmp_path, broken, {"ops/intro.md": "---\nid: Intro!\n---\n", "ops/deep-dive.md": "Text.\n"})
    assert "programs.yml:7: cohort id 'Ops 1' is not URL-safe (fix: use lower-case letters, digits and dashes only, " \
           "e.g. plan-a-call)" in problems
    assert any(p.startswith("content/ops/intro.md:2: module id 'Intro!' is not URL-safe") for p in problems)


def test_missing_required_program_keys_are_named(tmp_path):
    _, problems = load(tmp_path, "programs:\n  - id: ops\n    titel: Ops\n    modules: []\n", {})
    assert "programs.yml:3: unknown key 'titel' in a program (fix: did you mean 'title'?)" in problems
    assert "programs.yml:2: a program needs 'title' (fix: add `title: ...`)" in problems
    assert "programs.yml:2: a program needs 'audience' (fix: add `audience: ...`)" in problems


def test_front_matter_lines_count_from_the_top_of_the_file(tmp_path):
    text = "---\ntitle: Intro\nauthors: [ana@example.com, bob]\n---\n# Intro\n"
    _, problems = load(tmp_path, ONE, {"ops/intro.md": text, "ops/deep-dive.md": "Text.\n"})
    assert problems == ["content/ops/intro.md:3: author 'bob' is not an e-mail address "
                        "(fix: list authors by e-mail, e.g. ana@example.com)"]


def test_material_front_matter_keys_are_allowed(tmp_path):
    text = "---\ntitle: Intro\nhide: [toc]\ntags: [ops]\n---\n"
    _, problems = load(tmp_path, ONE, {"ops/intro.md": text, "ops/deep-dive.md": "Text.\n"})
    assert problems == []


def test_completion_accepts_keys_or_full_ids(tmp_path):
    text = "---\nactivities:\n  - roundtable: Why?\n  - reflection: So?\ncompletion: [read, ops/intro/reflection]\n---\n"
    catalog, problems = load(tmp_path, ONE, {"ops/intro.md": text, "ops/deep-dive.md": "Text.\n"})
    assert problems == []
    assert catalog.programs[0].modules[0].completion == ("ops/intro/read", "ops/intro/reflection")


def test_plan_and_presentation_options_are_range_checked(tmp_path):
    text = ("---\nactivities:\n  - plan:\n      rating_scale: 20\n      feedback_from: peers\n"
            "  - presentation:\n      peer_reviews: -1\n      rubric: [clear]\n      formats: [pdf, docx]\n---\n")
    _, problems = load(tmp_path, ONE, {"ops/intro.md": text, "ops/deep-dive.md": "Text.\n"})
    assert [p.split(" (fix")[0] for p in problems] == [
        "content/ops/intro.md:4: rating_scale must be a whole number from 3 to 10, not '20'",
        "content/ops/intro.md:5: feedback_from must be manager or coach, not 'peers'",
        "content/ops/intro.md:7: peer_reviews must be a whole number from 0 to 10, not '-1'",
        "content/ops/intro.md:9: unknown format(s): docx",
    ]


def test_read_is_implicit_and_cannot_be_listed(tmp_path):
    _, problems = load(tmp_path, ONE, {"ops/intro.md": "---\nactivities:\n  - read: Read it\n---\n", "ops/deep-dive.md": "Text.\n"})
    assert problems == ["content/ops/intro.md:3: unknown activity kind 'read' (fix: reading is implicit: remove this entry)"]


def test_same_program_id_twice(tmp_path):
    two = ONE + ONE.replace("programs:\n", "").replace("ops-1", "ops-2")
    _, problems = load(tmp_path, two, {"ops/intro.md": "Text.\n", "ops/deep-dive.md": "Text.\n"})
    assert "programs.yml:8: program id 'ops' is used twice (fix: give each one its own id, or remove the repeat)" in problems


def test_two_files_claiming_the_same_module_id(tmp_path):
    _, problems = load(tmp_path, ONE, {"ops/intro.md": "---\nid: basics\n---\n", "ops/deep-dive.md": "---\nid: basics\n---\n"})
    assert problems == ["content/ops/deep-dive.md:2: module id 'ops/basics' is used by two files: "
                        "content/ops/intro.md:2 and content/ops/deep-dive.md:2 "
                        "(fix: give one of them another `id:` in its front matter)"]


@pytest.mark.parametrize("line, expected", [("", "signed-in"), ("    visibility: public\n", "public"),
                                            ("    visibility: enrolled\n", "enrolled")])
def test_a_program_is_signed_in_only_unless_it_says_otherwise(tmp_path, line, expected):
    programs = ONE.replace("    audience: Everyone\n", "    audience: Everyone\n" + line)
    catalog, problems = load(tmp_path, programs, {"ops/intro.md": "Text.\n", "ops/deep-dive.md": "Text.\n"})
    assert problems == [] and catalog.programs[0].visibility == expected


def test_an_unknown_visibility_names_its_line_and_the_choices(tmp_path):
    programs = ONE.replace("    audience: Everyone\n", "    audience: Everyone\n    visibility: private\n")
    _, problems = load(tmp_path, programs, {"ops/intro.md": "Text.\n", "ops/deep-dive.md": "Text.\n"})
    assert problems == ["programs.yml:5: unknown visibility 'private' "
                        "(fix: use one of: public, signed-in, enrolled)"]


def test_a_cohort_says_what_late_joiners_due_dates_do(tmp_path):
    """`late_joiners`: shift (default) or fixed, into the catalog; anything else is a problem naming the choices."""
    from generator.catalog import catalog_dict

    fixed = ONE.replace("pace: monthly}", "pace: monthly, late_joiners: fixed}")
    catalog, problems = load(tmp_path, fixed, {"ops/intro.md": "# Intro\n", "ops/deep-dive.md": "# Deep\n"})
    assert problems == [] and catalog.programs[0].cohorts[0].late_joiners == "fixed"
    assert catalog_dict(catalog)["programs"][0]["cohorts"][0]["late_joiners"] == "fixed"
    catalog, _ = load(tmp_path, ONE, {"ops/intro.md": "# Intro\n", "ops/deep-dive.md": "# Deep\n"})
    assert catalog.programs[0].cohorts[0].late_joiners == "shift"
    _, problems = load(tmp_path, ONE.replace("pace: monthly}", "pace: monthly, late_joiners: later}"),
                       {"ops/intro.md": "# Intro\n", "ops/deep-dive.md": "# Deep\n"})
    assert "programs.yml:7: late_joiners must be one of shift, fixed, not 'later' (fix: use one of: shift, fixed)" \
        in problems
