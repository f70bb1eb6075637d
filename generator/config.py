"""The roundtable plugin's options in mkdocs.yml, and what the checks need to know from the rest of mkdocs.yml."""

from __future__ import annotations

from pathlib import Path

from markdown.extensions.toc import slugify as toc_slugify
from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from generator.loader import Settings


class RoundtableConfig(Config):
    """`plugins: - roundtable: {enabled, programs_file, server_url, lock_file}`."""

    enabled = c.Type(bool, default=True)
    # Relative to the folder of mkdocs.yml.
    programs_file = c.Type(str, default="programs.yml")
    # Where the widget and API live; "" means the site's own origin.
    server_url = c.Type(str, default="")
    # The published activity ids, committed with the content (docs/authoring.md); "" turns the check off.
    lock_file = c.Type(str, default="roundtable.lock")


def project_settings(config, options: RoundtableConfig, root: Path) -> Settings:
    """Return the settings of one mkdocs.yml, with every path absolute."""
    return Settings(
        snippet_dirs=tuple(snippet_dirs(config, root)),
        template_dirs=tuple(Path(d) for d in config.theme.dirs),
        lock_file=root / options.lock_file if options.lock_file else None,
        slugify=heading_slug(config),
    )


def heading_slug(config):
    """Return heading text -> id as mkdocs.yml's toc extension makes them (its `slugify` and `separator`)."""
    toc = config.mdx_configs.get("toc", {})
    slugify, separator = toc.get("slugify", toc_slugify), toc.get("separator", "-")
    return lambda text: slugify(text, separator)


def snippet_dirs(config, root: Path) -> list[Path]:
    """Return pymdownx.snippets' base paths, made absolute against the folder of mkdocs.yml."""
    if "pymdownx.snippets" not in config.markdown_extensions:
        return []
    base = config.mdx_configs.get("pymdownx.snippets", {}).get("base_path", ["."])
    return [root / b for b in ([base] if isinstance(base, str) else base)]
