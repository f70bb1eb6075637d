"""Run the app under gunicorn (gthread workers) from Python, for `roundtable serve` and the bench."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication


class Server(BaseApplication):
    """A gunicorn application around an already-created Flask app (preloaded, then forked)."""

    def __init__(self, app, options):
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self):
        """Pass our options to gunicorn's settings."""
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        """Return the WSGI app."""
        return self.application


def run(app, *, host, port, workers, threads, quiet=False):
    """Serve ``app`` until interrupted."""
    options = {
        "bind": f"{host}:{port}", "workers": workers, "threads": threads,
        "worker_class": "gthread", "preload_app": True, "timeout": 60,
        "accesslog": None if quiet else "-", "errorlog": "-",
        "loglevel": "warning" if quiet else "info",
        "proc_name": "roundtable",
    }
    Server(app, options).run()
