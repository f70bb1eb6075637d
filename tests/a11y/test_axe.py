"""axe-core in real Chromium on every page kind the product draws, light and dark, for each role
whose page differs: no critical or serious violation (WCAG 2.1 A/AA and axe's best practices).

axe-core is vendored in tests/support/vendor/axe-core (MPL-2.0, licence beside it). Each run's
counts go to test-results/a11y/<test>.json so a reviewer can compare before and after.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.browser import VIEWPORT

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[1] / "support" / "vendor" / "axe-core" / "axe.min.js"
# Material's own markup that axe flags, each with why it is left out (none so far).
THEME_EXCLUDES: list[str] = []
PAGES = {
    "home": "/", "program": "/team/", "module": "/team/first-call/", "signin": "/signin/",
    "progress": "/progress/", "dashboard": "/dashboard/", "forum": "/forum/", "topic": "/forum/?topic=1",
    "blogs": "/blogs/", "wiki": "/wiki/?program=team&page=Openers", "notifications": "/notifications/",
    "404": "/no-such-page/", "quiz": "/team/follow-up/",
}
CASES = [
    *(("anonymous", p) for p in ("home", "program", "module", "signin", "forum", "404", "quiz")),
    *(("learner", p) for p in ("home", "program", "module", "signin", "progress", "dashboard", "forum", "topic",
                               "blogs", "wiki", "notifications", "404", "quiz")),
    *(("coach", p) for p in ("module", "progress", "dashboard", "notifications", "quiz")),
    *(("manager", p) for p in ("module", "progress", "dashboard", "notifications")),
    *(("admin", p) for p in ("module", "dashboard")),
    ("author", "module"),
]


def settle(page):
    """Wait until every mount point has finished (mounted, failed or unsupported) and the network is quiet."""
    page.wait_for_function("""() => [...document.querySelectorAll('.rt-activity[data-rt-kind]')]
        .every((el) => ['yes', 'failed', 'unsupported'].includes(el.dataset.rtMounted))""")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(200)  # a widget's last redraw after its final answer


def run_axe(page):
    """Run axe-core on the page; return its violations of impact serious or critical, theme excludes left out."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("(exclude) => axe.run({exclude: exclude.map((s) => [s])})", THEME_EXCLUDES)
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def axe_light_and_dark(page):
    """``{scheme: serious or critical violations}`` for Material's light and dark palettes."""
    found = {}
    for scheme in ("default", "slate"):
        page.evaluate("(s) => document.body.setAttribute('data-md-color-scheme', s)", scheme)
        page.wait_for_timeout(100)
        found[scheme] = run_axe(page)
    return found


def describe(violations):
    """One line per violation and node: rule, impact, selector, axe's summary."""
    return [f"{v['id']} ({v['impact']}) {n['target']}: {n.get('failureSummary', '').splitlines()[-1:]}"
            for v in violations for n in v["nodes"]]


@pytest.mark.parametrize(("role", "page_kind"), CASES, ids=[f"{r}-{p}" for r, p in CASES])
def test_page_has_no_serious_violations(as_role, a11y_server, role, page_kind, output_path):
    page = as_role(role)
    page.goto(a11y_server.url + PAGES[page_kind])
    settle(page)
    assert_no_violations(page, output_path)


def test_a_graded_quiz_has_no_serious_violations(browser, a11y_server, output_path):
    context = browser.new_context(viewport=VIEWPORT, bypass_csp=True)
    page = context.new_page()
    page.goto(a11y_server.login_link("liam@example.com", next_path=PAGES["quiz"]))  # his own context: an attempt stays
    settle(page)
    quiz = page.locator('.rt-activity[data-rt-kind="quiz"]')
    quiz.get_by_label("Next week").check()
    quiz.get_by_label("Your answer").fill("a thank-you")
    quiz.get_by_role("button", name="Submit answers").click()
    quiz.get_by_text("By then the customer has forgotten half of it.").wait_for()
    try:
        assert_no_violations(page, output_path)
    finally:
        context.close()


def assert_no_violations(page, output_path):
    """Run axe in the light and dark palettes; record the counts and fail on any serious or critical node."""
    found = axe_light_and_dark(page)
    Path(output_path).mkdir(parents=True, exist_ok=True)
    (Path(output_path) / "axe.json").write_text(json.dumps(
        {s: {v["id"]: len(v["nodes"]) for v in vs} for s, vs in found.items()}, indent=2))
    problems = [f"[{s}] {line}" for s, vs in found.items() for line in describe(vs)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ["coach", "manager"])
def test_learner_page_has_no_serious_violations(as_role, a11y_server, role, output_path):
    """The learner page (issue 10), reached from the matrix as its coach or manager would: light and dark."""
    page = as_role(role)
    page.goto(a11y_server.url + "/dashboard/")
    settle(page)
    page.locator(".rt-dash-matrix tbody").get_by_role("link", name="Lea Learner").click()
    page.locator("article.rt-learner").wait_for()
    settle(page)
    assert_no_violations(page, output_path)
