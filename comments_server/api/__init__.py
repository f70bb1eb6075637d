"""JSON API blueprints, one per area."""

from __future__ import annotations


def init_app(app):
    """Register every API blueprint."""
    from . import auth, comments, docs, threads

    for module in (auth, threads, comments, docs):
        app.register_blueprint(module.bp)
    from . import plans, presentations, progress  # structured activities (issue 4)

    for module in (plans, presentations, progress):
        app.register_blueprint(module.bp)
    from . import dashboard  # program dashboard (issue 5)

    app.register_blueprint(dashboard.bp)
    from . import ask_author, blogs, forums, search, wiki  # community (issue 6)

    for module in (forums, blogs, wiki, ask_author, search):
        app.register_blueprint(module.bp)
    from . import notifications  # notifications (issue 7)

    app.register_blueprint(notifications.bp)
