"""Secure headers by default (issue 11): every response kind says nosniff, no framing, same-origin referrers;
pages allow only their own inline scripts by hash; personal JSON answers are not stored."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from .conftest import THREAD_URL, assert_error

PAGE_WITH_SCRIPT = """<!doctype html><html><head><script>var palette = 1;</script>
<script id="__config" type="application/json">{"base": ".."}</script>
<script src="/static/roundtable.js" type="module"></script></head><body>Hi</body></html>"""


@pytest.fixture
def page(app):
    """A built page with one inline script (as Material's are) in the site folder."""
    import pathlib

    path = pathlib.Path(app.config["SITE_DIR"]) / "with-script" / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PAGE_WITH_SCRIPT)
    return "/with-script/"


def _always(response):
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src


@pytest.mark.parametrize("kind", ["page", "static", "api read", "api error", "api write", "site 404",
                                  "unknown api"])
def test_every_response_kind_carries_the_security_headers(anon, sign_in, page, kind):
    learner = sign_in("learner")
    thread_id = learner.get(THREAD_URL).json["thread"]["id"]
    response = {
        "page": lambda: anon.get(page),
        "static": lambda: anon.get("/static/api.js"),
        "api read": lambda: learner.get(THREAD_URL),
        "api error": lambda: learner.get("/api/threads/999999/comments"),
        "api write": lambda: learner.post(f"/api/threads/{thread_id}/comments", {"body": "Headers?"}),
        "site 404": lambda: anon.get("/no/such/page/"),
        "unknown api": lambda: anon.get("/api/no-such-thing"),
    }[kind]()
    _always(response)


def test_a_page_allows_exactly_its_own_inline_scripts(anon, page):
    csp = anon.get(page).headers["Content-Security-Policy"]
    digest = base64.b64encode(hashlib.sha256(b"var palette = 1;").digest()).decode()
    script_src = re.search(r"script-src ([^;]*)", csp).group(1).split()
    assert script_src == ["'self'", f"'sha256-{digest}'"]  # the JSON config block is data, not a script


@pytest.mark.parametrize("url", ["/api/session", "/api/notifications?limit=0", "/api/progress"])
def test_personal_answers_are_never_stored(sign_in, url):
    response = sign_in("learner").get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"


def test_a_thread_read_keeps_its_revalidation_rule(sign_in):
    assert sign_in("learner").get(THREAD_URL).headers["Cache-Control"] == "private, no-cache"


def test_hsts_only_over_https(app, anon):
    assert "Strict-Transport-Security" not in anon.get("/api/session").headers
    secure = app.test_client().get("/api/session", base_url="https://learn.example.com")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_refusals_carry_the_headers_too(anon):
    response = anon.post("/api/threads/1/comments", {"body": "x"})
    assert_error(response, 401)
    _always(response)


@pytest.mark.parametrize("zero", ["\u0660", "\U0001d7ce", "\u0966"])  # Arabic-Indic, mathematical, Devanagari
def test_ids_in_paths_are_ascii_digits_only(sign_in, zero):
    """Issue 11: Unicode digits were read as numbers, so /comments/١ edited comment 1."""
    learner = sign_in("learner")
    thread_id = learner.get(THREAD_URL).json["thread"]["id"]
    comment_id = learner.post(f"/api/threads/{thread_id}/comments", {"body": "Mine"}).json["comment"]["id"]
    foreign = str(comment_id).translate({ord("0") + i: ord(zero) + i for i in range(10)})
    assert_error(learner.patch(f"/api/comments/{foreign}", {"body": "Edited?"}), 404)
    assert learner.patch(f"/api/comments/{comment_id}", {"body": "Edited"}).status_code == 200
