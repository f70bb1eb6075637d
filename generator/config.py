"""The roundtable plugin's options in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class RoundtableConfig(Config):
    """`plugins: - roundtable: {enabled, programs_file, server_url}`."""

    enabled = c.Type(bool, default=True)
    # Relative to the folder of mkdocs.yml.
    programs_file = c.Type(str, default="programs.yml")
    # Where the widget and API live; "" means the site's own origin.
    server_url = c.Type(str, default="")
