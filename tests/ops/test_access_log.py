"""The access log never holds a sign-in token (issue 11): a link's token, and the Referer of the assets its page
loads, are written as token=[redacted]."""

from __future__ import annotations

import urllib.parse

import pytest
import requests
from support import live
from support.browser import built_site, server_port  # noqa: F401

pytestmark = pytest.mark.browser  # a real `roundtable serve`, like the browser tests


def test_sign_in_tokens_are_redacted_in_the_access_log(built_site, tmp_path_factory):  # noqa: F811
    server = live.start_server(built_site, tmp_path_factory, live.free_port())
    try:
        link = server.login_link("lea@example.com")
        token = urllib.parse.parse_qs(urllib.parse.urlparse(link).query)["token"][0]
        assert requests.get(link, timeout=10).status_code == 200
        requests.get(f"{server.url}/static/api.js", headers={"Referer": link}, timeout=10)
    finally:
        server.stop()  # the server flushes its access log on the way out
    log = server.output()
    assert "GET /signin/?token=[redacted]" in log
    assert token not in log
