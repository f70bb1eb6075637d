"""GET /api/modules/<id>/coach-notes: coach-only blocks for coaches of the program, authors and admins; 404 otherwise."""

from __future__ import annotations

import json

import pytest

from .conftest import AUTHOR, assert_error, make_catalog, write_catalog

URL = "/api/modules/sales/discovery-calls/coach-notes"
NOTES = {"schema_version": 1, "modules": {"sales/discovery-calls": [
    {"n": 1, "title": "Facilitator notes", "html": "<p>Pair the quietest learners first.</p>"}]}}


@pytest.fixture
def site_dir(tmp_path):
    """The small catalog, its discovery-calls module naming AUTHOR, and the build's coach notes."""
    site = tmp_path / "site"
    catalog = make_catalog()
    catalog["programs"][0]["modules"][0]["authors"] = [AUTHOR]
    write_catalog(site, catalog)
    (site / "coach-notes.json").write_text(json.dumps(NOTES))
    return site


@pytest.mark.parametrize("role", ["coach", "other_coach", "admin"])
def test_coaches_of_the_program_and_admins_read_the_notes(sign_in, role):
    response = sign_in(role).get(URL)
    assert response.status_code == 200, response.json
    assert response.json["notes"] == NOTES["modules"]["sales/discovery-calls"]


def test_an_author_of_the_module_reads_its_notes(author):
    assert author.get(URL).json["notes"][0]["title"] == "Facilitator notes"


@pytest.mark.parametrize("role", ["learner", "manager", "observer", "outsider"])
def test_others_get_not_found_as_for_no_module(sign_in, role):
    assert_error(sign_in(role).get(URL), 404, "No such module")


def test_anonymous_gets_not_found_not_sign_in(anon):
    assert_error(anon.get(URL), 404, "No such module")


def test_a_learner_cannot_tell_a_module_with_notes_from_one_without(sign_in):
    learner = sign_in("learner")
    with_notes = learner.get(URL)
    without = learner.get("/api/modules/sales/objection-handling/coach-notes")
    missing = learner.get("/api/modules/sales/no-such-module/coach-notes")
    assert with_notes.status_code == without.status_code == missing.status_code == 404
    assert with_notes.json == without.json == missing.json


def test_a_coach_gets_an_empty_list_for_a_module_without_notes(sign_in):
    response = sign_in("coach").get("/api/modules/sales/objection-handling/coach-notes")
    assert response.status_code == 200
    assert response.json["notes"] == []


def test_coach_of_another_program_gets_not_found(app, sign_in):
    assert_error(sign_in("coach").get("/api/modules/ops/basics/coach-notes"), 404)


def test_the_notes_file_is_never_served_as_a_site_file(anon, sign_in):
    assert anon.get("/coach-notes.json").status_code == 404
    assert sign_in("admin").get("/sales/../coach-notes.json").status_code == 404


def test_a_rebuilt_notes_file_is_read_again(sign_in, site_dir):
    coach = sign_in("coach")
    assert len(coach.get(URL).json["notes"]) == 1
    two = {"schema_version": 1, "modules": {"sales/discovery-calls": NOTES["modules"]["sales/discovery-calls"] + [
        {"n": 2, "title": "Timing", "html": "<p>Forty minutes.</p>"}]}}
    (site_dir / "coach-notes.json").write_text(json.dumps(two, indent=1))
    assert [n["title"] for n in coach.get(URL).json["notes"]] == ["Facilitator notes", "Timing"]
