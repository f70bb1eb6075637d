"""At most NOTIFY_MAX_PER_HOUR notification mails a person gets in an hour (issue 11): what is due beyond that
goes inside one mail or waits for the hour to pass, nothing is lost, and sign-in links never wait behind it.
The worker runs at set moments (its clock), mailing a real SMTP server."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from server.conftest import THREAD_URL

from .conftest import email, post_comment

UTC = dt.timezone.utc
START = dt.datetime(2027, 1, 20, 9, tzinfo=UTC)


@pytest.fixture
def app_config(app_config):
    return {**app_config, "NOTIFY_MAX_PER_HOUR": 3}


def _posts(learner, thread_id, numbers):
    """Post one comment per number; return their ids."""
    return [post_comment(learner, thread_id, f"Post number {n}")["id"] for n in numbers]


def _told(mails, ids):
    """The posts among ``ids`` that the mails link to, on their own or as items of a mail."""
    found = {int(n) for m in mails for n in re.findall(r"#rt-comment-(\d+)\b", _said(m))}
    return [i for i in ids if i in found]


def _said(message):
    """Which posts a mail tells of (its subject and its body)."""
    return message["Subject"] + "\n" + message.get_body(("plain",)).get_content()


def test_a_burst_goes_out_as_the_hour_allows_and_nothing_is_lost(sign_in, anon, worker, smtp):
    learner = sign_in("learner")
    thread_id = learner.get(THREAD_URL).json["thread"]["id"]
    posts = _posts(learner, thread_id, range(1, 11))  # ten posts: ten mails due for the coach at once

    worker.run_once(at=START)
    mails = smtp.inbox.to(email("coach"))
    assert len(mails) == 2  # two on their own; the other eight wait inside the hour's last mail
    worker.run_once(at=START + dt.timedelta(minutes=1))
    mails = smtp.inbox.to(email("coach"))
    assert len(mails) == 3
    assert re.fullmatch(r"\d+ Roundtable notifications \(held back: at most 3 mails an hour\)", mails[2]["Subject"])
    assert _told(mails, posts) == posts

    # the hour is full: two more posts wait, while a sign-in link goes at once
    posts += _posts(learner, thread_id, (11, 12))
    assert anon.post("/api/auth/request-link", {"email": email("coach")}).status_code == 202
    worker.run_once(at=START + dt.timedelta(minutes=10))
    mails = smtp.inbox.to(email("coach"))
    assert len(mails) == 4 and "/signin/?token=" in mails[3].get_body(("plain",)).get_content()

    worker.run_once(at=START + dt.timedelta(minutes=59))  # still within the hour of the first mails
    assert len(smtp.inbox.to(email("coach"))) == 4
    worker.run_once(at=START + dt.timedelta(hours=1, seconds=1))
    mails = smtp.inbox.to(email("coach"))
    assert len(mails) == 6  # the two held mails, on their own: the new hour has room for them
    assert _told(mails, posts) == posts


def test_other_people_are_not_held_back_by_one_persons_limit(sign_in, worker, smtp):
    learner, coach = sign_in("learner"), sign_in("coach")
    thread_id = learner.get(THREAD_URL).json["thread"]["id"]
    first = _posts(learner, thread_id, range(1, 6))[0]
    post_comment(coach, thread_id, "Coach replies", parent_id=first)
    worker.run_once(at=START)
    assert len(smtp.inbox.to(email("coach"))) == 2  # the coach's hour is full (the third mail comes next round)
    assert [m["Subject"] for m in smtp.inbox.to(email("learner"))] == ["Carla Coach replied to you in the roundtable of “Discovery Calls”"]
