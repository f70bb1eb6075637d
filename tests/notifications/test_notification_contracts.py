"""The notifications API's refusals in the one error shape: contracts (400), who is asking (401/403)."""

from __future__ import annotations

import pytest

from .conftest import assert_error


@pytest.mark.parametrize("url", [
    "/api/notifications?limit=%C2%B2",  # a superscript two: a Unicode digit, not a number
    "/api/notifications?limit=101",
    "/api/notifications?before=-1",
    f"/api/notifications?before={10**18}",
])
def test_list_arguments_outside_their_range_are_400(sign_in, url):
    assert_error(sign_in("coach").get(url), 400, "must be a whole number from")


@pytest.mark.parametrize("payload", [{"ids": [2**63]}, {"ids": [True]}, {"ids": list(range(501))}, {"ids": "all"}])
def test_mark_read_ids_are_checked(sign_in, payload):
    assert_error(sign_in("coach").post("/api/notifications/read", payload), 400, "'ids' must be a list")


def test_preferences_name_every_problem_at_once(sign_in):
    coach = sign_in("coach")
    bad = coach.client.put("/api/notifications/preferences", json={"reply": "hourly", "nope": "never"},
                           headers={"X-CSRF-Token": coach.csrf})
    body = assert_error(bad, 400)
    assert body["errors"] == ["'reply' must be one of immediate, digest, never.", "Unknown field 'nope'."]


def test_the_outbox_is_for_admins(app, sign_in):
    assert_error(app.test_client().get("/api/admin/outbox"), 401)
    assert_error(sign_in("coach").get("/api/admin/outbox"), 403, "Only admins can read the outbox.")
    assert_error(sign_in("admin").get("/api/admin/outbox?limit=0"), 400, "'limit' must be a whole number from 1")
    assert sign_in("admin").get("/api/admin/outbox?status=sent").json["ok"] is True
