"""`python -m comments_server ...`: the server commands without the authoring side."""

from .cli import commands

commands(prog_name="python -m comments_server")
