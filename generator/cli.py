"""Authoring commands: init, check, build, preview (thin click functions, lazy imports)."""

import click


@click.group()
def commands():
    """Authoring commands, added to the `roundtable` group by roundtable/cli.py."""
