"""Authoring commands: init, import, check, build, preview (thin click functions, lazy imports)."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import click

TEMPLATE = Path(__file__).parent / "init_template"
config_option = click.option(
    "-f", "--config-file", default="mkdocs.yml", show_default=True,
    type=click.Path(dir_okay=False), help="The site's mkdocs.yml.",
)


@click.group()
def commands():
    """Authoring commands, added to the `roundtable` group by roundtable/cli.py."""


@commands.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path):
    """Create a new program repository with an example program in DIRECTORY."""
    if directory.exists() and any(directory.iterdir()):
        raise click.ClickException(f"{directory} is not empty; choose a new folder")
    shutil.copytree(TEMPLATE, directory, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    click.echo(f"Created a program repository in {directory}. {_git_init(directory)} Next:")
    click.echo(f"  cd {directory} && roundtable check && roundtable preview")


def _git_init(directory: Path) -> str:
    """Make the folder a git repository with a first commit; say what happened (git may be missing)."""
    git = shutil.which("git")
    if git is None:
        return "git is not installed, so it is not a git repository yet (run `git init` once you have git)."
    run = lambda *args: subprocess.run([git, *args], cwd=directory, capture_output=True, text=True)
    if run("init", "-q").returncode != 0:
        return "`git init` failed; run it yourself."
    run("add", "-A")
    # A fresh machine has no user.name/email: name the commit's author so the first commit still works.
    commit = run("-c", "user.name=Roundtable", "-c", "user.email=roundtable@localhost",
                 "commit", "-q", "-m", "Start a Roundtable program repository")
    return "It is a git repository with a first commit." if commit.returncode == 0 else "It is a git repository (no commit yet)."


@commands.command("import")
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@click.option("--id", "program_id", default=None, help="Program id (default: the lesson folder's name).")
def import_command(src: Path, dest: Path, program_id: str | None):
    """Turn the lesson in SRC (Carpentries Workbench, styles/Jekyll, or plain Markdown) into a program in DEST."""
    from generator.importers import import_lesson, missing_extensions

    done = import_lesson(src, dest, program_id)
    for warning in sorted(done.lesson.warnings):
        click.echo(f"{os.path.relpath(src / warning.path)}:{str(warning).split(':', 1)[1]}", err=True)
    for name in missing_extensions(dest):
        click.echo(f"{dest / 'mkdocs.yml'}:1: warning: add `- {name}` under markdown_extensions", err=True)
    count = _plural(len(done.lesson.episodes), "module")
    click.echo(f"Imported {count} from {src} ({done.lesson_format}) into {done.program_dir}; "
               f"{_plural(len(done.lesson.warnings), 'warning')}.")
    click.echo(f"Next: cd {dest} && roundtable check && roundtable preview")


@commands.command()
@config_option
def check(config_file: str):
    """Check programs.yml and every module; list each problem with its file and line."""
    from generator.checks import load_checked
    from generator.config import project_settings

    cfg = _load_config(config_file)
    plugin = _plugin(cfg)
    root = Path(cfg.config_file_path).resolve().parent
    settings = project_settings(cfg, plugin.config, root)
    project, warnings = load_checked(root, root / plugin.config.programs_file, cfg.docs_dir, settings)
    for warning in warnings:
        click.echo(str(warning), err=True)
    click.echo(f"OK: {_counts(project.catalog)}; no errors, {_plural(len(warnings), 'warning')}.")


@commands.command()
@config_option
@click.option("-d", "--site-dir", type=click.Path(file_okay=False), help="Where to write the site.")
@click.option("-s", "--strict", is_flag=True, help="Fail on MkDocs warnings too.")
@click.option("--accept-changes", is_flag=True,
              help="Publish even if activity ids would move or go (retires them in the lock file).")
def build(config_file: str, site_dir: str | None, strict: bool, accept_changes: bool):
    """Build the site and its catalog.json, then record its activity ids in the lock file; build nothing on errors."""
    from mkdocs.commands.build import build as mkdocs_build

    from generator.lock import write_lock
    from generator.publish import staged_site

    cfg = _load_config(config_file, site_dir=site_dir, strict=strict or None)
    plugin = _plugin(cfg)
    plugin.accept_changes = accept_changes
    target = Path(cfg.site_dir)
    started = time.monotonic()
    # MkDocs empties site/ first and writes page by page: build beside it and swap it in only on success.
    with staged_site(target) as staging, Progress() as progress:
        cfg.site_dir = str(staging)
        plugin.progress = progress
        _run(cfg, "build", lambda: _failing_nicely(lambda: mkdocs_build(cfg), target))
    if plugin.config.lock_file:
        # Only after the swap: the lock names what is published, never what failed to build.
        write_lock(Path(cfg.config_file_path).resolve().parent / plugin.config.lock_file, plugin.project.catalog)
    seconds = time.monotonic() - started
    click.echo(f"Built {_counts(plugin.project.catalog)}, {_plural(plugin.pages, 'page')} in {seconds:.1f} s into {target}")


@commands.command()
@config_option
@click.option("-a", "--dev-addr", metavar="IP:PORT", help="Address to serve on (default 127.0.0.1:8000).")
@click.option("-p", "--port", type=int, default=None, help="Port to serve on, on 127.0.0.1 (or the --dev-addr host).")
@click.pass_context
def preview(ctx, config_file: str, dev_addr: str | None, port: int | None):
    """Serve the site with live reload while you edit; errors show in the terminal and the browser."""
    _quiet_material()
    from generator.preview import Preview

    if port is not None:
        dev_addr = f"{(dev_addr or '127.0.0.1:8000').rsplit(':', 1)[0]}:{port}"
    _show_mkdocs_log(logging.INFO)  # authors need the "Serving on" address and rebuild notes
    # roundtable/cli.py, which sees the server too, may hand in a sample backend for the widgets
    backend = (ctx.obj or {}).get("preview_backend") if isinstance(ctx.obj, dict) else None
    Preview(config_file, dev_addr, backend).serve()


class Progress:
    """A progress bar over the pages of a build, shown only for long builds."""

    MIN_PAGES = 100  # small sites build in a second or two: a bar would only flicker

    def __init__(self):
        """Start with no bar: the page count is known only once MkDocs has gathered the files."""
        self.bar = None

    def __enter__(self):
        """Enter the build; the bar itself opens in start()."""
        return self

    def start(self, total: int) -> None:
        """Open the bar for `total` steps if the build is long enough to need one."""
        if total >= 2 * self.MIN_PAGES and self.bar is None:
            self.bar = click.progressbar(length=total, label="Building pages", file=sys.stderr)
            self.bar.__enter__()

    def advance(self) -> None:
        """Move the bar on by one step."""
        if self.bar is not None:
            self.bar.update(1)

    def __exit__(self, *exc):
        """Close the bar, if one was opened."""
        if self.bar is not None:
            self.bar.__exit__(*exc)


def _quiet_material() -> None:
    """Silence Material's end-of-life banner; it must be set before mkdocs is imported."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def _load_config(config_file: str, **overrides):
    """Load and validate mkdocs.yml, as `mkdocs build` does."""
    _quiet_material()
    from mkdocs.config import load_config

    _show_mkdocs_log(logging.WARNING)
    overrides = {k: v for k, v in overrides.items() if v is not None}
    return load_config(config_file=config_file, **overrides)


def _plugin(cfg):
    """Return the roundtable plugin configured in mkdocs.yml, or explain how to add it."""
    plugin = cfg.plugins.get("roundtable")
    if plugin is None or not plugin.config.enabled:
        raise click.ClickException(f"{cfg.config_file_path} does not enable the roundtable plugin "
                                   "(fix: list `- roundtable` under `plugins:`)")
    return plugin


def _run(cfg, command: str, work) -> None:
    """Run a MkDocs command between the plugins' startup and shutdown events."""
    cfg.plugins.on_startup(command=command, dirty=False)
    try:
        work()
    finally:
        cfg.plugins.on_shutdown()


def _failing_nicely(work, target: Path) -> None:
    """Run a build; turn an error MkDocs or a Markdown extension raises into a message instead of a traceback."""
    try:
        work()
    except click.ClickException:
        raise  # our ContentError, MkDocs' Abort (strict mode): already worded for the author
    except Exception as exc:
        raise click.ClickException(f"the build failed, so {target} was left as it was: "
                                   f"{type(exc).__name__}: {exc}") from exc


def _show_mkdocs_log(level: int) -> None:
    """Print MkDocs' log (and our warnings) on stderr, once per process."""
    logger = logging.getLogger("mkdocs")
    logger.setLevel(level)
    if not any(getattr(h, "roundtable", False) for h in logger.handlers):
        handler = _EchoHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler.roundtable = True
        logger.addHandler(handler)


class _EchoHandler(logging.Handler):
    """Write log records with click.echo, which finds the current stderr each time (CliRunner swaps it)."""

    def emit(self, record):
        """Print one record on stderr."""
        click.echo(self.format(record), err=True)


def _counts(catalog) -> str:
    """Describe the size of a catalog in words."""
    modules = list(catalog.modules())
    activities = sum(1 for m in modules for a in m.activities if a.kind != "read")
    return ", ".join(_plural(n, word) for n, word in
                     [(len(catalog.programs), "program"), (len(modules), "module"), (activities, "activity")])


def _plural(count: int, word: str) -> str:
    """Return e.g. `1 program` or `3 activities`."""
    plural = word[:-1] + "ies" if word.endswith("y") else word + "s"
    return f"{count} {word if count == 1 else plural}"
