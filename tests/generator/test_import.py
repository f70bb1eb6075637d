"""`roundtable import`: real lessons (tests/fixtures/lessons) become programs that check clean and build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sitebuild import FIXTURES, run

LESSONS = Path(__file__).parent.parent / "fixtures" / "lessons"
ALL = ["sandpaper-docs", "spreadsheet-ecology", "git-novice", "lesson-example", "plain-notes"]


def imported(tmp_path: Path, lesson: str, dest: str = "programs") -> tuple[Path, str]:
    """Import a fixture lesson into tmp_path/dest; return the repository and what the command printed."""
    result = run("import", str(LESSONS / lesson), str(tmp_path / dest))
    assert result.exit_code == 0, result.output
    return tmp_path / dest, result.output


def built(repository: Path) -> Path:
    """Check and build an imported repository; return its site folder."""
    checked = run("check", "-f", str(repository / "mkdocs.yml"))
    assert checked.exit_code == 0 and "no errors" in checked.output, checked.output
    result = run("build", "-f", str(repository / "mkdocs.yml"))
    assert result.exit_code == 0, result.output
    return repository / "site"


@pytest.mark.parametrize("lesson", ALL)
def test_imported_lesson_checks_clean_and_builds(tmp_path, lesson):
    repository, _ = imported(tmp_path, lesson)
    site = built(repository)
    catalog = json.loads((site / "catalog.json").read_text())
    modules = catalog["programs"][0]["modules"]
    assert catalog["programs"][0]["id"] == lesson
    assert len(modules) >= 2
    assert all((site / m["url"] / "index.html").is_file() for m in modules)


def test_workbench_challenge_is_an_admonition_with_its_solution_collapsed(tmp_path):
    site = built(imported(tmp_path, "sandpaper-docs")[0])
    html = (site / "sandpaper-docs" / "editing" / "index.html").read_text()
    assert '<p class="admonition-title">Preview the Lesson</p>' in html
    challenge = html.split('<div class="admonition example">', 1)[1]
    assert challenge.index('<details class="success">') < challenge.index("</div>")  # nested in the challenge
    assert "<summary>Solution</summary>" in challenge
    assert "::::" not in html


def test_workbench_instructor_notes_become_coach_only_blocks(tmp_path):
    repository, output = imported(tmp_path, "sandpaper-docs")
    example = (repository / "content" / "sandpaper-docs" / "example.md").read_text()
    assert '!!! coach "Instructor notes"\n\n    Inline instructor notes can help inform instructors' in example
    site = built(repository)
    assert "Inline instructor notes can help inform instructors" not in (
        site / "sandpaper-docs" / "example" / "index.html").read_text()
    notes = json.loads((site / "coach-notes.json").read_text())["modules"]["sandpaper-docs/example"]
    assert "Inline instructor notes can help inform instructors" in notes[0]["html"]
    assert "'instructor' note left out" not in output


def test_workbench_links_between_episodes_point_at_the_new_modules(tmp_path):
    repository, output = imported(tmp_path, "sandpaper-docs")
    editing = (repository / "content" / "sandpaper-docs" / "editing.md").read_text()
    assert "[Creating a New Lesson](introduction.md)" in editing
    assert "link to '../learners/setup.md' left out: that page was not imported" in output


def test_workbench_image_alt_attribute_becomes_the_alt_text(tmp_path):
    repository, output = imported(tmp_path, "sandpaper-docs")
    editing = (repository / "content" / "sandpaper-docs" / "editing.md").read_text()
    # the fixture left this figure out (over 40 KB), so the image gives way to its alt text, with a warning
    assert "screenshot of the 'create a new fork' page" in editing
    assert "{alt=" not in editing
    assert ("sandpaper-docs/episodes/editing.md:43: warning: image 'fig/fork-dialogue.png' left out: "
            "the lesson has no such file (its alt text stays)") in output


def test_images_the_lesson_has_are_kept(tmp_path):
    repository, _ = imported(tmp_path, "git-novice")
    assert "](fig/versions.svg)" in (repository / "content" / "git-novice" / "basics.md").read_text()


def test_anchors_no_heading_has_after_conversion_become_text(tmp_path):
    repository, output = imported(tmp_path, "lesson-example")
    formatting = (repository / "content" / "lesson-example" / "formatting.md").read_text()
    assert "(like this)" in formatting
    assert "link to '#linking-section-ids' left out: no heading of the page has that id" in output


def test_questions_become_a_roundtable_prompt(tmp_path):
    site = built(imported(tmp_path, "git-novice")[0])
    modules = json.loads((site / "catalog.json").read_text())["programs"][0]["modules"]
    setup = next(m for m in modules if m["slug"] == "setup")
    assert [(a["kind"], a["prompt"]) for a in setup["activities"]] == [
        ("read", ""), ("roundtable", "How do I get set up to use Git?")]


def test_jekyll_boxes_and_code_classes_are_converted(tmp_path):
    repository, _ = imported(tmp_path, "git-novice")
    html = (built(repository) / "git-novice" / "setup" / "index.html").read_text()
    assert '<p class="admonition-title">Line Endings</p>' in html
    setup = (repository / "content" / "git-novice" / "setup.md").read_text()
    assert '```bash\n$ git config --global user.name "Vlad Dracula"' in setup
    assert "{: ." not in html
    basics = (repository / "site" / "git-novice" / "basics" / "index.html").read_text()
    challenge = basics.split('<div class="admonition example">', 1)[1]
    assert '<details class="success">' in challenge.split("</div>\n</div>")[0]


def test_jekyll_liquid_is_evaluated_or_listed(tmp_path):
    repository, output = imported(tmp_path, "git-novice")
    create = (repository / "content" / "git-novice" / "create.md").read_text()
    assert "{{" not in create and "{%" not in create
    assert "[setup episode](setup.md)" in create  # {% link _episodes/02-setup.md %}
    assert "link to 'reference.md#repository' left out" in output


def test_jekyll_raw_liquid_stays_as_text(tmp_path):
    repository, _ = imported(tmp_path, "lesson-example")
    formatting = (repository / "content" / "lesson-example" / "formatting.md").read_text()
    assert "[link text]({{ page.root }}{% link _episodes/dd-subject.md %})" in formatting


def test_unknown_div_class_becomes_a_note_with_a_warning(tmp_path):
    lesson = tmp_path / "lesson"
    (lesson / "episodes").mkdir(parents=True)
    (lesson / "config.yaml").write_text("title: Tabs\nepisodes:\n- one.md\n- two.md\n")
    (lesson / "episodes" / "one.md").write_text("---\ntitle: One\n---\n\nText.\n\n::: tab\n\nInside.\n\n:::\n")
    (lesson / "episodes" / "two.md").write_text("---\ntitle: Two\n---\n\nBack to [one](one.html).\n")
    result = run("import", str(lesson), str(tmp_path / "out"))
    assert "lesson/episodes/one.md:7: warning: unknown box class 'tab' became a plain note" in result.output
    assert "[one](one.md)" in (tmp_path / "out" / "content" / "lesson" / "two.md").read_text()


def test_import_adds_a_program_to_an_existing_repository(tmp_path):
    repository = tmp_path / "minimal"
    shutil.copytree(FIXTURES / "minimal", repository)
    before = (repository / "programs.yml").read_text()
    result = run("import", str(LESSONS / "plain-notes"), str(repository), "--id", "notes")
    assert result.exit_code == 0, result.output
    after = (repository / "programs.yml").read_text()
    assert after.startswith(before.rstrip("\n"))
    site = built(repository)
    ids = [p["id"] for p in json.loads((site / "catalog.json").read_text())["programs"]]
    assert ids == ["sales", "notes"]
    assert (site / "notes" / "fig" / "room.svg").is_file()


def test_import_refuses_a_program_that_exists(tmp_path):
    imported(tmp_path, "plain-notes")
    again = run("import", str(LESSONS / "plain-notes"), str(tmp_path / "programs"))
    assert again.exit_code == 1
    assert "already exists (fix: pass --id" in again.output
