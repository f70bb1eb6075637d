"""Where uploaded files live: a folder (local or shared by every server) or an S3-compatible bucket.

Presentations' files are written, served, erased and backed up through one
small interface, so the rest of the code never knows which: ``put`` a checked
file under its random name, ``open`` it for reading, ``delete`` it, list its
``names``. ``UPLOADS_BACKEND`` chooses: ``local`` (default: ``UPLOADS_DIR``,
``instance/uploads`` unless set; with several servers, a folder they all
mount) or ``s3`` (``UPLOADS_S3_BUCKET``, ``UPLOADS_S3_ENDPOINT_URL`` for
MinIO, Ceph or another S3-compatible store, ``UPLOADS_S3_PREFIX``; the
credentials and region come from boto3's own chain: ``AWS_ACCESS_KEY_ID`` /
``AWS_SECRET_ACCESS_KEY`` / ``AWS_DEFAULT_REGION``, ``~/.aws/``, an instance role).

Files are never handed out by URL: the web layer checks who asks and streams
the bytes itself (see web/api/presentations.py).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import BinaryIO, Protocol

BACKENDS = ("local", "s3")


class FilesError(RuntimeError):
    """A storage setting that cannot work; the message names the setting and the fix."""


class Files(Protocol):
    """Uploaded files by name (a random hex name with its extension, never a path)."""

    def staging_dir(self) -> str:
        """A local folder where an upload is written and checked before ``put``."""

    def put(self, name: str, source: str, content_type: str) -> None:
        """Store the local file ``source`` under ``name``; ``source`` is gone afterwards."""

    def open(self, name: str) -> BinaryIO:
        """A readable stream of the file (FileNotFoundError when there is none); close it after use."""

    def delete(self, name: str) -> None:
        """Remove the file; a missing one is no error."""

    def names(self) -> list[str]:
        """Every stored file's name, sorted."""


def _safe(name: str) -> str:
    """The bare file name: no folders, so a name from the database can never point elsewhere."""
    base = os.path.basename(name or "")
    if not base or base in (".", ".."):
        raise FileNotFoundError(name)
    return base


class FolderFiles:
    """Files in a folder: ``instance/uploads`` by default, or a folder every server mounts (NFS, CephFS)."""

    def __init__(self, root: str):
        self.root = root

    def _path(self, name):
        return os.path.join(self.root, _safe(name))

    def staging_dir(self):
        """The folder itself, so ``put`` is one rename (partial names end in ``.part``)."""
        os.makedirs(self.root, exist_ok=True)
        return self.root

    def put(self, name, source, content_type):
        """Move ``source`` into place under ``name`` (a copy when it is on another file system)."""
        os.makedirs(self.root, exist_ok=True)
        shutil.move(source, self._path(name))

    def open(self, name):
        """The file opened for reading."""
        return open(self._path(name), "rb")

    def delete(self, name):
        """Remove it if it is there."""
        try:
            os.remove(self._path(name))
        except FileNotFoundError:
            pass

    def names(self):
        """Every file of the folder but half-written ones."""
        if not os.path.isdir(self.root):
            return []
        return sorted(n for n in os.listdir(self.root)
                      if not n.endswith(".part") and os.path.isfile(os.path.join(self.root, n)))


class BucketFiles:
    """Files as objects ``<prefix><name>`` in an S3-compatible bucket, through boto3."""

    def __init__(self, *, bucket: str, prefix: str = "", endpoint_url: str = "", staging: str | None = None):
        import boto3  # only instances that use a bucket need it (pip install 'roundtable[scale]')

        self.bucket, self.prefix = bucket, prefix
        self.staging = staging or tempfile.gettempdir()
        self.client = boto3.client("s3", endpoint_url=endpoint_url or None)

    def _key(self, name):
        return f"{self.prefix}{_safe(name)}"

    @staticmethod
    def _missing(exc):
        """Whether boto3's error says there is no such object."""
        from botocore.exceptions import ClientError

        return isinstance(exc, ClientError) and exc.response.get("Error", {}).get("Code") in (
            "NoSuchKey", "404", "NotFound")

    def staging_dir(self):
        """A local folder for the upload while it is checked (the instance's tmp folder)."""
        os.makedirs(self.staging, exist_ok=True)
        return self.staging

    def put(self, name, source, content_type):
        """Upload ``source`` as the object (multipart for big files), then remove the local copy."""
        try:
            self.client.upload_file(source, self.bucket, self._key(name), ExtraArgs={"ContentType": content_type})
        finally:
            os.remove(source)

    def open(self, name):
        """The object's body, streamed as it is read."""
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(name))["Body"]
        except Exception as exc:
            if self._missing(exc):
                raise FileNotFoundError(name) from None
            raise

    def delete(self, name):
        """Delete the object (S3 answers the same whether it was there or not)."""
        self.client.delete_object(Bucket=self.bucket, Key=self._key(name))

    def names(self):
        """Every object under the prefix, by name."""
        out = []
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix):
            out.extend(item["Key"][len(self.prefix):] for item in page.get("Contents", []))
        return sorted(n for n in out if n and "/" not in n)


def folder(config, instance_path: str) -> str:
    """The uploads folder of the ``local`` backend: ``UPLOADS_DIR``, else ``instance/uploads``."""
    return os.path.abspath(config.get("UPLOADS_DIR") or os.path.join(instance_path, "uploads"))


def from_config(config, instance_path: str) -> Files:
    """The storage the settings name; a setting that cannot work is a FilesError saying what to set."""
    backend = (config.get("UPLOADS_BACKEND") or "local").lower()
    if backend == "local":
        return FolderFiles(folder(config, instance_path))
    if backend != "s3":
        raise FilesError(f"ROUNDTABLE_UPLOADS_BACKEND={backend!r} is not one of {', '.join(BACKENDS)}.")
    if not config.get("UPLOADS_S3_BUCKET"):
        raise FilesError("ROUNDTABLE_UPLOADS_BACKEND=s3 needs ROUNDTABLE_UPLOADS_S3_BUCKET (the bucket's name); "
                         "set ROUNDTABLE_UPLOADS_S3_ENDPOINT_URL too unless it is Amazon S3.")
    try:
        return BucketFiles(bucket=config["UPLOADS_S3_BUCKET"], prefix=config.get("UPLOADS_S3_PREFIX") or "",
                           endpoint_url=config.get("UPLOADS_S3_ENDPOINT_URL") or "",
                           staging=os.path.join(instance_path, "tmp"))
    except ImportError:
        raise FilesError("ROUNDTABLE_UPLOADS_BACKEND=s3 needs boto3: pip install 'roundtable[scale]'.") from None
