"""The `roundtable` command.

This is the only module that sees both sides of the seam: it gathers the
authoring commands of `generator.cli` and the server commands of
`comments_server.ops.cli` into one group, adds `demo`, which needs both, and hands
`preview` its sample backend (roundtable/sample.py).
"""

from __future__ import annotations

import os

import click

from comments_server.ops import cli as server_cli
from generator import cli as generator_cli


@click.group(help="Roundtable: structured social learning, docs-as-code.")
@click.version_option(package_name="roundtable")
@click.pass_context
def main(ctx):
    """Entry point of the `roundtable` console script."""
    # `preview` draws the activities with the real server on sample data (roundtable/sample.py)
    ctx.ensure_object(dict)["preview_backend"] = _sample_backend


def _sample_backend(site_dir):
    """Start the preview's sample server (imported only when a preview starts)."""
    from roundtable.sample import SampleBackend

    return SampleBackend(site_dir)


for group in (generator_cli.commands, server_cli.commands):
    for command in group.commands.values():
        main.add_command(command)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, help="Port to listen on.")
@click.pass_context
def demo(ctx, host, port):
    """Build the site, seed a demo cohort per program, print sign-in links, serve."""
    base_url = f"http://{host}:{port}"
    # mailed links (logged to the console without SMTP) must point at this demo
    os.environ.setdefault("ROUNDTABLE_BASE_URL", base_url)
    # Each step is an ordinary command, so `demo` is exactly what an admin would type.
    ctx.invoke(main.get_command(ctx, "build"))
    ctx.invoke(main.get_command(ctx, "seed-demo"), base_url=base_url)
    ctx.invoke(main.get_command(ctx, "serve"), host=host, port=port, quiet=True)
