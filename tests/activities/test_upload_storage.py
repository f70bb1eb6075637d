"""Uploads in an S3-compatible bucket (issue 15): moto's S3 server on 127.0.0.1 stands for MinIO or Amazon S3.

A presentation uploaded through the API lands in the bucket (nothing on the app server's disk), streams back
through the app to exactly the people allowed and to no one else, leaves nothing behind when refused, goes when
its presenter is erased, and is part of `roundtable backup` (and comes back with `roundtable restore`).
"""

from __future__ import annotations

import json
import os

import boto3
import pytest
import requests
from click.testing import CliRunner
from moto.server import ThreadedMotoServer
from support.live import free_port

from comments_server import create_app
from comments_server.ops.cli import commands
from comments_server.store.db import is_postgres

from .conftest import Api, make_app
from .test_presentations_api import PDF, URL, upload

BUCKET = "roundtable-uploads"
PREFIX = "uploads/"


@pytest.fixture
def s3(monkeypatch):
    """moto's S3 server on a free port of 127.0.0.1 with an empty bucket; yields its endpoint URL."""
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)  # boto3's own credential chain, as in production
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    requests.post(f"{endpoint}/moto-api/reset", timeout=10)  # moto keeps buckets per Python process
    boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket=BUCKET)
    try:
        yield endpoint
    finally:
        server.stop()


def _settings(endpoint, bucket=BUCKET):
    return {"UPLOADS_BACKEND": "s3", "UPLOADS_S3_BUCKET": bucket, "UPLOADS_S3_ENDPOINT_URL": endpoint,
            "UPLOADS_S3_PREFIX": PREFIX}


@pytest.fixture
def app(tmp_path, s3, database_url):
    """The activities app (tests/activities/conftest.py) with its uploads in the bucket."""
    return make_app(tmp_path, DATABASE_URL=database_url, **_settings(s3))


def _objects(endpoint, bucket=BUCKET):
    """``{key: bytes}`` of every object in the bucket, read with a client of its own."""
    client = boto3.client("s3", endpoint_url=endpoint)
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=bucket).get("Contents", [])]
    return {key: client.get_object(Bucket=bucket, Key=key)["Body"].read() for key in keys}


def _files_on_disk(app):
    return [os.path.join(d, f) for d, _, names in os.walk(app.instance_path) for f in names
            if not f.startswith("roundtable.db") and f != "secret_key"]


def _env(monkeypatch, app, endpoint, bucket=BUCKET):
    """The commands' environment: this instance and its bucket."""
    monkeypatch.setenv("ROUNDTABLE_INSTANCE_PATH", app.instance_path)
    monkeypatch.setenv("ROUNDTABLE_SITE_DIR", app.config["SITE_DIR"])
    if is_postgres(app.config["DATABASE"]):  # on SQLite the instance folder names the database
        monkeypatch.setenv("ROUNDTABLE_DATABASE_URL", app.config["DATABASE"])
        monkeypatch.setenv("ROUNDTABLE_SECRET_KEY", app.config["SECRET_KEY"])
    for key, value in _settings(endpoint, bucket).items():
        monkeypatch.setenv(f"ROUNDTABLE_{key}", value)


def test_an_upload_goes_to_the_bucket_and_streams_back_only_to_those_allowed(app, as_user, s3):
    ana = as_user("ana")
    answer = upload(ana)
    assert answer.status_code == 201, answer.get_json()
    sub = answer.get_json()["submission"]
    stored = _objects(s3)
    assert len(stored) == 1
    key, body = next(iter(stored.items()))
    assert key.startswith(PREFIX) and key.endswith(".pdf") and body == PDF
    head = boto3.client("s3", endpoint_url=s3).head_object(Bucket=BUCKET, Key=key)
    assert head["ContentType"] == "application/pdf"
    assert _files_on_disk(app) == []  # nothing stays on the app server's disk, not even the checked copy

    got = ana.get(sub["file"]["url"])
    assert got.status_code == 200 and got.data == PDF
    assert got.headers["Content-Disposition"].startswith("attachment") and "pitch.pdf" in got.headers[
        "Content-Disposition"]
    assert got.headers["X-Content-Type-Options"] == "nosniff" and got.headers["Cache-Control"] == "private, no-store"
    assert "Location" not in got.headers  # streamed by the app, no link into the bucket to pass around
    reviewers = [name for name in ("ben", "cai", "dee")
                 if any(t["submission_id"] == sub["id"] for t in as_user(name).get(URL).get_json()["to_review"])]
    assert len(reviewers) == 2
    for allowed in (reviewers[0], "cora", "root"):  # an allocated reviewer, the cohort's coach, an admin
        assert as_user(allowed).get(sub["file"]["url"]).data == PDF, allowed
    outsider = ({"ben", "cai", "dee"} - set(reviewers)).pop()
    for refused in (outsider, "ola", "mia", "otto"):  # a peer not allocated, another cohort, a manager, its coach
        answer = as_user(refused).get(sub["file"]["url"])
        assert answer.status_code == 404 and answer.data != PDF, refused
    anonymous = app.test_client().get(sub["file"]["url"])
    assert anonymous.status_code == 401 and anonymous.data != PDF


def test_a_refused_upload_leaves_nothing_in_the_bucket_or_on_disk(app, as_user, s3):
    answer = upload(as_user("ana"), data=b"%PDF-1.7 but never finished", name="pitch.pdf")
    assert answer.status_code == 400 and "does not look like" in answer.get_json()["error"]
    assert _objects(s3) == {} and _files_on_disk(app) == []


def test_a_file_gone_from_the_bucket_is_a_clear_404(app, as_user, s3):
    sub = upload(as_user("ana")).get_json()["submission"]
    client = boto3.client("s3", endpoint_url=s3)
    client.delete_object(Bucket=BUCKET, Key=next(iter(_objects(s3))))
    answer = as_user("ana").get(sub["file"]["url"])
    assert answer.status_code == 404 and answer.get_json()["error"] == "The file is missing on the server."


def test_erasing_the_presenter_deletes_the_object(app, as_user, s3, monkeypatch):
    assert upload(as_user("ana")).status_code == 201
    assert upload(as_user("ben"), name="ben.pdf").status_code == 201
    ana_key = next(k for k, _ in _objects(s3).items()
                   if k.endswith(as_user("ana").get("/api/me/export").get_json()["uploads"][0]))
    _env(monkeypatch, app, s3)
    run = CliRunner()
    exported = run.invoke(commands, ["user", "export", "ana@example.com", str(app.instance_path + "/../ana.zip")],
                          catch_exceptions=False)
    assert "1 upload(s) written" in exported.output
    erased = run.invoke(commands, ["user", "erase", "ana@example.com", "--yes"], catch_exceptions=False)
    assert "1 upload(s) removed" in erased.output
    left = _objects(s3)
    assert ana_key not in left and len(left) == 1  # Ben's stays


def test_backup_includes_the_bucket_and_restore_puts_it_into_another(s3, monkeypatch, tmp_path):
    # SQLite's own backup: on PostgreSQL the command refuses and names pg_dump (tests/server/test_engines.py)
    app = make_app(tmp_path, **_settings(s3))
    sub = upload(Api(app, "ana@example.com")).get_json()["submission"]
    (key, body), = _objects(s3).items()
    _env(monkeypatch, app, s3)
    run = CliRunner()
    dest = tmp_path / "backup"
    out = run.invoke(commands, ["backup", str(dest)], catch_exceptions=False).output
    assert "1 upload(s)" in out, out
    name = key[len(PREFIX):]
    assert (dest / "uploads" / name).read_bytes() == body
    assert f"uploads/{name}" in json.loads((dest / "manifest.json").read_text())["files"]

    boto3.client("s3", endpoint_url=s3).create_bucket(Bucket="elsewhere")
    _env(monkeypatch, app, s3, bucket="elsewhere")
    monkeypatch.setenv("ROUNDTABLE_INSTANCE_PATH", str(tmp_path / "restored"))
    restored = run.invoke(commands, ["restore", str(dest)], catch_exceptions=False)
    assert restored.exit_code == 0, restored.output
    assert _objects(s3, "elsewhere") == {key: body}
    # a server on the restored instance and bucket serves Ana her file
    again = create_app({"TESTING": True, "SECRET_KEY": "test", "SITE_DIR": app.config["SITE_DIR"],
                        **_settings(s3, "elsewhere")}, instance_path=str(tmp_path / "restored"))
    assert Api(again, "ana@example.com").get(sub["file"]["url"]).data == body


def test_s3_without_a_bucket_refuses_to_start_saying_what_to_set(tmp_path, monkeypatch):
    monkeypatch.setenv("ROUNDTABLE_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("ROUNDTABLE_UPLOADS_BACKEND", "s3")
    answer = CliRunner().invoke(commands, ["backup", str(tmp_path / "b")])
    assert answer.exit_code != 0 and "ROUNDTABLE_UPLOADS_S3_BUCKET" in answer.output
    monkeypatch.setenv("ROUNDTABLE_UPLOADS_BACKEND", "ftp")
    answer = CliRunner().invoke(commands, ["backup", str(tmp_path / "b")])
    assert answer.exit_code != 0 and "'ftp' is not one of local, s3" in answer.output
