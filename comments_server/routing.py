"""URL converters shared by every blueprint."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

SQLITE_MAX_INT = 2**63 - 1


class BoundedIntConverter(IntegerConverter):
    """An <int:...> that only matches what SQLite can store, so a huge id is a 404, not a 500."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", SQLITE_MAX_INT)
        super().__init__(map, *args, **kwargs)


def init_app(app):
    """Install the converters; call before any blueprint registers its rules."""
    app.url_map.converters["int"] = BoundedIntConverter
