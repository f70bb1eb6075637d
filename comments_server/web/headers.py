"""Security headers on every response: CSP without inline scripts we did not build, no framing, no sniffing.

The site's pages carry a few small inline scripts of Material's own (the
palette, the scope, the anchor target); they differ with a page's depth. The
Content-Security-Policy of a page allows exactly the inline scripts that page
holds, by their SHA-256 hashes, read once per file version; everything else
must come from this origin. JSON answers are never cached by shared caches,
and personal ones not at all unless the view chose otherwise (thread reads
revalidate with their ETag).
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import threading

from flask import request

# An inline <script> without src= whose type runs as JavaScript (JSON data blocks do not run)
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"(?!text/javascript|module)[^\"]*\")[^>]*>(.*?)</script>", re.S)

POLICY = ("default-src 'self'; script-src 'self'{hashes}; style-src 'self' 'unsafe-inline'; "
          "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; media-src 'self'; "
          "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # sign-in links carry a token in their query: never send a page's address to another site
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
HSTS = "max-age=31536000; includeSubDomains"


class InlineScripts:
    """The CSP hash sources of the inline scripts of built pages, remembered per (path, mtime)."""

    def __init__(self):
        self.known, self.lock = {}, threading.Lock()

    def sources(self, path: str) -> str:
        """Return " 'sha256-...' ..." for the inline scripts of the HTML file at ``path``."""
        try:
            stamp = os.stat(path).st_mtime_ns
        except OSError:
            return ""
        with self.lock:
            cached = self.known.get(path)
        if cached and cached[0] == stamp:
            return cached[1]
        with open(path, encoding="utf-8", errors="replace") as f:
            scripts = INLINE_SCRIPT.findall(f.read())
        digests = sorted({base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in scripts})
        value = "".join(f" 'sha256-{d}'" for d in digests)
        with self.lock:
            self.known[path] = (stamp, value)
        return value


INLINE = InlineScripts()


# the headers above as (name, lowercase name, value), and the policy of a response that is no built page
_ALWAYS = [(name, name.lower(), value) for name, value in ALWAYS.items()]
PLAIN_POLICY = POLICY.format(hashes="")


def secure(response):
    """Add the security headers every response gets, and the caching rule of JSON answers."""
    headers = response.headers
    present = {name.lower() for name, _ in headers.items()}  # one pass: setdefault would scan once per header
    for name, lowered, value in _ALWAYS:
        if lowered not in present:
            headers.add(name, value)
    if "content-security-policy" not in present:
        page = getattr(response, "page_path", None)  # set by web/site.py for a built HTML page
        headers.add("Content-Security-Policy", POLICY.format(hashes=INLINE.sources(page)) if page else PLAIN_POLICY)
    if "strict-transport-security" not in present and request.is_secure:
        headers.add("Strict-Transport-Security", HSTS)
    if "cache-control" not in present and request.path.startswith("/api/"):
        # answers name people and their work: no shared cache, no copy kept on disk
        headers.add("Cache-Control", "private, no-store")
    return response


def init_app(app):
    """Add the headers to every response."""
    app.after_request(secure)
