"""Signing in and out: ask for a link, redeem it, sign out.

Asking for a link must not tell who is enrolled: the request queues one
outbox row (kind ``signin``) holding the address as typed, the same single
INSERT whoever it belongs to, and answers at once. The worker looks the
person up, makes the token and mails the link, or drops the row when the
address is nobody's (notify/worker.py). ``roundtable login-link`` and the
demo print links directly (ops/auth_links.py).
"""

from __future__ import annotations

from comments_server.actions.bus import BUS
from comments_server.domain import links
from comments_server.domain.events.auth import SignedIn, SignedOut
from comments_server.notify.mail import SIGNIN_SUBJECT
from comments_server.store import notifications as outbox
from comments_server.store import tokens, users
from comments_server.store.db import write_transaction


def request_link(db, *, email, next_url="", site_root):
    """Queue a sign-in mail to ``email`` that will open ``next_url`` (kept only if it is a path of this site).

    ``site_root`` is the root the link will point to when BASE_URL is not set
    (the host the request came in on). Nothing here depends on whether the
    address belongs to anyone.
    """
    with write_transaction(db):
        outbox.enqueue(db, user_id=None, to_addr=users.norm_email(email), kind=outbox.SIGNIN,
                       subject=SIGNIN_SUBJECT, text="", url=links.safe_next(next_url), base_url=site_root)


def redeem(db, *, token):
    """Spend a one-time sign-in token; return ``(user, next path)``.

    :raises tokens.TokenError: the token is unknown, used or expired (``reason`` says which).
    """
    with write_transaction(db):
        row = tokens.redeem(db, token=token)
        user = users.get_user(db, user_id=row["user_id"])
        BUS.publish(db, SignedIn(user=user))
    return user, row["next"] or "/"


def logout(db, *, viewer):
    """Record that ``viewer`` signed out (nobody signed in: nothing to record)."""
    if viewer is None:
        return
    with write_transaction(db):
        BUS.publish(db, SignedOut(user=viewer))
