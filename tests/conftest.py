"""Fixtures for every test folder. Shared helpers live in tests/support/ (importable as `support`):
each folder's conftest imports the ones it uses, so its servers and builds stay its own."""

from __future__ import annotations

import os

import pytest
from support.live import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive Debian's Chromium: `playwright install` is neither needed nor wanted."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"The browser tests need Debian's Chromium at {CHROMIUM}: run `apt-get install chromium` "
                    "(or `make browser`).", pytrace=False)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


# --------------------------------------------------------------------------- engines (issue 15)

# The test modules that run on PostgreSQL as well as SQLite (every test in them, both engines).
# A module not listed runs on SQLite only. Of tests/server, activities, community, notifications and
# dashboard these are not listed, and why (2026-11-30):
# - SQLite by design: server/test_migrations (WAL, BEGIN IMMEDIATE, the lock file, PRAGMAs);
#   server/test_two_servers (two servers on one instance folder, so one SQLite file; its PostgreSQL
#   twin is server/test_multi_server); server/test_secret_key (a key generated into each SQLite
#   instance folder; its last test starts a server on PostgreSQL without a key, refused);
#   server/test_shared_limits (servers sharing nothing but Redis: each its own SQLite file).
#   PostgreSQL by design, each making its own databases: server/test_engines, test_db_copy,
#   test_multi_server.
# - No engine in what they check: server/test_uploads (a file's kind from its bytes), test_safe_next,
#   test_openapi (routes against the document), test_layers, test_docs_contract, test_serve_shape
#   (workers per CPU), test_schemathesis (a `roundtable serve` on the journey scene; test_contracts
#   holds the API to its document on both engines), community/test_generator_mounts.
# - The browser modules (Chromium against `roundtable serve`).
# The statement-counting tests trace either engine through tests/support/statements.py.
POSTGRES_MODULES = {
    "tests/server/test_api_auth",
    "tests/server/test_api_coach_notes",
    "tests/server/test_api_comments",
    "tests/server/test_api_counts",
    "tests/server/test_api_threads",
    "tests/server/test_catalog_sync",
    "tests/server/test_cli",
    "tests/server/test_contracts",
    "tests/server/test_delivery",
    "tests/server/test_error_shape",
    "tests/server/test_export_parity",
    "tests/server/test_headers",
    "tests/server/test_live_server",
    "tests/server/test_mail",
    "tests/server/test_permissions",
    "tests/server/test_private_programs",
    "tests/server/test_rate_limits",
    "tests/server/test_render",
    "tests/server/test_seed_demo",
    "tests/server/test_sessions",
    "tests/server/test_site",
    "tests/server/test_write_budget",
    "tests/activities/test_activity_rules",
    "tests/activities/test_allocation",
    "tests/activities/test_completion",
    "tests/activities/test_draft_privacy",
    "tests/activities/test_person_data",
    "tests/activities/test_plans_api",
    "tests/activities/test_presentations_api",
    "tests/activities/test_progress_api",
    "tests/activities/test_quiz_api",
    "tests/activities/test_reviews_commands",
    "tests/activities/test_upload_safety",
    "tests/activities/test_upload_storage",
    "tests/activities/test_xapi",
    "tests/community/test_access_rules",
    "tests/community/test_ask_author_api",
    "tests/community/test_blogs_api",
    "tests/community/test_forums_api",
    "tests/community/test_permissions_community",
    "tests/community/test_search_api",
    "tests/community/test_wiki_api",
    "tests/community/test_wiki_rules",
    "tests/notifications/test_after_commit",
    "tests/notifications/test_delivery",
    "tests/notifications/test_events",
    "tests/notifications/test_mail_throttle",
    "tests/notifications/test_notification_contracts",
    "tests/notifications/test_outbox_claims",
    "tests/notifications/test_preferences",
    "tests/notifications/test_signin_mail",
    "tests/notifications/test_worker",
    "tests/dashboard/test_desk",
    "tests/dashboard/test_exports",
    "tests/dashboard/test_figures",
    "tests/dashboard/test_lrs",
    "tests/dashboard/test_next_day",
    "tests/dashboard/test_permissions",
    "tests/dashboard/test_reads",
}


def pytest_addoption(parser):
    parser.addoption("--engines", default="sqlite,postgresql",
                     help="database engines to run the POSTGRES_MODULES on (comma-separated): sqlite, postgresql")


def pytest_generate_tests(metafunc):
    """Run each test of a POSTGRES_MODULES module once per engine; everything else on SQLite only."""
    if "database_url" not in metafunc.fixturenames:
        return
    module = os.path.relpath(metafunc.module.__file__, metafunc.config.rootpath).removesuffix(".py")
    engines = metafunc.config.getoption("--engines").split(",")
    if module in POSTGRES_MODULES:
        metafunc.parametrize("database_url", engines, indirect=True)


@pytest.fixture(scope="session")
def postgres_cluster():
    """A throwaway PostgreSQL 15 cluster on 127.0.0.1 with a migrated template database."""
    from support.live import free_port
    from support.postgres import Cluster

    from comments_server.store import schema
    from comments_server.store.db import connect

    def migrate(url):
        db = connect(url)
        schema.apply(db)
        db.close()

    cluster = Cluster(free_port()).start()
    try:
        yield cluster.template(migrate)
    finally:
        from comments_server.store import postgres

        postgres.close_pools()
        cluster.stop()


@pytest.fixture
def database_url(request):
    """``DATABASE_URL`` for the app under test: "" (the SQLite file) or a fresh PostgreSQL database."""
    if getattr(request, "param", "sqlite") != "postgresql":
        yield ""
        return
    from comments_server.store import postgres

    cluster = request.getfixturevalue("postgres_cluster")
    url = cluster.new_database()
    yield url
    postgres.close_pool(url)  # each test's pool would otherwise keep its connections to the end
    cluster.drop(url)
