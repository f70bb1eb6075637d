"""The schema, as append-only sqlite-utils migrations. Never edit one that has been merged."""

from __future__ import annotations

from sqlite_utils import Migrations

migrations = Migrations("roundtable")


@migrations(name="0000_wal", transactional=False)
def wal(db):
    """Switch the file to WAL, which must happen outside a transaction."""
    db.enable_wal()


INITIAL_SCHEMA = """
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL DEFAULT '',
    admin INTEGER NOT NULL DEFAULT 0,
    manager_id INTEGER REFERENCES users(id),
    created TEXT NOT NULL
);
CREATE TABLE programs (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    audience TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    ord INTEGER NOT NULL DEFAULT 0,
    retired INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE cohorts (
    id TEXT PRIMARY KEY,
    program_id TEXT NOT NULL REFERENCES programs(id),
    title TEXT NOT NULL DEFAULT '',
    starts TEXT,
    pace TEXT,
    retired INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE memberships (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    cohort_id TEXT NOT NULL REFERENCES cohorts(id),
    role TEXT NOT NULL CHECK (role IN ('learner', 'coach', 'manager', 'observer')),
    UNIQUE (user_id, cohort_id)
);
CREATE INDEX memberships_cohort ON memberships(cohort_id, role);
CREATE TABLE modules (
    id TEXT PRIMARY KEY,
    program_id TEXT NOT NULL REFERENCES programs(id),
    slug TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    ord INTEGER NOT NULL DEFAULT 0,
    url TEXT NOT NULL DEFAULT '',
    src_path TEXT NOT NULL DEFAULT '',
    due_days INTEGER,
    summary TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL DEFAULT '',
    completion TEXT NOT NULL DEFAULT '"all"',
    retired INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE activities (
    id TEXT PRIMARY KEY,
    module_id TEXT NOT NULL REFERENCES modules(id),
    program_id TEXT NOT NULL REFERENCES programs(id),
    key TEXT NOT NULL,
    kind TEXT NOT NULL,
    ord INTEGER NOT NULL DEFAULT 0,
    prompt TEXT NOT NULL DEFAULT '',
    options TEXT NOT NULL DEFAULT '{}',
    retired INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX activities_module ON activities(module_id);
CREATE TABLE login_tokens (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    created TEXT NOT NULL,
    expires TEXT NOT NULL,
    used_at TEXT,
    next TEXT NOT NULL DEFAULT ''
);
CREATE TABLE threads (
    id INTEGER PRIMARY KEY,
    activity_id TEXT NOT NULL REFERENCES activities(id),
    cohort_id TEXT NOT NULL REFERENCES cohorts(id),
    kind TEXT NOT NULL,
    created TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 0,
    UNIQUE (activity_id, cohort_id)
);
CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    thread_id INTEGER NOT NULL REFERENCES threads(id),
    parent_id INTEGER REFERENCES comments(id),
    author_id INTEGER NOT NULL REFERENCES users(id),
    body_md TEXT NOT NULL,
    body_html TEXT NOT NULL,
    created TEXT NOT NULL,
    edited TEXT,
    deleted TEXT,
    hidden INTEGER NOT NULL DEFAULT 0,
    is_question INTEGER NOT NULL DEFAULT 0,
    question_answered_by INTEGER REFERENCES comments(id),
    revision TEXT NOT NULL DEFAULT ''
);
CREATE INDEX comments_thread ON comments(thread_id, id);
CREATE INDEX comments_parent ON comments(parent_id);
CREATE TABLE comment_helpful (
    comment_id INTEGER NOT NULL REFERENCES comments(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    created TEXT NOT NULL,
    PRIMARY KEY (comment_id, user_id)
);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    timestamp TEXT NOT NULL,
    user_id INTEGER REFERENCES users(id),
    cohort_id TEXT,
    actor TEXT NOT NULL,
    verb TEXT NOT NULL,
    object TEXT NOT NULL,
    result TEXT,
    context TEXT
);
CREATE INDEX events_user ON events(user_id, timestamp);
CREATE INDEX events_cohort ON events(cohort_id, timestamp);
"""


@migrations(name="0001_initial")
def initial(db):
    """Create people, the catalog copy, sign-in tokens, threads, comments and events."""
    db.executescript(INITIAL_SCHEMA)


STRUCTURED_ACTIVITIES_SCHEMA = """
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,
    activity_id TEXT NOT NULL REFERENCES activities(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    cohort_id TEXT NOT NULL REFERENCES cohorts(id),
    kind TEXT NOT NULL CHECK (kind IN ('plan', 'presentation')),
    stage TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    body_md TEXT NOT NULL DEFAULT '',
    body_html TEXT NOT NULL DEFAULT '',
    debrief_md TEXT NOT NULL DEFAULT '',
    debrief_html TEXT NOT NULL DEFAULT '',
    encounter_at TEXT,
    attachment_path TEXT,
    attachment_name TEXT,
    attachment_type TEXT,
    attachment_size INTEGER,
    link TEXT,
    reviews_target INTEGER NOT NULL DEFAULT 0,
    escalation_stage INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    submitted_at TEXT,
    debrief_at TEXT,
    UNIQUE (activity_id, user_id, cohort_id)
);
CREATE INDEX submissions_cohort ON submissions(cohort_id, activity_id, stage);
CREATE TABLE submission_steps (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    action TEXT NOT NULL,
    stage TEXT NOT NULL,
    actor_id INTEGER NOT NULL REFERENCES users(id),
    at TEXT NOT NULL
);
CREATE INDEX submission_steps_submission ON submission_steps(submission_id, id);
CREATE TABLE feedback (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    giver_id INTEGER NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('feedback', 'comment', 'revision_request')),
    rating INTEGER,
    scale INTEGER,
    comment_md TEXT NOT NULL DEFAULT '',
    comment_html TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL
);
CREATE INDEX feedback_submission ON feedback(submission_id, id);
CREATE TABLE review_assignments (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    reviewer_id INTEGER NOT NULL REFERENCES users(id),
    role TEXT NOT NULL CHECK (role IN ('peer', 'coach')),
    assigned_at TEXT NOT NULL,
    offered_reason TEXT NOT NULL DEFAULT 'allocated',
    completed_at TEXT,
    cancelled_at TEXT
);
CREATE UNIQUE INDEX review_assignments_live
    ON review_assignments(submission_id, reviewer_id) WHERE cancelled_at IS NULL;
CREATE INDEX review_assignments_reviewer ON review_assignments(reviewer_id, cancelled_at);
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    reviewer_id INTEGER NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    scores TEXT NOT NULL DEFAULT '{}',
    comment_md TEXT NOT NULL DEFAULT '',
    comment_html TEXT NOT NULL DEFAULT '',
    helpfulness INTEGER,
    created TEXT NOT NULL,
    UNIQUE (submission_id, reviewer_id)
);
CREATE TABLE reads (
    user_id INTEGER NOT NULL REFERENCES users(id),
    activity_id TEXT NOT NULL REFERENCES activities(id),
    cohort_id TEXT NOT NULL REFERENCES cohorts(id),
    at TEXT NOT NULL,
    PRIMARY KEY (user_id, activity_id, cohort_id)
);
CREATE TABLE reflections (
    id INTEGER PRIMARY KEY,
    activity_id TEXT NOT NULL REFERENCES activities(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    cohort_id TEXT NOT NULL REFERENCES cohorts(id),
    body_md TEXT NOT NULL,
    body_html TEXT NOT NULL,
    created TEXT NOT NULL,
    edited TEXT,
    UNIQUE (activity_id, user_id, cohort_id)
);
CREATE TABLE completions (
    user_id INTEGER NOT NULL REFERENCES users(id),
    cohort_id TEXT NOT NULL REFERENCES cohorts(id),
    activity_id TEXT NOT NULL,
    scope TEXT NOT NULL DEFAULT 'activity' CHECK (scope IN ('activity', 'module')),
    at TEXT NOT NULL,
    PRIMARY KEY (user_id, cohort_id, activity_id)
);
"""


@migrations(name="0002_structured_activities")
def structured_activities(db):
    """Plans, presentations, reviews and their allocation, reads, reflections, completions."""
    db.executescript(STRUCTURED_ACTIVITIES_SCHEMA)


@migrations(name="0003_comment_counters")
def comment_counters(db):
    """Keep live-reply and helpful counts on each comment, so a thread page is one cheap scan."""
    db.executescript("""
        ALTER TABLE comments ADD COLUMN reply_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE comments ADD COLUMN helpful_count INTEGER NOT NULL DEFAULT 0;
        UPDATE comments SET
            reply_count = (SELECT COUNT(*) FROM comments r
                           WHERE r.parent_id = comments.id AND r.deleted IS NULL),
            helpful_count = (SELECT COUNT(*) FROM comment_helpful h
                             WHERE h.comment_id = comments.id);
    """)


def _bump(table, when, cohort_sql):
    """A trigger that moves the dashboard version of the cohort(s) ``cohort_sql`` selects."""
    name = f"dashboard_{table}_{when.split()[0].lower()}"
    return f"""
CREATE TRIGGER {name} AFTER {when} ON {table} BEGIN
    INSERT INTO dashboard_versions (cohort_id, version) {cohort_sql}
    ON CONFLICT (cohort_id) DO UPDATE SET version = version + 1;
END;"""


_ROW = "SELECT {c}.cohort_id, 1 WHERE {c}.cohort_id IS NOT NULL"
_VIA_SUBMISSION = "SELECT s.cohort_id, 1 FROM submissions s WHERE s.id = {c}.submission_id"
_PROGRAM = "SELECT id, 1 FROM cohorts WHERE program_id = {c}.program_id"
# table -> (events that change what the dashboard shows, how to find the cohort)
_DASHBOARD_SOURCES = {
    "events": (("INSERT",), _ROW),
    "submissions": (("INSERT", "UPDATE"), _ROW),
    "reads": (("INSERT", "DELETE"), _ROW),
    "reflections": (("INSERT",), _ROW),
    "completions": (("INSERT", "DELETE"), _ROW),
    "memberships": (("INSERT", "UPDATE", "DELETE"), _ROW),
    "review_assignments": (("INSERT", "UPDATE"), _VIA_SUBMISSION),
    "reviews": (("INSERT", "UPDATE"), _VIA_SUBMISSION),
    "feedback": (("INSERT",), _VIA_SUBMISSION),
    "comments": (("INSERT", "UPDATE"), "SELECT t.cohort_id, 1 FROM threads t WHERE t.id = {c}.thread_id"),
    "users": (("UPDATE OF name, manager_id",),
              "SELECT m.cohort_id, 1 FROM memberships m WHERE m.user_id = {c}.id"),
    "modules": (("INSERT", "UPDATE"), _PROGRAM),
    "activities": (("INSERT", "UPDATE"), _PROGRAM),
}

DASHBOARD_SCHEMA = """
CREATE INDEX reads_cohort ON reads(cohort_id, user_id);
CREATE INDEX reflections_cohort ON reflections(cohort_id, user_id);
CREATE INDEX completions_cohort ON completions(cohort_id, scope);
CREATE INDEX threads_cohort ON threads(cohort_id);
CREATE INDEX events_cohort_user ON events(cohort_id, user_id, timestamp);
CREATE INDEX review_assignments_submission ON review_assignments(submission_id);
CREATE TABLE module_revisions (
    module_id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (module_id, content_hash)
);
INSERT INTO module_revisions (module_id, content_hash, seen_at)
    SELECT id, content_hash, '' FROM modules;
CREATE TRIGGER module_revisions_insert AFTER INSERT ON modules BEGIN
    INSERT OR IGNORE INTO module_revisions VALUES (NEW.id, NEW.content_hash, strftime('%Y-%m-%dT%H:%M:%fZ'));
END;
CREATE TRIGGER module_revisions_update AFTER UPDATE OF content_hash ON modules BEGIN
    INSERT OR IGNORE INTO module_revisions VALUES (NEW.id, NEW.content_hash, strftime('%Y-%m-%dT%H:%M:%fZ'));
END;
CREATE TABLE dashboard_versions (
    cohort_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE dashboard_snapshots (
    cohort_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    day TEXT NOT NULL,
    computed TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE TABLE lrs_cursor (
    name TEXT PRIMARY KEY,
    last_event_id INTEGER NOT NULL DEFAULT 0,
    sent INTEGER NOT NULL DEFAULT 0,
    updated TEXT,
    last_error TEXT
);
"""


@migrations(name="0004_dashboard")
def dashboard(db):
    """Dashboard indexes, module revision history, per-cohort snapshot cache + its versions, LRS cursor.

    Triggers move a cohort's version whenever a record the dashboard reads
    changes, so a cached snapshot is used only while it is exact.
    """
    triggers = [_bump(table, when, sql.format(c="OLD" if when == "DELETE" else "NEW"))
                for table, (whens, sql) in _DASHBOARD_SOURCES.items() for when in whens]
    db.executescript(DASHBOARD_SCHEMA + "\n".join(triggers))
