"""People for tests that run the app in-process: enrolling them, and a test client already signed in."""

from __future__ import annotations

from comments_server.domain import clock
from comments_server.store import users
from comments_server.web.database import get_db


def enroll(db, people):
    """Create users (managers first), memberships and reporting lines.

    people: (email, name, cohort or None, role, manager email or None); emails starting "root" are admins.
    """
    for email, name, cohort, role, manager in people:
        boss = users.get_user(db, email=manager) if manager else None
        user = users.upsert_user(db, email=email, name=name, manager_id=boss["id"] if boss else None,
                                 admin=email.startswith("root"))
        if cohort:  # in the cohort from its start: nobody is a late joiner unless a test says so
            users.set_membership(db, user_id=user["id"], cohort_id=cohort, role=role, joined="2000-01-01")
    db.conn.commit()


class SignedInClient:
    """A Flask test client signed in as one person (session cookie), whose CSRF token is "token"."""

    def __init__(self, app, email):
        self.app = app
        self.client = app.test_client()
        with app.app_context():
            self.user = users.get_user(get_db(), email=email)
        # the server session begins on the app's clock, as a sign-in in a request would
        with clock.use(app.extensions["clock"]), self.client.session_transaction() as sess:
            sess["uid"] = self.user["id"]
            sess["csrf"] = "token"
        self.id = self.user["id"]

    def get(self, url, **kw):
        """GET; return the response."""
        return self.client.get(url, **kw)
