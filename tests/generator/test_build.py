"""Real MkDocs builds of fixture programs: the pages, mount points, widget tags and catalog a user gets."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sitebuild import FIXTURES, build, external_requests

MOUNT = re.compile(r'<div class="rt-activity" data-rt-kind="([a-z]+)"(?: data-rt-id="([^"]+)")?>')


def mounts(page: Path) -> list[tuple[str, str]]:
    """Return (kind, id) of every mount point on a built page, in order."""
    return MOUNT.findall(page.read_text(encoding="utf-8"))


def test_module_page_has_a_mount_point_per_activity_after_the_content(minimal_site):
    page = minimal_site / "sales" / "plan-a-discovery-call" / "index.html"
    assert mounts(page) == [
        ("read", "sales/plan-a-call/read"),
        ("plan", "sales/plan-a-call/plan"),
        ("roundtable", "sales/plan-a-call/roundtable"),
        ("roundtable", "sales/plan-a-call/best-question"),
    ]
    html = page.read_text(encoding="utf-8")
    assert html.index("three open questions") < html.index('data-rt-kind="read"')


def test_mount_point_html_is_exactly_the_contract(minimal_site):
    html = (minimal_site / "sales" / "discovery-calls" / "index.html").read_text(encoding="utf-8")
    assert (
        '<div class="rt-activity" data-rt-kind="roundtable" data-rt-id="sales/discovery-calls/roundtable">\n'
        '  <h2>Roundtable</h2><p class="rt-prompt">How would you open a call with your hardest account?</p>\n'
        "  <noscript data-search-exclude>Turn on JavaScript to join the roundtable.</noscript>\n"
        '  <p class="rt-fallback" data-search-exclude>The discussion loads from the Roundtable server. '
        "If this text stays, the server cannot be reached.</p>\n"
        "</div>"
    ) in html


def test_no_page_or_search_index_carries_an_authors_email(minimal_site):
    catalog = json.loads((minimal_site / "catalog.json").read_text())
    emails = {e for p in catalog["programs"] for m in p["modules"] for e in m["authors"]}
    assert emails  # the fixture names authors: the catalog (read by the server from disk) keeps them
    public = [f for f in minimal_site.rglob("*") if f.is_file() and f.suffix in (".html", ".json", ".xml")
              and f.name != "catalog.json"]
    leaks = [(f.name, e) for f in public for e in emails if e in f.read_text(encoding="utf-8", errors="replace")]
    assert leaks == []
    html = (minimal_site / "sales" / "discovery-calls" / "index.html").read_text(encoding="utf-8")
    assert "Written by the authors of this module." in html


def test_read_block_offers_mark_as_read(minimal_site):
    html = (minimal_site / "sales" / "pitch-day" / "index.html").read_text(encoding="utf-8")
    assert 'data-rt-kind="read" data-rt-id="sales/pitch-day/read"' in html
    assert "Mark it as read" in html


def test_second_activity_of_a_kind_gets_a_numbered_id(project, tmp_path):
    root = project()
    page = root / "content" / "sales" / "discovery-calls.md"
    page.write_text(page.read_text().replace("activities:\n", "activities:\n  - roundtable: First?\n"))
    assert build(root, tmp_path / "site").exit_code == 0
    ids = [i for _, i in mounts(tmp_path / "site" / "sales" / "discovery-calls" / "index.html")]
    assert ids == ["sales/discovery-calls/read", "sales/discovery-calls/roundtable", "sales/discovery-calls/roundtable-2"]


def test_landing_page_shows_audience_and_each_cohorts_due_dates(minimal_site):
    html = (minimal_site / "sales" / "index.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Account executives in their first year" in text
    # Spring 2027 is weekly from 2027-01-11; plan-a-call says due: 10d, pitch-day due: 3w.
    assert "Spring 2027" in text
    assert re.search(r"1 Discovery calls 2027-01-18 .*2 Plan a discovery call 2027-01-21 .*3 Pitch day 2027-02-01", text)
    # The second cohort is biweekly: module 1 falls due two weeks after its start.
    assert "2027-04-19" in text
    assert "presentation with peer review" in text


@pytest.mark.parametrize("kind", ["signin", "progress", "dashboard", "forum", "blogs", "wiki"])
def test_dynamic_page_has_its_single_mount_point(minimal_site, kind):
    assert mounts(minimal_site / kind / "index.html") == [(kind, "")]


def test_every_page_loads_the_widget_from_the_same_origin_by_default(minimal_site):
    for page in minimal_site.rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        head = html[: html.index("</head>")]
        assert '<script type="module" src="/static/roundtable.js"></script>' in head, page
        assert '<link rel="stylesheet" href="/static/roundtable.css">' in head, page


def test_server_url_in_mkdocs_yml_points_the_widget_elsewhere(project, tmp_path):
    root = project()
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - roundtable\n", "  - roundtable:\n      server_url: https://learn.example.com/\n"))
    assert build(root, tmp_path / "site").exit_code == 0
    html = (tmp_path / "site" / "sales" / "pitch-day" / "index.html").read_text()
    assert '<script type="module" src="https://learn.example.com/static/roundtable.js"></script>' in html


def test_nav_has_a_section_per_program_with_modules_in_order_then_dynamic_pages(minimal_site):
    html = (minimal_site / "index.html").read_text(encoding="utf-8")
    nav = html[html.index('<nav class="md-nav md-nav--primary"'):]
    order = [nav.index(t) for t in ("Consultative selling", "Discovery calls", "Plan a discovery call",
                                    "Pitch day", "Sign in", "My progress", "Dashboard", "Forum", "Blogs", "Wiki")]
    assert order == sorted(order)


def test_catalog_lists_programs_modules_and_activities_with_stable_ids(minimal_site):
    catalog = json.loads((minimal_site / "catalog.json").read_text())
    assert catalog["schema_version"] == 1
    program = catalog["programs"][0]
    assert (program["id"], program["url"], program["order"]) == ("sales", "sales/", 1)
    assert [m["id"] for m in program["modules"]] == ["sales/discovery-calls", "sales/plan-a-call", "sales/pitch-day"]
    plan = program["modules"][1]
    assert plan["url"] == "sales/plan-a-discovery-call/"
    assert plan["due_days"] == 10
    assert plan["completion"] == ["sales/plan-a-call/plan", "sales/plan-a-call/roundtable"]
    assert plan["activities"][1] == {
        "id": "sales/plan-a-call/plan", "key": "plan", "kind": "plan", "order": 1,
        "prompt": "Plan your next real discovery call.",
        "options": {"debrief": "How did the call go against your plan?", "feedback_from": "manager", "rating_scale": 5},
    }


def test_catalog_fills_in_option_defaults_and_hashes_the_source(minimal_site):
    catalog = json.loads((minimal_site / "catalog.json").read_text())
    pitch = catalog["programs"][0]["modules"][2]
    options = pitch["activities"][1]["options"]
    assert options == {"peer_reviews": 2, "rubric": ["clarity", "customer focus", "next step"],
                       "reviewers_named": False, "formats": ["pdf", "pptx", "odp", "mp4", "webm", "link"]}
    source = (FIXTURES / "minimal" / "content" / "sales" / "pitch-day.md").read_bytes()
    assert pitch["content_hash"] == "sha256:" + hashlib.sha256(source).hexdigest()
    assert pitch["completion"] == "all" and pitch["due_days"] == 21


def test_catalog_keys_are_sorted_for_stable_diffs(minimal_site):
    text = (minimal_site / "catalog.json").read_text()
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_search_finds_a_roundtable_prompt_but_not_the_widgets_stand_ins(minimal_site):
    """Searching "server" or "JavaScript" must not hit every module through the mount points' fallback text."""
    index = (minimal_site / "search" / "search_index.json").read_text()
    assert "How would you open a call with your hardest account?" in index
    assert "The discussion loads from the Roundtable server" not in index
    assert "Turn on JavaScript" not in index


def test_search_index_includes_module_text(minimal_site):
    index = json.loads((minimal_site / "search" / "search_index.json").read_text())
    assert any("three open questions" in doc["text"] for doc in index["docs"])


def test_built_site_fetches_nothing_from_outside_hosts(minimal_site):
    assert external_requests(minimal_site) == []


def test_failing_check_builds_nothing_and_keeps_the_previous_site(project, tmp_path):
    root = project("unknown_kind")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("previous build")
    result = build(root, site)
    assert result.exit_code == 1
    assert "content/sales/discovery-calls.md:7: unknown activity kind 'roundtabel'" in result.output
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text() == "previous build"


def test_plain_mkdocs_build_also_stops_with_file_and_line(tmp_path):
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)],
        cwd=FIXTURES / "missing_module", capture_output=True, text=True, env={"NO_MKDOCS_2_WARNING": "1", "PATH": ""},
    )
    assert result.returncode == 1
    assert "programs.yml:6: module 'pitch-day' is listed but content/sales/pitch-day.md does not exist" in result.stderr
    assert not site.exists()


def test_build_prints_a_summary(project, tmp_path):
    result = build(project(), tmp_path / "site")
    assert result.exit_code == 0, result.output
    assert re.search(r"Built 1 program, 3 modules, 6 activities, 12 pages in [\d.]+ s into ", result.output)


def test_explicit_nav_in_mkdocs_yml_wins(project, tmp_path):
    root = project()
    config = root / "mkdocs.yml"
    config.write_text(config.read_text() + "nav:\n  - Pitch day: sales/pitch-day.md\n  - Forum: forum.md\n")
    assert build(root, tmp_path / "site").exit_code == 0
    html = (tmp_path / "site" / "index.html").read_text()
    start = html.index('<nav class="md-nav md-nav--primary"')
    nav = html[start:html.index("</nav>", start)]
    assert "Pitch day" in nav and "Consultative selling" not in nav


def test_authored_landing_page_keeps_its_text_and_gains_the_schedule(project, tmp_path):
    root = project()
    (root / "content" / "sales" / "index.md").write_text("# Selling, our way\n\nA word from the sales director.\n")
    assert build(root, tmp_path / "site").exit_code == 0
    html = (tmp_path / "site" / "sales" / "index.html").read_text()
    assert "A word from the sales director." in html and "2027-01-18" in html


def test_the_outside_host_check_would_catch_material_fonts(project, tmp_path):
    root = project()
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  font: false\n", ""))
    assert build(root, tmp_path / "site").exit_code == 0
    assert any("fonts.googleapis.com" in url for url in external_requests(tmp_path / "site"))
