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
# table -> (events that change what the dashboard shows, how to find the cohort).
# Comments are not listed: every comment write appends an event with its cohort.
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
-- learners' own activity: the "completed" statements the server writes when it recomputes are left out
CREATE INDEX events_cohort_activity ON events(cohort_id, user_id, timestamp)
    WHERE verb NOT LIKE '%/verbs/completed"%';
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
    INSERT INTO module_revisions SELECT NEW.id, NEW.content_hash, strftime('%Y-%m-%dT%H:%M:%fZ')
    WHERE NOT EXISTS (SELECT 1 FROM module_revisions r
                      WHERE r.module_id = NEW.id AND r.content_hash = NEW.content_hash);
END;
CREATE TRIGGER module_revisions_update AFTER UPDATE OF content_hash ON modules BEGIN
    INSERT INTO module_revisions SELECT NEW.id, NEW.content_hash, strftime('%Y-%m-%dT%H:%M:%fZ')
    WHERE NOT EXISTS (SELECT 1 FROM module_revisions r
                      WHERE r.module_id = NEW.id AND r.content_hash = NEW.content_hash);
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


# Community (issue 6). Forum topics, blog posts and ask-the-author questions
# each own a thread of the one comment engine, so `threads` is rebuilt with
# activity_id and cohort_id nullable (SQLite cannot drop NOT NULL in place).
# legacy_alter_table: the rename must not re-check 0004's triggers on comments,
# which name `threads` while it is briefly missing.
COMMUNITY_SCHEMA = """
CREATE TABLE threads_new (
    id INTEGER PRIMARY KEY,
    activity_id TEXT REFERENCES activities(id),
    cohort_id TEXT REFERENCES cohorts(id),
    kind TEXT NOT NULL,
    created TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 0,
    UNIQUE (activity_id, cohort_id)
);
INSERT INTO threads_new (id, activity_id, cohort_id, kind, created, version)
    SELECT id, activity_id, cohort_id, kind, created, version FROM threads;
DROP TABLE threads;
PRAGMA legacy_alter_table = ON;
ALTER TABLE threads_new RENAME TO threads;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX threads_cohort ON threads(cohort_id);
ALTER TABLE modules ADD COLUMN authors TEXT NOT NULL DEFAULT '[]';
CREATE TABLE forum_topics (
    id INTEGER PRIMARY KEY,
    thread_id INTEGER NOT NULL UNIQUE REFERENCES threads(id),
    program_id TEXT REFERENCES programs(id),
    author_id INTEGER NOT NULL REFERENCES users(id),
    title TEXT NOT NULL,
    body_md TEXT NOT NULL,
    body_html TEXT NOT NULL,
    created TEXT NOT NULL,
    edited TEXT,
    deleted TEXT,
    last_activity TEXT NOT NULL,
    pinned INTEGER NOT NULL DEFAULT 0,
    locked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX forum_topics_board ON forum_topics(program_id, pinned, last_activity);
CREATE TABLE forum_subscriptions (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    topic_id INTEGER REFERENCES forum_topics(id),
    board TEXT,
    created TEXT NOT NULL,
    CHECK ((topic_id IS NULL) != (board IS NULL))
);
CREATE UNIQUE INDEX forum_subscriptions_topic ON forum_subscriptions(user_id, topic_id)
    WHERE topic_id IS NOT NULL;
CREATE UNIQUE INDEX forum_subscriptions_board ON forum_subscriptions(user_id, board)
    WHERE board IS NOT NULL;
CREATE TABLE thread_reads (
    user_id INTEGER NOT NULL REFERENCES users(id),
    thread_id INTEGER NOT NULL REFERENCES threads(id),
    last_comment_id INTEGER NOT NULL DEFAULT 0,
    at TEXT NOT NULL,
    PRIMARY KEY (user_id, thread_id)
);
CREATE TABLE blog_posts (
    id INTEGER PRIMARY KEY,
    thread_id INTEGER NOT NULL UNIQUE REFERENCES threads(id),
    author_id INTEGER NOT NULL REFERENCES users(id),
    title TEXT NOT NULL,
    body_md TEXT NOT NULL,
    body_html TEXT NOT NULL,
    visibility TEXT NOT NULL CHECK (visibility IN ('cohort', 'program', 'everyone')),
    cohort_id TEXT REFERENCES cohorts(id),
    program_id TEXT REFERENCES programs(id),
    module_id TEXT REFERENCES modules(id),
    reflection_id INTEGER UNIQUE REFERENCES reflections(id),
    created TEXT NOT NULL,
    edited TEXT,
    deleted TEXT
);
CREATE INDEX blog_posts_author ON blog_posts(author_id, created);
CREATE INDEX blog_posts_program ON blog_posts(program_id, created);
CREATE TABLE wiki_pages (
    id INTEGER PRIMARY KEY,
    program_id TEXT NOT NULL REFERENCES programs(id),
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    body_md TEXT NOT NULL,
    body_html TEXT NOT NULL,
    revision INTEGER NOT NULL,
    protected INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    UNIQUE (program_id, slug)
);
CREATE TABLE wiki_revisions (
    id INTEGER PRIMARY KEY,
    page_id INTEGER NOT NULL REFERENCES wiki_pages(id),
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    body_md TEXT NOT NULL,
    author_id INTEGER NOT NULL REFERENCES users(id),
    created TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    UNIQUE (page_id, number)
);
CREATE TABLE author_questions (
    id INTEGER PRIMARY KEY,
    thread_id INTEGER NOT NULL UNIQUE REFERENCES threads(id),
    module_id TEXT NOT NULL REFERENCES modules(id),
    learner_id INTEGER NOT NULL REFERENCES users(id),
    cohort_id TEXT REFERENCES cohorts(id),
    title TEXT NOT NULL,
    created TEXT NOT NULL,
    published TEXT
);
CREATE INDEX author_questions_module ON author_questions(module_id, learner_id);

-- A reflection (issue 4's table) is also a blog post of its author, visible
-- to the cohort and linked to its module: kept in step by triggers, so the
-- reflection endpoint needs no change and both writes share one transaction.
CREATE TRIGGER reflections_blog_insert AFTER INSERT ON reflections BEGIN
    INSERT INTO threads (kind, created) VALUES ('blog', NEW.created);
    INSERT INTO blog_posts (thread_id, author_id, title, body_md, body_html, visibility,
                            cohort_id, program_id, module_id, reflection_id, created)
    SELECT last_insert_rowid(), NEW.user_id, 'Reflection: ' || m.title, NEW.body_md, NEW.body_html,
           'cohort', NEW.cohort_id, a.program_id, m.id, NEW.id, NEW.created
    FROM activities a JOIN modules m ON m.id = a.module_id WHERE a.id = NEW.activity_id;
END;
CREATE TRIGGER reflections_blog_update AFTER UPDATE OF body_md ON reflections BEGIN
    UPDATE blog_posts SET body_md = NEW.body_md, body_html = NEW.body_html, edited = NEW.edited
    WHERE reflection_id = NEW.id;
END;

-- Full-text search over forums, blogs and wiki, kept by triggers in the
-- transaction of each write; results are filtered by visibility on the way out.
CREATE VIRTUAL TABLE search_index USING fts5(
    title, body, kind UNINDEXED, ref UNINDEXED, tokenize = 'porter unicode61');
CREATE TRIGGER forum_topics_fts_insert AFTER INSERT ON forum_topics BEGIN
    INSERT INTO search_index (title, body, kind, ref) VALUES (NEW.title, NEW.body_md, 'topic', NEW.id);
END;
CREATE TRIGGER forum_topics_fts_update AFTER UPDATE OF title, body_md, deleted ON forum_topics BEGIN
    DELETE FROM search_index WHERE kind = 'topic' AND ref = OLD.id;
    INSERT INTO search_index (title, body, kind, ref)
    SELECT NEW.title, NEW.body_md, 'topic', NEW.id WHERE NEW.deleted IS NULL;
END;
CREATE TRIGGER blog_posts_fts_insert AFTER INSERT ON blog_posts BEGIN
    INSERT INTO search_index (title, body, kind, ref) VALUES (NEW.title, NEW.body_md, 'post', NEW.id);
END;
CREATE TRIGGER blog_posts_fts_update AFTER UPDATE OF title, body_md, deleted ON blog_posts BEGIN
    DELETE FROM search_index WHERE kind = 'post' AND ref = OLD.id;
    INSERT INTO search_index (title, body, kind, ref)
    SELECT NEW.title, NEW.body_md, 'post', NEW.id WHERE NEW.deleted IS NULL;
END;
CREATE TRIGGER wiki_pages_fts_insert AFTER INSERT ON wiki_pages BEGIN
    INSERT INTO search_index (title, body, kind, ref) VALUES (NEW.title, NEW.body_md, 'wiki', NEW.id);
END;
CREATE TRIGGER wiki_pages_fts_update AFTER UPDATE OF title, body_md ON wiki_pages BEGIN
    UPDATE search_index SET title = NEW.title, body = NEW.body_md WHERE kind = 'wiki' AND ref = NEW.id;
END;
CREATE TRIGGER comments_fts_insert AFTER INSERT ON comments
WHEN (SELECT kind FROM threads WHERE id = NEW.thread_id) IN ('forum', 'blog') BEGIN
    INSERT INTO search_index (title, body, kind, ref) VALUES ('', NEW.body_md, 'comment', NEW.id);
END;
CREATE TRIGGER comments_fts_update AFTER UPDATE OF body_md ON comments
WHEN (SELECT kind FROM threads WHERE id = NEW.thread_id) IN ('forum', 'blog') BEGIN
    DELETE FROM search_index WHERE kind = 'comment' AND ref = OLD.id;
    INSERT INTO search_index (title, body, kind, ref)
    SELECT '', NEW.body_md, 'comment', NEW.id WHERE NEW.deleted IS NULL AND NEW.body_md != '';
END;
CREATE TRIGGER comments_forum_activity AFTER INSERT ON comments BEGIN
    UPDATE forum_topics SET last_activity = NEW.created WHERE thread_id = NEW.thread_id;
END;
"""



def _backfill_reflections(conn):
    """Give reflections written before this migration their blog post (as the trigger does)."""
    for (rid,) in conn.execute("SELECT id FROM reflections ORDER BY id").fetchall():
        # re-saving the row through the insert trigger's SQL, one reflection at a time
        conn.execute("INSERT INTO threads (kind, created) SELECT 'blog', created FROM reflections WHERE id = ?",
                     [rid])
        conn.execute("""INSERT INTO blog_posts (thread_id, author_id, title, body_md, body_html, visibility,
                            cohort_id, program_id, module_id, reflection_id, created)
            SELECT last_insert_rowid(), r.user_id, 'Reflection: ' || m.title, r.body_md, r.body_html,
                   'cohort', r.cohort_id, a.program_id, m.id, r.id, r.created
            FROM reflections r JOIN activities a ON a.id = r.activity_id JOIN modules m ON m.id = a.module_id
            WHERE r.id = ?""", [rid])


@migrations(name="0005_community", transactional=False)
def community(db):
    """Forums, blogs, wiki, ask-the-author and search; threads may belong to no activity."""
    # foreign_keys can only be switched outside a transaction; the rebuild of
    # `threads` drops the table the comments point at until the rename.
    db.conn.execute("PRAGMA foreign_keys = OFF")
    try:
        db.conn.executescript("BEGIN IMMEDIATE;" + COMMUNITY_SCHEMA)
        _backfill_reflections(db.conn)
        db.conn.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    finally:
        db.conn.execute("PRAGMA foreign_keys = ON")
    problems = list(db.query("PRAGMA foreign_key_check"))
    assert not problems, f"0005_community left dangling references: {problems}"


# Notifications (issue 7): what each person was told (the in-site list), the
# mail queue the worker drains, and each person's choice per kind.
NOTIFICATIONS_SCHEMA = """
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    text TEXT NOT NULL,
    url TEXT NOT NULL DEFAULT '',
    actor_id INTEGER REFERENCES users(id),
    dedupe_key TEXT,
    delivery TEXT NOT NULL CHECK (delivery IN ('immediate', 'digest', 'never')),
    digest_outbox_id INTEGER,
    created TEXT NOT NULL,
    read_at TEXT
);
CREATE UNIQUE INDEX notifications_dedupe ON notifications(user_id, dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_unread ON notifications(user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_digest ON notifications(user_id) WHERE delivery = 'digest' AND digest_outbox_id IS NULL;
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    user_id INTEGER REFERENCES users(id),
    to_addr TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    text TEXT NOT NULL,
    url TEXT NOT NULL DEFAULT '',
    base_url TEXT NOT NULL DEFAULT '',
    items TEXT,
    dedupe_key TEXT UNIQUE,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt TEXT NOT NULL,
    claimed_by TEXT,
    claimed_at TEXT,
    last_error TEXT,
    transport TEXT,
    created TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt);
CREATE TABLE notification_preferences (
    user_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    delivery TEXT NOT NULL CHECK (delivery IN ('immediate', 'digest', 'never')),
    updated TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);
"""


@migrations(name="0006_notifications")
def notifications(db):
    """Notifications (the in-site list), the mail outbox and the preferences per person and kind."""
    db.executescript(NOTIFICATIONS_SCHEMA)


@migrations(name="0007_cohort_due_dates")
def cohort_due_dates(db):
    """Each cohort's due dates from the catalog (module id -> ISO date, JSON); NULL for an older catalog."""
    db.executescript("""
ALTER TABLE cohorts ADD COLUMN due_dates TEXT;
-- a cohort's schedule is part of what the dashboard shows: a changed date makes its snapshot stale
CREATE TRIGGER dashboard_cohorts_schedule AFTER UPDATE OF starts, due_dates ON cohorts
WHEN OLD.starts IS NOT NEW.starts OR OLD.due_dates IS NOT NEW.due_dates BEGIN
    INSERT INTO dashboard_versions (cohort_id, version) VALUES (NEW.id, 1)
    ON CONFLICT (cohort_id) DO UPDATE SET version = version + 1;
END;
""")


@migrations(name="0040_sessions")
def sessions(db):
    """Signed-in sessions held on the server, so that signing out ends a session everywhere it was copied."""
    db.executescript("""
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,          -- sha256 of the id the cookie carries; the id itself is never stored
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,  -- a person removed takes their sessions
    created TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    expires TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
""")


@migrations(name="0041_rate_counters")
def rate_counters(db):
    """Rate-limit counters every server process sees (store/rate_limits.py), instead of one per process."""
    db.executescript("""
CREATE TABLE rate_counters (
    key TEXT PRIMARY KEY,   -- e.g. LIMITER/writes/user:12/30/1/minute
    count INTEGER NOT NULL,
    expires REAL NOT NULL   -- POSIX seconds: the window's end
);
""")


@migrations(name="0042_program_visibility")
def program_visibility(db):
    """Who may open a program's pages: public, signed-in or enrolled (programs.yml; the server enforces it)."""
    db.execute("ALTER TABLE programs ADD COLUMN visibility TEXT NOT NULL DEFAULT 'public'")

# --------------------------------------------------------------------------- slice B (0020-0029): activities


@migrations(name="0020_activities_comments_by_author")
def comments_by_author(db):
    """Find a learner's live posts in a thread by index (completion's "posted" record, issue 13).

    Partial on ``deleted IS NULL``: completion counts live posts only, and the
    query's condition matches the index's.
    """
    db.executescript("""
CREATE INDEX comments_author_thread ON comments(author_id, thread_id) WHERE deleted IS NULL;
""")


# --------------------------------------------------------------------------- issue 12 (0050-0059): quizzes


@migrations(name="0050_quizzes")
def quizzes(db):
    """Quiz answer keys (from the build's private site/quiz-keys.json) and learners' attempts.

    An attempt keeps the answers as given and, per question, whether it was right, so the
    dashboard's per-question figures never need the key again.
    """
    db.executescript("""
CREATE TABLE quiz_keys (
    activity_id TEXT PRIMARY KEY REFERENCES activities(id),
    questions TEXT NOT NULL            -- JSON: question id -> {type, correct | answers, feedback, explanation}
);
CREATE TABLE quiz_attempts (
    id INTEGER PRIMARY KEY,
    activity_id TEXT NOT NULL REFERENCES activities(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    cohort_id TEXT NOT NULL REFERENCES cohorts(id),
    number INTEGER NOT NULL,           -- 1 for the first attempt
    answers TEXT NOT NULL,             -- JSON: question id -> option ids or the typed text
    results TEXT NOT NULL,             -- JSON: question id -> true/false
    score INTEGER NOT NULL,            -- percent of questions right, rounded down
    passed INTEGER NOT NULL,
    created TEXT NOT NULL,
    UNIQUE (activity_id, user_id, cohort_id, number)  -- two submits of one attempt: one wins
);
CREATE INDEX quiz_attempts_cohort ON quiz_attempts(cohort_id, activity_id);
""" + _bump("quiz_attempts", "INSERT", _ROW.format(c="NEW")))

# --------------------------------------------------------------------------- issue 10 (0060-0069): the desk


@migrations(name="0060_queue_marks")
def queue_marks(db):
    """What a person set aside in their queue: dismissed (until the item changes) or snoozed (until a time)."""
    db.executescript("""
CREATE TABLE queue_marks (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    item_key TEXT NOT NULL,   -- the queue item's stable key, e.g. plan_waiting:acme-a:12
    action TEXT NOT NULL CHECK (action IN ('dismiss', 'snooze')),
    state TEXT NOT NULL,      -- what the item was when set aside: a dismissed item returns when it changes
    until TEXT,               -- snooze: ISO time it comes back; NULL for dismiss
    created TEXT NOT NULL,
    PRIMARY KEY (user_id, item_key)
);
""")


# --------------------------------------------------------------------------- issue 10: statuses that tell the truth


@migrations(name="0065_membership_joined")
def membership_joined(db):
    """When each person joined their cohort (a late joiner's due dates count from it); cohorts say if they shift.

    Existing memberships are taken to have joined when their cohort started:
    nobody's due dates move. ``late_joiners`` is the cohort's ``programs.yml``
    choice: ``shift`` (default) moves a late joiner's due dates by how late they
    joined, ``fixed`` keeps the cohort's dates for everyone.
    """
    db.executescript("""
ALTER TABLE memberships ADD COLUMN joined TEXT;
UPDATE memberships SET joined = (SELECT c.starts FROM cohorts c WHERE c.id = memberships.cohort_id);
ALTER TABLE cohorts ADD COLUMN late_joiners TEXT NOT NULL DEFAULT 'shift';
-- like starts and due_dates (0007): a changed choice changes the statuses the dashboard shows
CREATE TRIGGER dashboard_cohorts_late_joiners AFTER UPDATE OF late_joiners ON cohorts
WHEN OLD.late_joiners IS NOT NEW.late_joiners BEGIN
    INSERT INTO dashboard_versions (cohort_id, version) VALUES (NEW.id, 1)
    ON CONFLICT (cohort_id) DO UPDATE SET version = version + 1;
END;
""")


@migrations(name="0065_completions_read_by_work")
def completions_read_by_work(db):
    """Recompute every learner's completions: doing a module's work now counts as reading it (issue 10).

    Completions rows are derived (``store/completions.py``); before this rule a
    learner who posted, planned or reflected without pressing "Mark as read"
    had no read row and no module completion, so their records are re-derived
    once here and the statuses people see become true.
    """
    from comments_server.store import completions

    for program in list(db.query("SELECT id FROM programs")):
        modules = completions.program_module_ids(db, program_id=program["id"])
        for cohort_id, learners in completions.program_learners(db, program_id=program["id"]):
            for module_id in modules:
                completions.recompute_many(db, user_ids=learners, cohort_id=cohort_id, module_id=module_id)


# --------------------------------------------------------------------------- issue 14 (0080-0089): performance


@migrations(name="0080_pending_followups")
def pending_followups(db):
    """Follow-ups promised inside an action's write and run after its commit (store/followups.py)."""
    db.executescript("""
CREATE TABLE pending_followups (
    id INTEGER PRIMARY KEY,
    event TEXT NOT NULL,              -- the event's module and class name
    payload TEXT NOT NULL,            -- the event as JSON, to run its follow-ups again
    created TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0
);
""")


@migrations(name="0081_comment_helpful_by_user")
def comment_helpful_by_user(db):
    """A reader's helpful marks found by reader: reading a thread looked at every mark of every comment."""
    db.executescript("CREATE INDEX comment_helpful_user ON comment_helpful(user_id, comment_id);")


@migrations(name="0082_users_by_manager")
def users_by_manager(db):
    """A person's reports found by manager: every signed-in request read all memberships to find them."""
    db.executescript("CREATE INDEX users_manager ON users(manager_id);")


@migrations(name="0083_submissions_by_user")
def submissions_by_user(db):
    """A person's plans and presentations found by person: a manager's desk read every submission."""
    db.executescript("CREATE INDEX submissions_user ON submissions(user_id, kind);")
