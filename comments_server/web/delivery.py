"""How answers travel (issue 14): compressed for browsers that accept it, and cached as long as is safe.

- **Caching.** Material's content-hashed files (``assets/**/name.<8 hex>.min.js|css``) never
  change under their name: ``public, max-age=31536000, immutable``, so a warm page load does
  not ask for them at all. Every other file of the site and of ``/static/`` (the widget's own
  modules, whose names carry no hash) is ``no-cache``: the browser revalidates it with its
  ETag / Last-Modified and gets a 304. The pages preload the widget modules
  (``generator/preload.py``), so those revalidations go out together, not in a chain.
- **Compression** through Flask-Compress: zstd, brotli or gzip by ``Accept-Encoding``, for
  text answers over 500 bytes (pages, CSS, JS, JSON; a shorter answer skips it). It tags a compressed answer's ETag
  (``"x"`` becomes ``"x:zstd"``); ``UntagValidators`` takes the tag off a request's
  ``If-None-Match`` before any view reads it, so the views' own cheap 304s (thread reads, files)
  still answer, and a client that sent no ``Accept-Encoding`` gets the plain bytes.
"""

from __future__ import annotations

import re

from flask import request
from flask_compress import Compress

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# Material names its bundles by content: assets/javascripts/bundle.a5f9d56c.min.js, workers/search.<hash>.min.js
HASHED_ASSET = re.compile(r"^assets/(?:[\w.-]+/)*[\w-]+\.[0-9a-f]{8}\.min\.(?:js|css)$")
ENCODING_TAG = re.compile(r':(?:zstd|br|gzip|deflate)"')
COMPRESS = {
    "COMPRESS_ALGORITHM": ["zstd", "br", "gzip"],
    "COMPRESS_ALGORITHM_STREAMING": ["zstd", "br", "deflate"],  # files are sent in chunks: gzip has no stream mode
    "COMPRESS_BR_LEVEL": 4,  # brotli's fast levels: a 180 KB thread in about a millisecond
    "COMPRESS_ZSTD_LEVEL": 3,
    "COMPRESS_MIN_SIZE": 500,
    "COMPRESS_REGISTER": False,  # init_app registers its step behind the size check
}


def cache_control(site_path: str) -> str:
    """Return the Cache-Control of a file of the built site at ``site_path`` (relative, no leading /)."""
    return IMMUTABLE if HASHED_ASSET.match(site_path) else REVALIDATE


def _static_files_revalidate(response):
    """Make the widget's own files (/static/) revalidate: their names do not change with their content."""
    if request.endpoint == "static":
        response.headers["Cache-Control"] = REVALIDATE
    return response


class UntagValidators:
    """WSGI middleware: ``If-None-Match: "x:zstd"`` reaches the app as ``"x"``, the ETag the views know."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        tags = environ.get("HTTP_IF_NONE_MATCH")
        if tags and ":" in tags:
            environ["HTTP_IF_NONE_MATCH"] = ENCODING_TAG.sub('"', tags)
        return self.wsgi_app(environ, start_response)


def init_app(app):
    """Compress answers and set the caching of files; register after the headers so compression sees them all."""
    for key, value in COMPRESS.items():
        app.config.setdefault(key, value)
    app.after_request(_static_files_revalidate)
    app.after_request(_compressing(Compress(app), COMPRESS["COMPRESS_MIN_SIZE"]))
    app.wsgi_app = UntagValidators(app.wsgi_app)


def _compressing(compress, min_size):
    """Flask-Compress's after-request step, skipped for an answer of known length under ``min_size``.

    Such an answer is sent as it is whatever the client accepts, so it does not vary by
    ``Accept-Encoding`` either; most answers are (a bell's poll, counts, a session): issue 14.
    """

    def compress_if_large(response):
        length = response.content_length
        if length is not None and length < min_size:
            return response
        return compress.after_request(response)

    return compress_if_large
