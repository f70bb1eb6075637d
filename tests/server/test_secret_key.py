"""The secret key from configuration (issue 15): every server signs sessions with the same key, read from
ROUNDTABLE_SECRET_KEY or a file; on a shared database a server refuses to start without one."""

from __future__ import annotations

import os
import subprocess

import pytest
from support.live import ROUNDTABLE

from comments_server import create_app
from comments_server.web.app import InstanceError

from .conftest import PEOPLE, THREAD_URL, Api, add_people, make_token

COOKIE = "roundtable_session"


def _servers(app_config, tmp_path, **config):
    """Two servers on one database file, each with its own instance folder (as on two machines)."""
    database = str(tmp_path / "shared.db")
    return [create_app({**app_config, "DATABASE": database, **config}, instance_path=str(tmp_path / name))
            for name in ("machine-1", "machine-2")]


def _signed_in_on_one_then_asked_on_two(one, two):
    """Sign the learner in through ``one``, send the same cookie to ``two``; return who ``two`` sees."""
    add_people(one)
    first = Api(one.test_client())
    assert first.redeem(make_token(one, PEOPLE["learner"][0])).status_code == 200
    second = two.test_client()
    second.set_cookie(COOKIE, first.client.get_cookie(COOKIE).value)
    return second.get("/api/session").json["user"], second.get(THREAD_URL).status_code


def test_a_key_file_lets_a_session_from_one_server_work_on_the_other(app_config, tmp_path):
    key_file = tmp_path / "secret"
    key_file.write_text("f3a9c1" * 10 + "\n")
    one, two = _servers(app_config, tmp_path, SECRET_KEY_FILE=str(key_file))
    user, thread = _signed_in_on_one_then_asked_on_two(one, two)
    assert user["email"] == PEOPLE["learner"][0] and thread == 200
    assert not os.path.exists(tmp_path / "machine-1" / "secret_key")  # nothing generated beside it


def test_without_a_configured_key_each_machine_signs_its_own_and_the_other_refuses_the_cookie(app_config, tmp_path):
    one, two = _servers(app_config, tmp_path)
    user, thread = _signed_in_on_one_then_asked_on_two(one, two)
    assert user is None and thread == 401


@pytest.mark.parametrize("content", [None, ""])
def test_a_key_file_that_is_missing_or_empty_stops_the_start_saying_so(app_config, tmp_path, content):
    key_file = tmp_path / "secret"
    if content is not None:
        key_file.write_text(content)
    with pytest.raises(InstanceError, match="ROUNDTABLE_SECRET_KEY_FILE=.*(cannot be read|is empty)"):
        create_app({**app_config, "SECRET_KEY_FILE": str(key_file)}, instance_path=str(tmp_path / "i"))


def test_serve_on_postgresql_without_a_secret_key_refuses_to_start(tmp_path):
    env = {**os.environ, "ROUNDTABLE_INSTANCE_PATH": str(tmp_path / "instance"),
           "ROUNDTABLE_DATABASE_URL": "postgresql://roundtable@127.0.0.1:1/roundtable"}
    env.pop("ROUNDTABLE_SECRET_KEY", None)
    result = subprocess.run([ROUNDTABLE, "serve", "--port", "1"], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode != 0
    assert "no secret key is configured" in result.stderr and "ROUNDTABLE_SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr
    assert not os.path.exists(tmp_path / "instance" / "secret_key")
