"""Accessibility repairs of the built HTML that Markdown extensions and the theme leave undone."""

from __future__ import annotations

import html
import re

# A checkbox pymdownx.tasklist wrote (its own markup, with or without custom_checkbox), then the
# item's text up to a nested list or the item's end.
_TASK_BOX = re.compile(
    r'(?P<lead><label class="task-list-control">|<li class="task-list-item">(?:<p>)?)'
    r'<input type="checkbox"(?P<attrs>[^>]*?)\s*/?>'
    r'(?P<rest>(?:(?!</li>|<ul|<ol|</p>|<input).)*)',
    re.S,
)
_TAG = re.compile(r"<[^>]+>")
# Material's search is a dialog with no name (axe: aria-dialog-name).
_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def label_task_boxes(page_html: str) -> str:
    """Name each checklist box by its item's text: pymdownx.tasklist draws `<input disabled>` with no label."""

    def named(match):
        if "aria-label" in match["attrs"]:
            return match[0]
        text = " ".join(html.unescape(_TAG.sub("", match["rest"])).split())
        label = html.escape(text or "Checklist item", quote=True)
        return f'{match["lead"]}<input type="checkbox"{match["attrs"]} aria-label="{label}"/>{match["rest"]}'

    return _TASK_BOX.sub(named, page_html)


def name_search_dialog(page_html: str) -> str:
    """Give Material's search dialog an accessible name."""
    return page_html.replace(_SEARCH_DIALOG, _SEARCH_DIALOG[:-1] + ' aria-label="Search">', 1)
