"""Every setting of the server, declared once: name, default, type and what it is for.

The app factory loads ``defaults()`` first; ``instance/roundtable.cfg`` and
``ROUNDTABLE_<NAME>`` environment variables override them. The rest of the
code reads ``app.config[NAME]`` and never repeats a default. The README's
configuration table and docs/operations.md are checked against this list by
tests/server/test_docs_contract.py.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from comments_server.domain.figures import DEFAULTS as FIGURE_DEFAULTS


@dataclass(frozen=True)
class Setting:
    """One configuration value: ``ROUNDTABLE_<name>`` in the environment."""

    name: str
    default: Any
    type: type
    help: str


SETTINGS = [
    # Where things are
    Setting("DATABASE", None, str, "SQLite file; default instance/roundtable.db"),
    Setting("DATABASE_URL", "", str,
            "postgresql://user:password@host/name runs on PostgreSQL; empty or sqlite:///PATH: the SQLite file"),
    Setting("SITE_DIR", "site", str, "the built site (roundtable build) served at /"),
    Setting("BASE_URL", "", str, "the public URL of the site, used in e-mailed links"),
    Setting("SECRET_KEY", None, str,
            "signs sessions, equal on every server; generated into instance/secret_key when unset (SQLite only)"),
    Setting("SECRET_KEY_FILE", "", str, "a file holding the secret key (a mounted secret), read when SECRET_KEY is unset"),
    Setting("PROXY_FIX", 0, int, "number of proxies in front (nginx) whose X-Forwarded-* headers to trust"),
    Setting("CLOCK", "", object,
            "start the server's clock at this ISO moment, e.g. 2027-02-01T09:00:00Z (demos, tests); empty: real time"),
    Setting("CATALOG_CHECK_SECONDS", 3, float, "how often to look for a rebuilt site/catalog.json"),
    # Sign-in and sessions
    Setting("LOGIN_LINK_MINUTES", 30, int, "how long an e-mailed sign-in link works"),
    Setting("ADMIN_LINK_DAYS", 7, int, "how long a link printed by `roundtable login-link` works"),
    Setting("SESSION_COOKIE_NAME", "roundtable_session", str, "the session cookie's name"),
    Setting("SESSION_COOKIE_HTTPONLY", True, bool, "hide the session cookie from scripts"),
    Setting("SESSION_COOKIE_SAMESITE", "Lax", str, "the session cookie's SameSite attribute"),
    Setting("SESSION_COOKIE_SECURE", False, bool,
            "force Secure cookies (they are Secure automatically over https)"),
    Setting("PERMANENT_SESSION_LIFETIME", 60 * 60 * 24 * 30, int, "seconds a session lasts after sign-in"),
    Setting("SESSION_IDLE_DAYS", 14, float, "a session unused for this many days ends by itself"),
    Setting("SESSION_REFRESH_EACH_REQUEST", False, bool,
            "re-sign the session cookie on every request (costs time on every read)"),
    # Input limits
    Setting("MAX_CONTENT_LENGTH", 256 * 1024, int, "largest JSON request body in bytes"),
    Setting("MAX_COMMENT_CHARS", 20000, int, "longest comment, post or answer in characters"),
    Setting("MAX_UPLOAD_MB", 50, float, "largest presentation upload in MB"),
    # Uploaded files (store/files.py)
    Setting("UPLOADS_BACKEND", "local", str,
            "where presentations' files live: local (a folder, see UPLOADS_DIR) or s3 (an S3-compatible bucket)"),
    Setting("UPLOADS_DIR", "", str, "the uploads folder; default instance/uploads (several servers: a folder all mount)"),
    Setting("UPLOADS_S3_BUCKET", "", str, "the bucket of the s3 backend (credentials: AWS_* variables or ~/.aws)"),
    Setting("UPLOADS_S3_ENDPOINT_URL", "", str, "the S3-compatible endpoint (MinIO, Ceph...); empty: Amazon S3"),
    Setting("UPLOADS_S3_PREFIX", "uploads/", str, "key prefix of the files in the bucket"),
    # Rate limits (Flask-Limiter syntax)
    Setting("RATELIMIT_SIGNIN", "60/minute", str,
            "sign-in requests per network address (a whole cohort may sign in from one office)"),
    Setting("RATELIMIT_SIGNIN_EMAIL", "5 per 15 minutes", str, "sign-in links per e-mail address"),
    Setting("RATELIMIT_WRITES", "30/minute", str,
            "changes per signed-in person, one budget across every write endpoint"),
    Setting("RATELIMIT_STORAGE_URI", "", str,
            "where rate-limit counters live: empty for the database (shared by every worker), or redis://host:6379/0 "
            "(shared by every server)"),
    Setting("RATELIMIT_HEADERS_ENABLED", True, bool, "send X-RateLimit-* headers"),
    Setting("RATELIMIT_ENABLED", True, bool, "apply rate limits at all"),
    # Mail
    Setting("SMTP_HOST", "", str, "SMTP server; without one, mail is written to the log"),
    Setting("SMTP_PORT", 587, int, "SMTP port"),
    Setting("SMTP_USER", "", str, "SMTP user name"),
    Setting("SMTP_PASSWORD", "", str, "SMTP password"),
    Setting("SMTP_FROM", "roundtable@localhost", str, "the From address of every mail"),
    Setting("SMTP_STARTTLS", True, bool, "upgrade the SMTP connection with STARTTLS"),
    # Notifications worker
    Setting("NOTIFY_EMBEDDED_WORKER", True, bool, "`roundtable serve` runs one outbox worker beside the app"),
    Setting("NOTIFY_MAX_ATTEMPTS", 8, int, "tries before a mail is kept as failed for an admin"),
    Setting("NOTIFY_RETRY_SECONDS", 60, int, "first retry delay; doubles each attempt"),
    Setting("NOTIFY_RETRY_MAX_SECONDS", 3600, int, "longest retry delay"),
    Setting("NOTIFY_LEASE_SECONDS", 300, int, "how long a worker may hold a mail before another takes it"),
    Setting("NOTIFY_BATCH", 50, int, "mails claimed per round"),
    Setting("NOTIFY_INTERVAL_SECONDS", 5, int, "seconds between worker rounds"),
    Setting("NOTIFY_DIGEST_HOUR", 7, int, "UTC hour from which daily digests go out"),
    Setting("NOTIFY_REMINDER_DAYS", 1, int, "remind reviewers this many days before the due date"),
    # Activities
    Setting("REVIEW_ESCALATION_DAYS", 3, int, "days a presentation waits short of reviews before more peers are asked"),
    # xAPI and the learning record store
    Setting("XAPI_BASE", "", str, "IRI base of activities in xAPI statements; default BASE_URL/xapi"),
    Setting("LRS_ENDPOINT", "", str, "xAPI endpoint that `roundtable lrs-forward` sends statements to"),
    Setting("LRS_USER", "", str, "LRS user (HTTP basic auth)"),
    Setting("LRS_PASSWORD", "", str, "LRS password"),
]

# The dashboard's thresholds: their defaults live with the figures that use them (domain/figures.py).
FIGURE_HELP = {
    "feedback_target_days": "plan feedback slower than this many days is a hint",
    "coach_reply_target_hours": "a coach's first reply slower than this many hours is a hint",
    "inactive_days": "no activity for this many days: the learner needs attention",
    "review_grace_days": "a peer review assigned this many days ago and not given: needs attention",
    "low_score": "a rubric mean at or below this is low (scores run 1..5)",
    "completion_gap": "a module this far below the program's completion rate is a hint",
    "quiet_share": "a roundtable joined by fewer learners than this share is a hint",
    "low_share": "a criterion most presenters score low on, above this share, is a hint",
}
SETTINGS += [Setting(f"DASHBOARD_{key.upper()}", default, type(default), FIGURE_HELP[key])
             for key, default in FIGURE_DEFAULTS.items()]

BY_NAME = {s.name: s for s in SETTINGS}


def defaults():
    """Return the mapping of every setting that has a default, for ``app.config.from_mapping``."""
    return {s.name: s.default for s in SETTINGS if s.default is not None}


def coerce(config):
    """Convert every declared setting in ``config`` to its type; a bad value names the setting and the fix."""
    for setting in SETTINGS:
        value = config.get(setting.name)
        if value is None or isinstance(value, setting.type):
            continue
        try:
            if setting.type is bool and isinstance(value, str):
                value = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}[value.lower()]
            else:
                value = setting.type(value)
        except (KeyError, TypeError, ValueError):
            raise ValueError(
                f"ROUNDTABLE_{setting.name}={value!r} is not a valid {setting.type.__name__}: {setting.help}."
            ) from None
        config[setting.name] = value


def markdown_table() -> str:
    """Return every setting as a Markdown table (docs/operations.md holds this text; a test compares them)."""
    rows = ["| setting | default | meaning |", "| --- | --- | --- |"]
    for s in SETTINGS:
        default = "(none)" if s.default in (None, "") else f"`{s.default}`"
        rows.append(f"| `ROUNDTABLE_{s.name}` | {default} | {s.help} |")
    return "\n".join(rows) + "\n"


def instance_path(explicit: str | None = None) -> str:
    """Return the instance folder: ``explicit``, else ROUNDTABLE_INSTANCE_PATH, else ./instance (absolute)."""
    return os.path.abspath(explicit or os.environ.get("ROUNDTABLE_INSTANCE_PATH") or "instance")


def load(config, *, test_config=None) -> None:
    """Fill a Flask ``Config`` rooted at the instance folder, later wins: the declared defaults,
    ``roundtable.cfg`` there, ``ROUNDTABLE_*`` variables, ``test_config``; then convert every value to its type.
    The server and the commands that run without it (``restore``) read their settings through here."""
    config.from_mapping(defaults())
    config.from_pyfile("roundtable.cfg", silent=True)
    config.from_prefixed_env("ROUNDTABLE")
    if test_config:
        config.from_mapping(test_config)
    coerce(config)
    config.setdefault("DATABASE", os.path.join(config.root_path, "roundtable.db"))
    _database_url(config)


def _database_url(config) -> None:
    """Point ``DATABASE`` (what the store connects to) at ``DATABASE_URL`` when one is set; name a bad one."""
    url = config.get("DATABASE_URL") or ""
    if url.startswith(("postgresql://", "postgres://")):
        config["DATABASE"] = url
    elif url.startswith("sqlite:///"):
        config["DATABASE"] = url[len("sqlite:///"):]  # sqlite:////abs/path keeps its leading /
    elif url:
        raise ValueError(f"DATABASE_URL {url!r} is neither postgresql://... nor sqlite:///PATH; "
                         "set ROUNDTABLE_DATABASE_URL=postgresql://user:password@host/name, or leave it empty "
                         "for the SQLite file in the instance folder.")
    if not url:
        config["DATABASE_URL"] = "sqlite:///" + config["DATABASE"]
