"""The catalog is copied into the database at start and on change; removed records stay, retired."""

from __future__ import annotations

import json
import os
import time

from comments_server import create_app

from .conftest import THREAD_URL, make_catalog, post_comment, write_catalog

OBJECTIONS_URL = "/api/activities/sales/objection-handling/roundtable/thread"


def touch_later(path):
    """Move a file's mtime forward, as a rebuild would."""
    later = time.time_ns() + 2 * 10**9
    os.utime(path, ns=(later, later))


def test_catalog_is_loaded_at_start(db):
    assert {r["id"] for r in db.query("SELECT id FROM cohorts")} == {"sales-a", "sales-b", "ops-a"}
    assert db.table("activities").count == 7
    assert db.execute("SELECT COUNT(*) FROM activities WHERE retired = TRUE").fetchone()[0] == 0


def test_removed_module_keeps_its_comments(sign_in, site_dir, db):
    api = sign_in("learner")
    thread = api.get(OBJECTIONS_URL).json["thread"]
    post_comment(api, thread["id"], "Objections are information")
    write_catalog(site_dir, make_catalog(with_objections=False))
    touch_later(site_dir / "catalog.json")
    api.get("/api/session")  # any API request notices the change
    retired = {r["id"]: r["retired"] for r in db.query("SELECT id, retired FROM modules")}
    assert retired["sales/objection-handling"] == 1 and retired["sales/discovery-calls"] == 0
    comments = api.get(OBJECTIONS_URL).json["comments"]
    assert [c["body_html"] for c in comments] == ["<p>Objections are information</p>"]


def test_module_coming_back_is_unretired(sign_in, site_dir, db):
    write_catalog(site_dir, make_catalog(with_objections=False))
    touch_later(site_dir / "catalog.json")
    sign_in("learner").get(THREAD_URL)
    write_catalog(site_dir, make_catalog())
    touch_later(site_dir / "catalog.json")
    sign_in("learner").get(THREAD_URL)
    assert db.execute("SELECT COUNT(*) FROM modules WHERE retired = TRUE").fetchone()[0] == 0


def test_renamed_module_title_is_updated(sign_in, site_dir, db):
    catalog = make_catalog()
    catalog["programs"][0]["modules"][0]["title"] = "Discovery calls, revised"
    write_catalog(site_dir, catalog)
    touch_later(site_dir / "catalog.json")
    thread = sign_in("learner").get(THREAD_URL).json["thread"]
    assert thread["module"]["title"] == "Discovery calls, revised"


def test_unchanged_catalog_is_not_reread(app, site_dir, anon):
    watcher = app.extensions["roundtable_catalog"]
    mtime = watcher.mtime
    anon.get("/api/session")
    assert watcher.mtime == mtime


def test_unsupported_schema_is_logged_and_old_copy_kept(tmp_path, app_config, caplog, site_dir):
    data = make_catalog()
    data["schema_version"] = 99
    (site_dir / "catalog.json").write_text(json.dumps(data))
    app = create_app(app_config, instance_path=str(tmp_path / "instance2"))
    assert "schema_version 99 is not supported" in caplog.text
    assert app.test_client().get("/api/session").status_code == 200


def test_missing_catalog_is_fine(tmp_path):
    app = create_app({"TESTING": True, "SITE_DIR": str(tmp_path / "nothing")},
                     instance_path=str(tmp_path / "instance"))
    assert app.test_client().get("/api/session").status_code == 200


def test_cohort_due_dates_are_stored_and_cleared_by_an_older_catalog(sign_in, site_dir, db):
    catalog = make_catalog()
    catalog["programs"][0]["cohorts"][0]["due_dates"] = {"sales/discovery-calls": "2027-01-18"}
    write_catalog(site_dir, catalog)
    touch_later(site_dir / "catalog.json")
    sign_in("learner").get("/api/session")
    stored = {r["id"]: r["due_dates"] for r in db.query("SELECT id, due_dates FROM cohorts")}
    assert json.loads(stored["sales-a"]) == {"sales/discovery-calls": "2027-01-18"}
    assert stored["sales-b"] is None  # no due_dates in the catalog: start + due_days applies
    write_catalog(site_dir, make_catalog())
    touch_later(site_dir / "catalog.json")
    sign_in("learner").get("/api/session")
    assert db.execute("SELECT due_dates FROM cohorts WHERE id = 'sales-a'").fetchone()[0] is None
