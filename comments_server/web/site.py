"""The built site at "/", so that one port serves pages, widget files and the API."""

from __future__ import annotations

import os
import posixpath

from flask import Blueprint, Response, current_app, redirect, request, send_from_directory
from werkzeug.exceptions import NotFound
from werkzeug.routing import PathConverter

from comments_server.web import private

bp = Blueprint("site", __name__)

# Build output the server reads from disk but never serves: catalog.json names
# module authors by e-mail address, and the site is public.
# coach-notes.json: coach-only blocks; quiz-keys.json: the quizzes' answers (issue 12)
PRIVATE = {"catalog.json", "coach-notes.json", "quiz-keys.json"}


class SitePathConverter(PathConverter):
    """A path that never starts with api/, so unknown /api URLs stay JSON 404s."""

    regex = r"(?!api(?:/|$))[^/].*?"


@bp.get("/", defaults={"path": ""})
@bp.get("/<site_path:path>")
def page(path):
    """Serve a file of the built site; a directory URL serves its index.html."""
    root = current_app.config["SITE_DIR"]
    if posixpath.normpath(path or ".") in PRIVATE:  # normpath: "x/../catalog.json" is the same file
        return not_found(root)
    if not os.path.isdir(root):
        return (
            "No site has been built yet: run `roundtable build`, then reload.\n",
            404,
            {"Content-Type": "text/plain; charset=utf-8"},
        )
    refused = private.gate(path)  # a private program's pages and files (programs.yml visibility)
    if refused == "not found":
        return not_found(root)
    if refused is not None:
        return refused
    if path == private.SEARCH_INDEX and os.path.isfile(os.path.join(root, path)):
        return current_app.response_class(private.SEARCH.for_reader(root, private.viewer()),
                                          mimetype="application/json", headers={"Cache-Control": "private, no-cache"})
    if path and not path.endswith("/") and os.path.isdir(os.path.join(root, path)):
        # MkDocs pages use relative links, which only resolve from the slashed URL
        return redirect(request.path + "/", 308)
    if path == "" or path.endswith("/"):
        path += "index.html"
    try:
        response = send_from_directory(root, path)
    except NotFound:
        return not_found(root)
    if path.endswith(".html"):
        response.page_path = os.path.join(root, path)  # web/headers.py allows this page's inline scripts
    return response


def not_found(root):
    """Answer 404 with the site's own 404.html (MkDocs builds one), else the framework's page."""
    path = os.path.join(root, "404.html")
    try:
        with open(path, "rb") as f:
            response = Response(f.read(), 404, mimetype="text/html")
    except OSError:
        raise NotFound() from None
    response.page_path = path  # its inline scripts are allowed like any page's
    return response


def init_app(app):
    """Register the site path converter and blueprint."""
    app.url_map.converters["site_path"] = SitePathConverter
    app.register_blueprint(bp)
