"""Server commands: serve, migrate, roster import, user add, login-link, seed-demo."""

import click


@click.group()
def commands():
    """Server commands, added to the `roundtable` group by roundtable/cli.py."""
