"""Publish a build all at once: build into a folder beside site/, then swap it in, so a failed build changes nothing."""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staged_site(site_dir: Path):
    """Yield a new folder beside site_dir to build into; swap it in on success, delete it on any failure."""
    site_dir = Path(site_dir).resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    # Beside site/, on the same file system, so that the swap is a rename and not a copy.
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.building-", dir=site_dir.parent))
    # mkdtemp makes the folder private (0700); a web server must read the site as before.
    os.chmod(staging, site_dir.stat().st_mode & 0o7777 if site_dir.is_dir() else 0o755)
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap_in(staging, site_dir)


def swap_in(staging: Path, site_dir: Path) -> None:
    """Replace site_dir by staging with two renames, then delete the old site."""
    old = site_dir.with_name(f".{site_dir.name}.old-{os.getpid()}")
    if site_dir.exists():
        # rename() cannot replace a folder that has files in it: move the old one aside first.
        # Between the two renames (microseconds) site/ is missing; it is never half-written.
        os.rename(site_dir, old)
    os.rename(staging, site_dir)
    shutil.rmtree(old, ignore_errors=True)
