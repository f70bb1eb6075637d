"""`roundtable preview`: MkDocs' live-reload server, with content errors shown in the terminal and the browser,
and room for a backend that answers the widgets' requests (roundtable/cli.py plugs in a sample server).

This mirrors mkdocs/commands/serve.py (1.6) instead of calling it, for three reasons: the builder must
not raise on a content error (MkDocs then never tells the browser to reload), every page must show
the problems while there are any, and /api and /static must reach the backend on the same port.
"""

from __future__ import annotations

import errno
import html
import logging
import shutil
import socket
import tempfile
from urllib.parse import urlsplit

import click

log = logging.getLogger("mkdocs.roundtable.preview")

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Content errors - {site}</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222; }}
h1 {{ color: #b00020; font-size: 1.6rem; }}
li {{ font-family: ui-monospace, monospace; font-size: .9rem; margin: .4rem 0; white-space: pre-wrap; }}
.warning {{ color: #8a5a00; }}
</style></head>
<body><main class="rt-preview-errors">
<h1>{title}</h1>
<p>Nothing was built. Fix these in your editor; this page reloads by itself once the content is fine.</p>
<ul>
{items}
</ul>
</main></body></html>
"""


class Preview:
    """One preview session: a temporary site folder, the live-reload server and the last build's problems."""

    def __init__(self, config_file: str, dev_addr: str | None, backend_factory=None):
        """Remember how to load mkdocs.yml; `backend_factory(site_dir)` makes the widgets' backend, if any."""
        self.config_file = config_file
        self.dev_addr = dev_addr
        self.site_dir = tempfile.mkdtemp(prefix="roundtable_preview_")
        self.problems: list[str] = []  # lines to show while the content is broken
        self.backend = backend_factory(self.site_dir) if backend_factory else None
        self.serve_url = None
        self.server = None

    def config(self):
        """Load mkdocs.yml for one build, into the temporary site folder."""
        from mkdocs.config import load_config

        config = load_config(config_file=self.config_file, site_dir=self.site_dir, dev_addr=self.dev_addr)
        if self.serve_url:
            config.site_url = self.serve_url
        return config

    def build(self, config=None) -> None:
        """Build the site; on errors keep them for the browser and print them, never raise."""
        from mkdocs.commands.build import build
        from mkdocs.exceptions import MkDocsException

        from generator.errors import ContentError

        log.info("Building the preview...")
        try:
            config = config or self.config()
            build(config, serve_url=self.serve_url)
        except ContentError as error:
            self._failed(error.message, [str(p) for p in error.problems])
        except MkDocsException as error:
            self._failed("mkdocs.yml or the theme has an error", [error.format_message()])
        else:
            self.problems = []
            if self.backend:
                self.backend.after_build(self.site_dir)

    def _failed(self, title: str, lines: list[str]) -> None:
        """Print the problems as `check` does and keep them for the error page."""
        self.problems = [title, *lines]
        for line in lines:
            click.echo(line, err=True)
        click.echo(f"Error: {title}", err=True)

    def serve(self) -> None:
        """Build once, then serve with live reload until interrupted."""
        from mkdocs.livereload import LiveReloadServer, _serve_url

        config = self.config()
        host, port = config.dev_addr
        check_port(host, port)
        config.plugins.on_startup(command="serve", dirty=False)
        self.serve_url = config.site_url = _serve_url(host, port, urlsplit(config.site_url or "/").path)
        self.server = LiveReloadServer(builder=self.build, host=host, port=port, root=self.site_dir,
                                       mount_path=urlsplit(self.serve_url).path)
        self.server.set_app(self.app)
        try:
            self.build(config)
            self._watch(config)
            try:
                self.server.serve()
            except KeyboardInterrupt:
                log.info("Shutting down...")
            finally:
                self.server.shutdown()
        finally:
            config.plugins.on_shutdown()
            shutil.rmtree(self.site_dir, ignore_errors=True)
            if self.backend:
                self.backend.close()

    def _watch(self, config) -> None:
        """Watch the content, mkdocs.yml and what the plugins ask for (programs.yml)."""
        self.server.watch(config.docs_dir)
        if config.config_file_path:
            self.server.watch(config.config_file_path)
        self.server = config.plugins.on_serve(self.server, config=config, builder=self.build)
        for item in config.watch:
            self.server.watch(item)

    def app(self, environ, start_response):
        """Route one request: the backend's paths, the error page while there are problems, else the site."""
        path = environ.get("PATH_INFO", "")
        if self.backend and path.startswith(self.backend.prefixes):
            return self.backend(environ, start_response)
        if self.problems and (path.endswith("/") or path.endswith(".html")):
            return self._error_page(start_response)
        return self.server.serve_request(environ, start_response)

    def _error_page(self, start_response):
        """Answer with the problems, plus MkDocs' reload script so the page comes back once they are fixed."""
        server = self.server
        # Same wait as LiveReloadServer._serve_request: never answer mid-build (private API, mkdocs pinned < 1.7).
        with server._epoch_cond:
            server._epoch_cond.wait_for(lambda: server._visible_epoch == server._wanted_epoch)
            epoch = server._visible_epoch
        body = server._inject_js_into_html(error_page(self.problems).encode(), epoch)
        start_response("500 Content Errors", [("Content-Type", "text/html; charset=utf-8"),
                                              ("Content-Length", str(len(body)))])
        return [body]


def error_page(problems: list[str]) -> str:
    """Return the HTML page that lists the problems, the first line being the title."""
    title, *lines = problems
    items = "\n".join(f'<li class="{"warning" if ": warning: " in line else "error"}">{html.escape(line)}</li>'
                      for line in lines)
    return PAGE.format(site="Roundtable preview", title=html.escape(title), items=items)


def check_port(host: str, port: int) -> None:
    """Fail with a clear message if another program already listens on the port."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself binds
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise click.ClickException(f"port {port} is in use: pass --port {port + 1} "
                                           f"(or stop the program that uses it)") from None
            raise click.ClickException(f"cannot listen on {host}:{port}: {error.strerror}") from None
