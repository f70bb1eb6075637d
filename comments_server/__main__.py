"""`python -m comments_server ...`: the server commands without the authoring side."""

from comments_server.ops.cli import commands

commands(prog_name="python -m comments_server")
