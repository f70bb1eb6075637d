"""Two `roundtable serve` processes on one database (issue 15): nothing a process keeps for itself may hide a
write made through the other. Each per-process cache is keyed by a value the database holds (see
docs/deployment.md, "Caches"), so a comment posted through one server is read through the other at once, with a
fresh ETag, and the coach's dashboard served by the other server moves with it."""

from __future__ import annotations

import pytest
import requests
from support.live import LiveServer, free_port

from .conftest import THREAD_URL, make_catalog, write_catalog

pytestmark = pytest.mark.browser  # real server subprocesses, like the browser tests


@pytest.fixture
def servers(tmp_path):
    """Two servers, each its own serving process and workers, on one instance folder and so one database."""
    site = tmp_path / "site"
    write_catalog(site, make_catalog())
    instance = tmp_path / "instance"
    instance.mkdir()
    one = LiveServer(site, instance, free_port()).start()
    two = LiveServer(site, instance, free_port())
    try:
        two.start()
        one.cli("user", "add", "lena@example.com", "--name", "Lena Learner", "--cohort", "sales-a")
        one.cli("user", "add", "carl@example.com", "--name", "Carl Coach", "--cohort", "sales-a", "--role", "coach")
        yield one, two
    finally:
        two.stop()
        one.stop()


def test_a_comment_posted_through_one_server_is_read_through_the_other_with_a_fresh_etag(servers):
    one, two = servers
    lena_one, lena_two = one.api_as("lena@example.com"), two.api_as("lena@example.com")
    before = lena_two.get(two.url + THREAD_URL)  # the second server reads (and caches) the thread first
    assert before.status_code == 200 and before.json()["comments"] == []
    etag = before.headers["ETag"]
    assert lena_two.get(two.url + THREAD_URL, headers={"If-None-Match": etag}).status_code == 304
    assert lena_one.get(one.url + THREAD_URL).headers["ETag"] == etag  # the ETag is the database's, not a process's

    thread_id = lena_one.get(one.url + THREAD_URL).json()["thread"]["id"]
    posted = lena_one.post(f"{one.url}/api/threads/{thread_id}/comments", json={"body": "Through server one"})
    assert posted.status_code == 201, posted.text

    after = lena_two.get(two.url + THREAD_URL, headers={"If-None-Match": etag})
    assert after.status_code == 200 and after.headers["ETag"] != etag
    assert [c["body_html"] for c in after.json()["comments"]] == ["<p>Through server one</p>"]
    # and the other way round: an edit through server two is read through server one
    comment_id = after.json()["comments"][0]["id"]
    edited = lena_two.patch(f"{two.url}/api/comments/{comment_id}", json={"body": "Edited through two"})
    assert edited.status_code == 200, edited.text
    again = lena_one.get(one.url + THREAD_URL, headers={"If-None-Match": after.headers["ETag"]})
    assert again.status_code == 200 and again.json()["comments"][0]["body_html"] == "<p>Edited through two</p>"


def test_the_dashboard_served_by_one_server_follows_a_write_through_the_other(servers):
    one, two = servers
    coach = two.api_as("carl@example.com")
    url = f"{two.url}/api/dashboard/cohorts/sales-a"
    before = coach.get(url)
    assert before.status_code == 200, before.text
    row = _lena(before.json())
    health = f"{two.url}/api/dashboard/programs/{before.json()['cohort']['program_id']}/health?cohort=sales-a"
    posts = _lena_posts(coach.get(health).json())
    lena = one.api_as("lena@example.com")
    thread_id = lena.get(one.url + THREAD_URL).json()["thread"]["id"]
    assert lena.post(f"{one.url}/api/threads/{thread_id}/comments", json={"body": "Joined"}).status_code == 201
    after = _lena(coach.get(url).json())
    assert after != row  # the snapshot cached by server two was built at the cohort's old version
    assert _lena_posts(coach.get(health).json()) == posts + 1  # and so was the summary program health reads


def _lena_posts(health):
    """Lena's roundtable posts in a program health answer."""
    rows = health["health"]["participation"]["learners"]
    return next(r["posts"] for r in rows if r["learner"]["name"] == "Lena Learner")


def _lena(cohort):
    """Lena's cells in the cohort's matrix (one status per module)."""
    return next(r["cells"] for r in cohort["matrix"]["rows"] if r["learner"]["name"] == "Lena Learner")


def test_a_rename_and_an_erasure_by_the_command_line_reach_the_pages_both_servers_cached(servers):
    one, two = servers
    lena = one.api_as("lena@example.com")
    thread_id = lena.get(one.url + THREAD_URL).json()["thread"]["id"]
    assert lena.post(f"{one.url}/api/threads/{thread_id}/comments", json={"body": "Mango pitch"}).status_code == 201
    carl = {server.url: server.api_as("carl@example.com") for server in servers}
    etags = {}
    for url, http in carl.items():  # both servers build and cache the page
        page = http.get(url + THREAD_URL)
        assert page.json()["comments"][0]["author"]["name"] == "Lena Learner"
        etags[url] = page.headers["ETag"]

    one.cli("user", "add", "lena@example.com", "--name", "Lena Larsen")
    for url, http in carl.items():
        page = http.get(url + THREAD_URL, headers={"If-None-Match": etags[url]})
        assert page.status_code == 200 and page.json()["comments"][0]["author"]["name"] == "Lena Larsen", url
        etags[url] = page.headers["ETag"]

    one.cli("user", "erase", "lena@example.com", "--yes")
    for url, http in carl.items():
        page = http.get(url + THREAD_URL, headers={"If-None-Match": etags[url]})
        assert page.status_code == 200 and "Mango" not in page.text and "Larsen" not in page.text, url


def test_a_sign_out_through_one_server_ends_the_session_on_the_other(servers):
    one, two = servers
    lena = one.api_as("lena@example.com")
    on_two = requests.Session()
    on_two.cookies.update(lena.cookies)  # the same browser, its next request reaching the other server
    assert on_two.get(two.url + "/api/session").json()["user"]["email"] == "lena@example.com"
    assert lena.post(one.url + "/api/auth/logout", json={}).status_code == 200
    assert on_two.get(two.url + "/api/session").json()["user"] is None
    assert on_two.get(two.url + THREAD_URL).status_code == 401
