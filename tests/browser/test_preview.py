"""`roundtable preview` in real Chromium: content errors in the page until fixed, activities drawn with sample
data; and an imported lesson's challenge whose collapsed solution opens on a click."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from support.live import ROUNDTABLE, free_port, run_cli

pytestmark = pytest.mark.browser

PROGRAMS = Path(__file__).resolve().parents[1] / "fixtures" / "programs"
LESSONS = Path(__file__).resolve().parents[1] / "fixtures" / "lessons"
MODULE = "content/sales/discovery-calls.md"


class PreviewProcess:
    """`roundtable preview` in a subprocess on a free port, in a program folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(folder / "preview.log", "w+")
        self.process = subprocess.Popen([ROUNDTABLE, "preview", "--port", str(self.port)], cwd=folder,
                                        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                                        stdout=self.log, stderr=subprocess.STDOUT)

    def wait(self, timeout=60.0):
        """Wait until the preview answers; fail with its output if it exits first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"`roundtable preview` exited {self.process.returncode}:\n{self.output()}", pytrace=False)
            try:
                requests.get(self.url + "/", timeout=1)
                return self
            except requests.ConnectionError:
                time.sleep(0.2)
        pytest.fail(f"`roundtable preview` did not answer within {timeout} s:\n{self.output()}", pytrace=False)

    def output(self) -> str:
        """What the preview printed so far."""
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self):
        """Stop the preview (Ctrl-C, then kill after 10 s)."""
        if self.process.poll() is None:
            self.process.send_signal(subprocess.signal.SIGINT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


@pytest.fixture
def preview(tmp_path):
    """A preview of a copy of the minimal program, which has a roundtable and a plan."""
    folder = tmp_path / "program"
    shutil.copytree(PROGRAMS / "minimal", folder)
    running = PreviewProcess(folder).wait()
    try:
        yield running
    finally:
        running.stop()


def test_preview_shows_a_content_error_and_reloads_when_it_is_fixed(page, preview, shots):
    page.goto(preview.url + "/sales/discovery-calls/")
    expect(page.locator("article h1")).to_contain_text("Discovery calls")
    module = preview.folder / MODULE
    good = module.read_text()
    module.write_text(good.replace("  - roundtable:", "  - roundtabel:"))
    errors = page.locator(".rt-preview-errors")
    expect(errors).to_contain_text(f"{MODULE}:6: unknown activity kind 'roundtabel'", timeout=15000)
    shots(page, "preview-error")
    assert f"{MODULE}:6: unknown activity kind 'roundtabel'" in preview.output()  # the terminal says the same
    assert "Traceback" not in preview.output()
    module.write_text(good)
    expect(page.locator("article h1")).to_contain_text("Discovery calls", timeout=15000)  # reloaded by itself
    expect(errors).to_have_count(0)


def test_preview_draws_a_roundtable_and_a_plan_with_sample_data(page, preview, shots):
    page.goto(preview.url + "/sales/plan-a-discovery-call/")
    roundtable = page.locator('.rt-activity[data-rt-kind="roundtable"]').first
    expect(roundtable.get_by_label("Add to the roundtable")).to_be_visible(timeout=15000)
    plan = page.locator('.rt-activity[data-rt-kind="plan"]')
    expect(plan.get_by_label("Your planning exercise")).to_be_visible()
    expect(page.locator(".rt-fallback")).to_have_count(0)
    shots(page, "preview-activities")


def test_preview_draws_a_quiz_with_sample_data_and_grades_it(page, tmp_path, shots):
    folder = tmp_path / "program"
    shutil.copytree(Path(__file__).resolve().parents[1] / "activities" / "fixture_program", folder)  # has a quiz
    running = PreviewProcess(folder).wait()
    try:
        page.goto(running.url + "/skills/check-your-understanding/")
        quiz = page.locator('.rt-activity[data-rt-kind="quiz"]')
        first = quiz.get_by_role("group", name="Question 1. What is the one job of a first discovery call?")
        expect(first).to_be_visible(timeout=15000)
        first.get_by_label("Find out whether the customer has a problem worth solving").check()
        quiz.get_by_label("What happens today when an order is late?").check()
        quiz.get_by_label("Your answer").fill("spin")
        quiz.get_by_role("button", name="Submit answers").click()
        expect(quiz.get_by_role("status").filter(has_text="Attempt 1")).to_contain_text("66% (2 of 3 right). Passed.")
        expect(page.locator(".rt-fallback")).to_have_count(0)
        shots(page, "preview-quiz")
    finally:
        running.stop()


def test_busy_port_gets_a_clear_message(preview):
    result = subprocess.run([ROUNDTABLE, "preview", "--port", str(preview.port)], cwd=preview.folder,
                            capture_output=True, text=True, timeout=60, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 1
    assert f"port {preview.port} is in use: pass --port {preview.port + 1}" in result.stderr
    assert "Traceback" not in result.stderr


def test_imported_solution_opens_on_click(page, tmp_path, shots):
    run_cli("import", str(LESSONS / "sandpaper-docs"), str(tmp_path / "programs"))
    run_cli("build", cwd=tmp_path / "programs", env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    page.goto((tmp_path / "programs" / "site" / "sandpaper-docs" / "editing" / "index.html").as_uri())
    challenge = page.locator(".admonition.example").filter(
        has=page.locator(":scope > .admonition-title", has_text="Preview the Lesson"))
    solution = challenge.locator("details.success")
    solution_text = solution.get_by_text("the only file updated when you re-render")
    expect(solution_text).to_be_hidden()
    solution.locator("summary", has_text="Solution").click()
    expect(solution_text).to_be_visible()
    shots(page, "imported-solution-open")
