"""URL converters shared by every blueprint."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter


class BoundedIntConverter(IntegerConverter):
    """An <int:...> of at most 18 ASCII digits, which SQLite can always store: a huge id is a 404, not a 500.

    Bounding by the pattern rather than by ``max`` keeps werkzeug from
    answering 405 when a sibling rule with other methods shares the path.
    """

    regex = r"[0-9]{1,18}"  # not \d: Python's \d also matches Arabic-Indic and other Unicode digits


def init_app(app):
    """Install the converters; call before any blueprint registers its rules."""
    app.url_map.converters["int"] = BoundedIntConverter
