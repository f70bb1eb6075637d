"""How answers travel (issue 14): Material's content-hashed files are cached for a year, everything else
revalidates (ETag, 304), and answers are compressed for clients that accept it, plain for those that do not."""

from __future__ import annotations

import gzip
from pathlib import Path

import brotli
import pytest

from .conftest import THREAD_URL

IMMUTABLE = "public, max-age=31536000, immutable"
SCRIPT = "function hello(){return 'hello from a bundle';}\n" * 40  # well over the 500 bytes worth compressing
FILES = {  # site path -> body
    "assets/javascripts/bundle.a5f9d56c.min.js": SCRIPT,
    "assets/stylesheets/main.57a0d79d.min.css": "body{margin:0}\n" * 60,
    "assets/javascripts/workers/search.973d3a69.min.js": SCRIPT,
    "assets/javascripts/lunr/min/lunr.de.min.js": SCRIPT,  # a Material file without a hash in its name
    "assets/roundtable/katex-init.js": SCRIPT,  # ours, no hash
    "long/index.html": "<!doctype html><html><head></head><body>" + "<p>A long page.</p>" * 80 + "</body></html>",
}


@pytest.fixture
def site(app):
    """Files in the built site as MkDocs and Material name them."""
    root = Path(app.config["SITE_DIR"])
    for path, body in FILES.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(body)
    return root


@pytest.mark.parametrize("path", ["/assets/javascripts/bundle.a5f9d56c.min.js",
                                  "/assets/stylesheets/main.57a0d79d.min.css",
                                  "/assets/javascripts/workers/search.973d3a69.min.js"])
def test_content_hashed_assets_are_cached_for_a_year(anon, site, path):
    response = anon.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == IMMUTABLE


@pytest.mark.parametrize("path", ["/long/", "/assets/javascripts/lunr/min/lunr.de.min.js",
                                  "/assets/roundtable/katex-init.js", "/static/roundtable.js",
                                  "/static/widgets/thread.js"])
def test_files_without_a_hash_revalidate_and_answer_304(anon, site, path):
    first = anon.get(path)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "no-cache"
    assert first.headers["Last-Modified"]
    again = anon.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""


@pytest.mark.parametrize("path", ["/long/", "/assets/javascripts/bundle.a5f9d56c.min.js", "/static/roundtable.js"])
def test_files_are_compressed_for_a_browser_and_plain_for_a_client_that_asks_nothing(anon, site, path):
    plain = anon.get(path)
    assert "Content-Encoding" not in plain.headers
    assert plain.headers["Vary"] == "Accept-Encoding"
    squeezed = anon.get(path, headers={"Accept-Encoding": "br"})
    assert squeezed.headers["Content-Encoding"] == "br"
    assert len(squeezed.data) < len(plain.data) * 2 / 3
    assert brotli.decompress(squeezed.data) == plain.data


@pytest.mark.parametrize("path", ["/long/", "/assets/javascripts/bundle.a5f9d56c.min.js", "/static/roundtable.js"])
def test_a_compressed_file_still_revalidates_with_its_tagged_etag(anon, site, path):
    first = anon.get(path, headers={"Accept-Encoding": "br"})
    assert first.headers["ETag"].endswith(':br"')
    again = anon.get(path, headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    changed_path = site / ("long/index.html" if path == "/long/" else path.lstrip("/"))
    if path.startswith("/static/"):
        return  # the widget's own files belong to the package: not changed here
    changed_path.write_text(changed_path.read_text() + "<!-- changed -->")
    after = anon.get(path, headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200
    assert b"changed" in brotli.decompress(after.data)


def _long_thread(learner, count=12):
    """Post enough comments that the thread's JSON is worth compressing; return its URL."""
    thread_id = learner.get(THREAD_URL).json["thread"]["id"]
    for n in range(count):
        response = learner.post(f"/api/threads/{thread_id}/comments",
                                {"body": f"Comment {n}: what I tried this week, and what the customer said back."})
        assert response.status_code == 201, response.json
    return THREAD_URL


def test_a_large_json_answer_is_compressed_and_its_304_still_works(sign_in):
    learner = sign_in("learner")
    url = _long_thread(learner)
    plain = learner.get(url)
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    squeezed = learner.get(url, headers={"Accept-Encoding": "gzip"})
    assert squeezed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(squeezed.data) == plain.data
    assert squeezed.headers["Cache-Control"] == "private, no-cache"  # personal: never a shared cache
    # The browser sends back the tag it got; the view's own cheap 304 answers it.
    again = learner.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": squeezed.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
    plain_again = learner.get(url, headers={"If-None-Match": plain.headers["ETag"]})
    assert plain_again.status_code == 304


def test_a_new_comment_makes_the_tagged_etag_stale(sign_in):
    learner = sign_in("learner")
    url = _long_thread(learner, count=10)
    squeezed = learner.get(url, headers={"Accept-Encoding": "gzip"})
    thread_id = learner.get(url).json["thread"]["id"]
    assert learner.post(f"/api/threads/{thread_id}/comments", {"body": "One more."}).status_code == 201
    after = learner.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": squeezed.headers["ETag"]})
    assert after.status_code == 200
    assert b"One more." in gzip.decompress(after.data)


def test_a_small_answer_is_sent_as_is(anon):
    response = anon.get("/api/session", headers={"Accept-Encoding": "gzip, br, zstd"})
    assert "Content-Encoding" not in response.headers
    assert "Accept-Encoding" not in response.headers.get("Vary", "")  # sent as it is to any client
    assert response.json["user"] is None
