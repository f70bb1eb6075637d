"""Fixtures for the notification tests: the server tests' app and people (tests/server/conftest.py) with a
presentation and an author added, a REAL SMTP server (aiosmtpd) on 127.0.0.1, and the shared browser
fixtures: built site, live server, screenshots (tests/support/browser.py)."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from server.conftest import (  # noqa: F401  (fixtures are found by name)
    AUTHOR,
    PEOPLE,
    Api,
    add_people,
    anon,
    app,
    assert_error,
    author,
    db,
    make_catalog,
    make_token,
    post_comment,
    sign_in,
    write_catalog,
)
from support.browser import (  # noqa: F401
    browser_context_args,
    built_site,
    live_server,
    server_port,
    shots,
)
from support.live import free_port
from support.postgres import POSTGRES_SECRET

from comments_server.notify.worker import Worker

MODULE = "sales/discovery-calls"
PRESENTATION = f"{MODULE}/presentation"
PRESENTATION_OPTIONS = {"peer_reviews": 1, "rubric": ["clarity"], "reviewers_named": False, "formats": ["link"]}


class Inbox:
    """What the SMTP server received: one parsed message per recipient, in order."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's hook name)
        """Keep the message once per envelope recipient, as a mail store would deliver it."""
        for rcpt in envelope.rcpt_tos:
            message = message_from_bytes(envelope.content, policy=policy.default)
            self.messages.append((rcpt.lower(), message))
        return "250 Message accepted for delivery"

    def to(self, email):
        """Return the messages delivered to one address."""
        return [m for rcpt, m in self.messages if rcpt == email]

    def subjects(self, email):
        """Return the subjects delivered to one address."""
        return [str(m["Subject"]).strip() for m in self.to(email)]


class Smtp:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that the test can take down and bring back on its port."""

    def __init__(self):
        self.port = free_port()
        self.inbox = Inbox()
        self.controller = None

    def start(self):
        """Start listening (again) on the same port, keeping what was received."""
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        """Stop listening: connections are refused until ``start``."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp():
    """A running SMTP server; stopped after the test."""
    server = Smtp().start()
    yield server
    server.stop()


@pytest.fixture
def site_dir(tmp_path):
    """The server tests' catalog with a presentation and an author on sales/discovery-calls."""
    catalog = make_catalog()
    module = catalog["programs"][0]["modules"][0]
    module["authors"] = [AUTHOR]
    module["activities"].append({"id": PRESENTATION, "key": "presentation", "kind": "presentation", "order": 3,
                                 "prompt": "Present your pitch.", "options": PRESENTATION_OPTIONS})
    site = tmp_path / "site"
    write_catalog(site, catalog)
    return site


@pytest.fixture
def app_config(tmp_path, site_dir, smtp, database_url):
    """The server tests' configuration, mailing through the test's SMTP server."""
    return {
        "TESTING": True, "DATABASE_URL": database_url, **(POSTGRES_SECRET if database_url else {}), "SITE_DIR": str(site_dir), "RATELIMIT_SIGNIN": "1000/minute",
        "RATELIMIT_WRITES": "1000/minute", "CATALOG_CHECK_SECONDS": 0,
        "BASE_URL": "https://learn.example.com/", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp.port,
        "SMTP_STARTTLS": False, "SMTP_FROM": "roundtable@example.com",
        "NOTIFY_RETRY_SECONDS": 60, "NOTIFY_MAX_ATTEMPTS": 3,
    }


@pytest.fixture
def worker(app):
    """The outbox worker of the test app (call ``worker.run_once(at=...)``)."""
    return Worker(app, name="test-worker")


def email(role):
    """Return the e-mail address of a role in PEOPLE."""
    return PEOPLE[role][0]

