"""Links the site hands out: the public root (one rule), where each item lives, sign-in links, safe ``next``.

Web views, the mail worker and the CLI all build links here, so the rule for
"which URL is the site" is written once. Below ``web/`` nothing may read the
request: the web layer (and the worker, and the CLI) tell this module the
site's root with :func:`use_root` / :func:`install_root`, as they tell
``domain.clock`` the time, and code that writes a link for later (the outbox)
asks :func:`current_root`.
"""

from __future__ import annotations

import contextlib
import contextvars
from urllib.parse import quote, urlencode, urljoin

DEFAULT_ROOT = "http://127.0.0.1:8000/"  # where `roundtable serve` listens by default


def site_root(*candidates, default=""):
    """Return the site's public root ending in '/': the first non-empty candidate, else ``default``.

    Candidates go most specific first, e.g. ``site_root(config["BASE_URL"], request.host_url)``:
    the configured BASE_URL wins over the host a request came in on.
    """
    for value in candidates:
        if value:
            return str(value).rstrip("/") + "/"
    return default


def listening_root(host, port):
    """The root a browser on this machine opens for a server listening on ``host:port`` ('/'-terminated).

    A wildcard address (``0.0.0.0``, ``::``, empty) is not one a browser can open: it becomes 127.0.0.1.
    """
    host = "127.0.0.1" if host in ("", "0.0.0.0", "::", "[::]") else host
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address in a URL
    return f"http://{host}:{port}/"


def cli_root(option, configured, served):
    """The root a command's printed links use: ``--base-url``, else BASE_URL, else where `serve` listens, else 8000.

    ``served`` is what the running `roundtable serve` recorded (ops/serve.py), so
    `roundtable login-link` prints links to the server that actually runs.
    """
    return site_root(option, configured, served, default=DEFAULT_ROOT)


def safe_next(value):
    """Keep only same-site relative paths, so a link cannot redirect elsewhere."""
    if not isinstance(value, str):
        return ""
    value = value.strip()
    # browsers drop tabs and line breaks inside URLs: "/\t/evil.example/" would become "//evil.example/"
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return ""
    if not value.startswith("/") or value.startswith("//"):
        return ""
    return value if "\\" not in value else ""


def signin_link(base_url, token, next_url=""):
    """Return the sign-in page URL that redeems ``token`` (and then opens ``next_url``)."""
    link = f"{base_url.rstrip('/')}/signin/?token={token}"
    return link + (f"&next={quote(next_url, safe='/')}" if next_url else "")


_root: contextvars.ContextVar = contextvars.ContextVar("roundtable_site_root", default="")


def install_root(root):
    """Make ``root`` the site root of this context (a request, a worker round); return a reset token.

    ``root`` may be a function returning it, asked only when a link is written (most requests write none).
    """
    return _root.set(root)


def reset_root(token):
    """Undo :func:`install_root`."""
    _root.reset(token)


@contextlib.contextmanager
def use_root(root):
    """Run a block with ``root`` as the site root :func:`current_root` answers."""
    token = install_root(root)
    try:
        yield root
    finally:
        reset_root(token)


def current_root():
    """Return the site root of this context ('' when nobody said, e.g. a bare script)."""
    root = _root.get()
    return root() if callable(root) else root


# --------------------------------------------------------------------------- where an item lives
# One rule for every link to an item: the queue, the learner page, notifications and mails all
# build it here. A path is site-relative ("sales/calls/#rt-comment-12", stored with notifications
# and joined to the root by mails); :func:`absolute` makes it a whole URL for the API. The anchors
# are the ones the widgets draw (docs/architecture.md, "Links that land").


def comment_path(module_url, comment_id):
    """A roundtable comment on its module page."""
    return f"{module_url or ''}#rt-comment-{comment_id}"


def plan_path(module_url, plan_id, *, opened=True):
    """A plan on its module page; ``opened``: with ``?plan=`` so the giver's form is open (any viewer's card)."""
    query = f"?plan={plan_id}" if opened else ""
    return f"{module_url or ''}{query}#rt-plan-{plan_id}"


def review_path(module_url, submission_id):
    """A presentation to review, its review form open."""
    return f"{module_url or ''}#rt-review-{submission_id}"


def feedback_path(module_url):
    """The presenter's own presentation and the reviews it received."""
    return f"{module_url or ''}#rt-feedback"


def question_path(module_url, question_id):
    """A question to a module's authors, opened."""
    return f"{module_url or ''}#rt-question-{question_id}"


def topic_path(topic_id):
    """A forum topic."""
    return f"forum/?topic={topic_id}"


def post_path(post_id):
    """A blog post (a reflection is one too)."""
    return f"blogs/?post={post_id}"


def learner_path(cohort_id, user_id):
    """A learner's page on the dashboard: their progress and their work in one cohort."""
    return "dashboard/?" + urlencode({"cohort": cohort_id, "learner": user_id}) + f"#rt-learner-{user_id}"


def absolute(path, root=None):
    """The whole URL of a site-relative ``path``: under ``root``, else this context's root, else '/'."""
    return urljoin(root or current_root() or "/", path)
