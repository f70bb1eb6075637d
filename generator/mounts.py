"""Mount-point HTML for the widget: one block per activity, one per dynamic page (docs/architecture.md, Seam 2)."""

from __future__ import annotations

from html import escape

from generator.model import Activity, Module

FALLBACK = "The discussion loads from the Roundtable server. If this text stays, the server cannot be reached."

# kind -> (heading, what the learner does: the end of "Turn on JavaScript to ...")
KINDS = {
    "read": ("Done reading?", "mark this module as read"),
    "roundtable": ("Roundtable", "join the roundtable"),
    "plan": ("Plan", "submit your plan and debrief"),
    "presentation": ("Presentation", "present and review your peers"),
    "reflection": ("Reflection", "write your reflection"),
    "quiz": ("Quiz", "take the quiz"),
    "signin": ("Sign in", "sign in"),
    "progress": ("My progress", "see your progress"),
    "dashboard": ("Dashboard", "see the dashboard"),
    "forum": ("Forum", "read and post in the forum"),
    "blogs": ("Blogs", "read and write blog posts"),
    "wiki": ("Wiki", "read and edit the wiki"),
    "ask-author": ("Ask the author", "ask the authors a question"),
    "blog-recent": ("Recent blog posts", "read the program's blog posts"),
    "notifications": ("Notifications", "see your notifications"),
}
READ_PROMPT = "Worked through this module? Mark it as read to record your progress."


def mount(kind: str, activity_id: str | None = None, prompt: str = "", heading: bool = True) -> str:
    """Return the mount-point <div> for one activity (with an id) or one dynamic page (without)."""
    title, action = KINDS[kind]
    id_attr = f' data-rt-id="{escape(activity_id)}"' if activity_id else ""
    inner = f"<h2>{escape(title)}</h2>" if heading else ""
    if prompt:
        inner += f'<p class="rt-prompt">{escape(prompt)}</p>'
    return (
        f'<div class="rt-activity" data-rt-kind="{kind}"{id_attr}>\n'
        + (f"  {inner}\n" if inner else "")
        # the two stand-ins are about the page, not the module: kept out of the search index (Material)
        + f"  <noscript data-search-exclude>Turn on JavaScript to {action}.</noscript>\n"
        + f'  <p class="rt-fallback" data-search-exclude>{FALLBACK}</p>\n'
        + "</div>"
    )


def activity_mount(activity: Activity) -> str:
    """Return the mount point of one activity of a module."""
    prompt = activity.prompt or (READ_PROMPT if activity.kind == "read" else "")
    return mount(activity.kind, activity.id, prompt)


def module_mounts(module: Module) -> str:
    """Return the HTML to append to a module page's rendered content: every activity's mount point, in order."""
    blocks = [activity_mount(a) for a in module.activities]
    if module.authors:
        blocks.append(ask_author_mount(module))
    return "\n" + "\n\n".join(blocks)


def ask_author_mount(module: Module) -> str:
    """Return the "Written by" line and the ask-the-author mount point of a module that names authors.

    The site is public and ``authors`` are e-mail addresses, so the page never
    prints them: the widget replaces this line with the authors' names from
    ``GET /api/modules/<id>/authors`` for those signed in.
    """
    return mount("ask-author", module.id, "").replace(
        "<h2>Ask the author</h2>",
        '<h2>Ask the author</h2><p class="rt-authors">Written by the authors of this module.</p>', 1)


def widget_head(server_url: str, preloads: str = "") -> str:
    """Return the stylesheet, the preload links and the module script that load the widget from the server."""
    base = server_url.rstrip("/")
    return (
        f'<link rel="stylesheet" href="{escape(base)}/static/roundtable.css">'
        + preloads
        + f'<script type="module" src="{escape(base)}/static/roundtable.js"></script>'
    )


def add_widget(html: str, server_url: str, preloads: str = "") -> str:
    """Insert the widget's stylesheet, module preload links (generator/preload.py) and script before </head>."""
    head, sep, rest = html.partition("</head>")
    return head + widget_head(server_url, preloads) + sep + rest if sep else html
