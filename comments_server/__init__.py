"""Server side: the Flask service for discussions, submissions, feedback and progress.

Rooms (see docs/architecture.md): ``domain`` (pure rules), ``store`` (SQL and the
driver), ``access`` (who may see and do what), ``actions`` (one function per
thing a person does), ``notify`` and ``dashboard`` (read models and
subscribers), ``web`` (Flask: views, contracts, security), ``ops`` (commands).
"""

from __future__ import annotations


def create_app(test_config=None, *, instance_path=None):
    """Create the Roundtable server (see :func:`comments_server.web.app.create_app`)."""
    from comments_server.web.app import create_app as _create_app

    return _create_app(test_config, instance_path=instance_path)
