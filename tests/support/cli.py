"""The `roundtable` commands run in-process against a test app's instance, site and database."""

from __future__ import annotations

from click.testing import CliRunner

from comments_server.ops.cli import commands


def commands_on(app, monkeypatch, *, instance=None):
    """Point the commands at ``app`` (its instance folder unless ``instance``); return ``invoke(*args)``."""
    monkeypatch.setenv("ROUNDTABLE_INSTANCE_PATH", str(instance or app.instance_path))
    monkeypatch.setenv("ROUNDTABLE_SITE_DIR", app.config["SITE_DIR"])
    monkeypatch.setenv("ROUNDTABLE_DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("ROUNDTABLE_SECRET_KEY", app.config["SECRET_KEY"])

    def invoke(*args):
        return CliRunner().invoke(commands, list(args), catch_exceptions=False)

    return invoke
