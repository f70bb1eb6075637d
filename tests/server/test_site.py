"""One port serves the built site, the widget files and the API; configuration and secrets."""

from __future__ import annotations

import os

import pytest

from comments_server import create_app


def test_site_index_and_directory_urls(anon):
    assert b"Roundtable test site" in anon.get("/").data
    assert b"Discovery calls" in anon.get("/sales/discovery-calls/").data
    response = anon.get("/sales/discovery-calls")
    assert response.status_code == 308 and response.headers["Location"].endswith("/sales/discovery-calls/")


def test_widget_files_are_served(anon):
    assert anon.get("/static/roundtable.js").status_code == 200


@pytest.mark.parametrize("url", ["/catalog.json", "/sales/../catalog.json", "/./catalog.json"])
def test_catalog_is_not_served_to_the_public(app, anon, url):
    """catalog.json names authors by e-mail; the server reads it from disk, nobody fetches it."""
    assert os.path.exists(os.path.join(app.config["SITE_DIR"], "catalog.json"))
    assert anon.get(url).status_code == 404


def test_catalog_is_not_served_to_the_signed_in_either(sign_in):
    assert sign_in("admin").get("/catalog.json").status_code == 404


def test_path_traversal_is_refused(anon):
    assert anon.get("/../secret_key").status_code == 404
    assert anon.get("/%2e%2e/instance/secret_key").status_code == 404


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = create_app({"SITE_DIR": str(tmp_path)}, instance_path=str(tmp_path / "i"))
    second = create_app({"SITE_DIR": str(tmp_path)}, instance_path=str(tmp_path / "i"))
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] != "dev"
    assert len(first.config["SECRET_KEY"]) == 64
    assert oct(os.stat(tmp_path / "i" / "secret_key").st_mode)[-3:] == "600"


def test_config_comes_from_instance_file_then_environment(tmp_path, monkeypatch):
    instance = tmp_path / "i"
    instance.mkdir()
    (instance / "roundtable.cfg").write_text('BASE_URL = "https://from-file"\nLOGIN_LINK_MINUTES = 5\n')
    monkeypatch.setenv("ROUNDTABLE_INSTANCE_PATH", str(instance))
    monkeypatch.setenv("ROUNDTABLE_LOGIN_LINK_MINUTES", "10")
    monkeypatch.setenv("ROUNDTABLE_SITE_DIR", str(tmp_path))
    app = create_app()
    assert app.instance_path == str(instance)
    assert app.config["BASE_URL"] == "https://from-file"
    assert app.config["LOGIN_LINK_MINUTES"] == 10
    assert app.config["DATABASE"] == str(instance / "roundtable.db")


def test_instance_folder_defaults_to_cwd(tmp_path, monkeypatch):
    monkeypatch.delenv("ROUNDTABLE_INSTANCE_PATH", raising=False)
    monkeypatch.chdir(tmp_path)
    app = create_app({"SITE_DIR": str(tmp_path)})
    assert app.instance_path == str(tmp_path / "instance")
