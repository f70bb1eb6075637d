"""The `roundtable` command.

This is the only module that sees both sides of the seam: it gathers the
authoring commands of `generator.cli` and the server commands of
`comments_server.cli` into one group, and adds `demo`, which needs both.
"""

from __future__ import annotations

import click

from comments_server import cli as server_cli
from generator import cli as generator_cli


@click.group(help="Roundtable: structured social learning, docs-as-code.")
@click.version_option(package_name="roundtable")
def main():
    """Entry point of the `roundtable` console script."""


for group in (generator_cli.commands, server_cli.commands):
    for command in group.commands.values():
        main.add_command(command)
