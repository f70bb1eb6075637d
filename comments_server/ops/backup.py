"""Backups: a consistent copy of a running instance's database and uploads, and bringing one back.

``backup`` copies the database with SQLite's online backup API, which gives
the state of one moment while the server keeps writing (WAL: writers are not
stopped, readers see a snapshot), then the uploads. A backup is a folder:

    DEST/roundtable.db     the database as of the moment the backup began
    DEST/uploads/          the presentation files (from the uploads folder or the S3 bucket)
    DEST/manifest.json     when, row counts per table, SHA-256 of every file

``restore`` checks the manifest's checksums first, then puts the database and
uploads into an instance whose server is stopped; it never overwrites an
instance that holds data unless told to (the current files are then moved
aside, not deleted).
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import os
import shutil
import sqlite3
from pathlib import Path

from comments_server.domain.timeutil import now_iso

DATABASE = "roundtable.db"
UPLOADS = "uploads"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


def _sha256(path: Path) -> str:
    """Return the SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _counts(path: Path) -> dict[str, int]:
    """Return the number of rows of every table of a database file."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()


def backup(*, database: str, files, dest: str) -> dict:
    """Copy the database (online) and every uploaded file of ``files`` (store/files.py: the folder or the
    bucket) into the new folder ``dest``; return the manifest."""
    target = Path(dest)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: name a new folder for each backup.")
    if not os.path.exists(database):
        raise BackupError(f"There is no database at {database} to back up.")
    target.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(database, timeout=30)
    copy = sqlite3.connect(target / DATABASE)
    try:
        source.backup(copy)  # one consistent moment, while the server keeps writing
    finally:
        copy.close()
        source.close()
    _copy_out(files, target / UPLOADS)
    files = {str(p.relative_to(target)): _sha256(p) for p in sorted(target.rglob("*")) if p.is_file()}
    manifest = {"format": 1, "taken": now_iso(), "tables": _counts(target / DATABASE), "files": files}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def _copy_out(files, folder: Path):
    """Copy every stored upload into ``folder`` (after the database: a file its rows name is there by then)."""
    names = files.names()
    if names:
        folder.mkdir()
    for name in names:
        try:
            stream = files.open(name)
        except FileNotFoundError:  # erased since it was listed
            continue
        with stream, open(folder / name, "wb") as out:
            shutil.copyfileobj(stream, out, 1 << 20)


def _copy_in(folder: Path, files):
    """Put every file of a backup's uploads folder into the storage (a copy each: the backup stays whole)."""
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        staged = Path(files.staging_dir()) / f"{path.name}.restoring.part"
        shutil.copyfile(path, staged)
        files.put(path.name, str(staged), mimetypes.guess_type(path.name)[0] or "application/octet-stream")


def verify(src: str) -> dict:
    """Return the manifest of the backup in ``src`` after checking every file against it."""
    folder = Path(src)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{folder / MANIFEST} is missing or unreadable ({exc}): this is not a backup folder.")
    bad = [name for name, digest in manifest["files"].items()
           if not (folder / name).is_file() or _sha256(folder / name) != digest]
    if bad:
        raise BackupError(f"These files of the backup are missing or changed: {', '.join(bad)}. "
                          "Restore from another backup.")
    return manifest


def restore(*, src: str, database: str, instance_path: str, files, replace: bool = False) -> dict:
    """Bring the backup in ``src`` into the instance and its uploads storage; refuse to overwrite data unless
    ``replace``. A local uploads folder is moved aside like the database; a bucket keeps its objects (names
    are random, so the backup's files are added beside them)."""
    manifest = verify(src)
    db_path = Path(database)
    uploads = Path(files.root) if hasattr(files, "root") else None
    if db_path.exists() and not replace:
        raise BackupError(f"{db_path} already exists. Stop the server, then run again with --replace "
                          "(the current files are kept beside it with a .before-restore suffix).")
    Path(instance_path).mkdir(parents=True, exist_ok=True)
    stamp = now_iso().replace(":", "")
    for path in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm"), uploads):
        if path is not None and path.exists():
            path.rename(path.with_name(f"{path.name}.before-restore-{stamp}"))
    staged = db_path.with_name(db_path.name + ".restoring")
    shutil.copyfile(Path(src) / DATABASE, staged)
    os.replace(staged, db_path)  # the database appears whole or not at all
    _copy_in(Path(src) / UPLOADS, files)
    return manifest
