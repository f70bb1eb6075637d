"""Private programs (issue 11): the server serves a program's pages, files and search entries only to those its
``visibility`` allows: public to anyone, signed-in to anyone signed in, enrolled to its cohorts' members and admins."""

from __future__ import annotations

import json

import pytest

from .conftest import make_catalog, write_catalog

PAGES = {"sales": "sales/discovery-calls/", "ops": "ops/basics/"}  # sales: enrolled; ops: signed-in


@pytest.fixture
def site_dir(tmp_path):
    catalog = make_catalog()
    visibility = {"sales": "enrolled", "ops": "signed-in"}
    for program in catalog["programs"]:
        program["visibility"] = visibility[program["id"]]
    site = tmp_path / "site"
    write_catalog(site, catalog)
    for url in PAGES.values():
        (site / url).mkdir(parents=True, exist_ok=True)
        (site / url / "index.html").write_text(f"<h1>{url}</h1>")
    (site / "sales" / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (site / "search").mkdir()
    (site / "search" / "search_index.json").write_text(json.dumps({"config": {"lang": ["en"]}, "docs": [
        {"location": "", "title": "Home", "text": "Welcome"},
        {"location": PAGES["sales"], "title": "Discovery calls", "text": "Our pricing playbook"},
        {"location": PAGES["ops"] + "#steps", "title": "Basics", "text": "Runbooks"},
    ]}))
    return site


def _locations(client):
    return [d["location"] for d in client.get("/search/search_index.json").json["docs"]]


@pytest.mark.parametrize("program", ["sales", "ops"])
def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(anon, program):
    answer = anon.get("/" + PAGES[program])
    assert answer.status_code == 303
    assert answer.headers["Location"] == f"/signin/?next=/{PAGES[program]}"


def test_a_file_of_a_private_program_is_not_found_without_a_session(anon):
    assert anon.get("/sales/chart.png").status_code == 404


@pytest.mark.parametrize("role, sales, ops", [
    ("learner", 200, 200),     # enrolled in sales-a
    ("coach", 200, 200),
    ("other_learner", 200, 200),  # sales-b is a cohort of the same program
    ("outsider", 404, 200),    # signed in, in no cohort of sales
    ("admin", 200, 200),
])
def test_each_role_opens_what_the_visibility_allows(sign_in, role, sales, ops):
    reader = sign_in(role)
    assert reader.get("/" + PAGES["sales"]).status_code == sales
    assert reader.get("/" + PAGES["ops"]).status_code == ops


def test_the_search_index_lists_only_what_the_reader_may_open(anon, sign_in):
    assert _locations(anon) == [""]
    assert _locations(sign_in("outsider")) == ["", PAGES["ops"] + "#steps"]
    assert _locations(sign_in("learner")) == ["", PAGES["sales"], PAGES["ops"] + "#steps"]
    assert "pricing playbook" not in sign_in("outsider").get("/search/search_index.json").get_data(as_text=True)


def test_signing_out_closes_the_pages_again(sign_in):
    learner = sign_in("learner")
    assert learner.get("/" + PAGES["sales"]).status_code == 200
    learner.post("/api/auth/logout")
    assert learner.get("/" + PAGES["sales"]).status_code == 303
