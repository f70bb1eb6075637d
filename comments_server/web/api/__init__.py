"""JSON API blueprints, one per area."""

from __future__ import annotations


def init_app(app):
    """Register every API blueprint."""
    from comments_server.web.api import auth, comments, docs, threads

    for module in (auth, threads, comments, docs):
        app.register_blueprint(module.bp)
    from comments_server.web.api import (  # structured activities (issue 4)
        plans,
        presentations,
        progress,
    )

    for module in (plans, presentations, progress):
        app.register_blueprint(module.bp)
    from comments_server.web.api import dashboard  # program dashboard (issue 5)

    app.register_blueprint(dashboard.bp)
    from comments_server.web.api import (  # community (issue 6)
        ask_author,
        blogs,
        forums,
        search,
        wiki,
    )

    for module in (forums, blogs, wiki, ask_author, search):
        app.register_blueprint(module.bp)
    from comments_server.web.api import notifications  # notifications (issue 7)

    app.register_blueprint(notifications.bp)
    from comments_server.web.api import sessions  # sessions held on the server (issue 11)

    app.register_blueprint(sessions.bp)
    from comments_server.web.api import me  # a person's own data (issue 11)

    app.register_blueprint(me.bp)

    from comments_server.web.api import coach_notes  # coach-only blocks (issue 12)

    app.register_blueprint(coach_notes.bp)
    from comments_server.web.api import quizzes  # quizzes (issue 12)

    app.register_blueprint(quizzes.bp)
