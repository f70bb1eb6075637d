"""Wiki refusals in the one error shape (400 contract, 404 out of sight, 403 in sight), and stale saves
refused by the write itself (a conditional INSERT/UPDATE), not by a read under the global write lock."""

from __future__ import annotations

import threading

import pytest

from comments_server.actions import wiki as actions
from comments_server.store import users
from comments_server.store.db import connect

from .conftest import assert_error

PAGE = "/api/wiki/sales/pages/Objection-library"


def save(api, body, base, url=PAGE, **extra):
    """Save a page revision and return the response."""
    return api.post(url, {"body": body, "base_revision": base, **extra})


@pytest.mark.parametrize(("payload", "message"), [
    ({"body": "x", "base_revision": 2**63}, "'base_revision' must be a revision number"),
    ({"body": "x", "base_revision": -1}, "'base_revision' must be a revision number"),
    ({"body": "x", "base_revision": True}, "'base_revision' must be a revision number"),
    ({"body": "", "base_revision": 0}, "Write something first"),
    ({"body": "x", "base_revision": 0, "title": "  "}, "Give it a title"),
    ({"body": "x", "base_revision": 0, "colour": "red"}, "Unknown field 'colour'."),
    ({"base_revision": 0}, "Missing field 'body'."),
])
def test_a_bad_save_is_refused_with_400(sign_in, payload, message):
    assert_error(sign_in("learner").post(PAGE, payload), 400, message)


def test_bad_revert_protect_and_diff_arguments_are_400(sign_in):
    learner, coach = sign_in("learner"), sign_in("coach")
    save(learner, "one", 0)
    assert_error(learner.post(PAGE + "/revert", {"revision": "1", "base_revision": 1}), 400, "'revision' must be")
    assert_error(coach.post(PAGE + "/protect", {"protected": "yes"}), 400, "'protected' must be true or false.")
    for arg in ("from=%C2%B2", "to=%D9%A3", "from=x", f"to={2**63}"):  # ², Arabic-Indic three
        assert_error(learner.get(f"{PAGE}/diff?{arg}"), 400, "must be a revision number")


@pytest.mark.parametrize(("method", "suffix", "payload"), [
    ("GET", "", None), ("GET", "/history", None), ("GET", "/diff", None), ("GET", "/revisions/1", None),
    ("POST", "", {"body": "x", "base_revision": 1}), ("POST", "/revert", {"revision": 1, "base_revision": 1}),
    ("POST", "/protect", {"protected": True}),
])
def test_another_programs_wiki_is_404_for_every_operation(sign_in, method, suffix, payload):
    save(sign_in("learner"), "Sales only", 0)
    outsider = sign_in("outsider")
    response = outsider.get(PAGE + suffix) if method == "GET" else outsider.post(PAGE + suffix, payload)
    assert_error(response, 404, "No such wiki of yours.")


def test_in_sight_but_not_allowed_is_403_with_the_reason(sign_in):
    learner, observer = sign_in("learner"), sign_in("observer")
    save(learner, "Open page", 0)
    assert_error(save(observer, "x", 1), 403, "You can read this wiki but not edit it.")
    assert_error(observer.post(PAGE + "/revert", {"revision": 1, "base_revision": 1}), 403, "not edit it")
    assert_error(learner.post(PAGE + "/protect", {"protected": True}), 403, "Only a coach of this program")
    assert sign_in("coach").post(PAGE + "/protect", {"protected": True}).status_code == 200
    assert_error(learner.post(PAGE + "/revert", {"revision": 1, "base_revision": 1}), 403,
                 "only coaches and admins can revert it")


def test_two_saves_on_the_same_base_revision_cannot_both_win(app, sign_in, db, monkeypatch):
    save(sign_in("learner"), "Version one", 0)
    both_read = threading.Barrier(2)
    render = actions.render_page

    def render_after_both_read(*args):
        both_read.wait(timeout=10)  # both editors have read revision 1 before either writes
        return render(*args)

    monkeypatch.setattr(actions, "render_page", render_after_both_read)
    outcomes, errors = {}, []

    def edit(email, text):
        conn = connect(app.config["DATABASE"])
        try:
            viewer = users.get_user(conn, email=email)
            saved = actions.save_page(conn, viewer=viewer, program_id="sales", slug="Objection-library",
                                      body_md=text, base_revision=1)
            outcomes[email] = saved["revision"]
        except actions.Conflict as conflict:
            outcomes[email] = ("conflict", conflict.current["revision"])
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            conn.close()

    editors = [threading.Thread(target=edit, args=(e, f"Edit by {e}"))
               for e in ("lena.learner@example.com", "liam.learner@example.com")]
    for t in editors:
        t.start()
    for t in editors:
        t.join(30)
    assert errors == []
    assert sorted(outcomes.values(), key=str) == [("conflict", 2), 2]
    assert db.execute("SELECT COUNT(*) FROM wiki_revisions").fetchone()[0] == 2


def test_a_first_save_racing_another_first_save_is_a_conflict(app, sign_in, db):
    learner = users.get_user(db, email="lena.learner@example.com")
    actions.save_page(db, viewer=learner, program_id="sales", slug="Home", body_md="Mine", base_revision=0)
    with pytest.raises(actions.Conflict) as caught:
        actions.save_page(db, viewer=learner, program_id="sales", slug="Home", body_md="Also mine", base_revision=0)
    assert caught.value.current["body_md"] == "Mine"
