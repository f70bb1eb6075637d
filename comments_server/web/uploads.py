"""What an uploaded presentation really is: its bytes checked against its extension, in bounded memory and time.

Each check reads at most a few kilobytes, however the file is built: a zip is
judged by its central directory (entry count first, from the end record) and
by at most a few bytes of one member, never by inflating a member whole (a
1 MB .odp whose ``mimetype`` inflates to gigabytes took 2 GB and 7 s before);
an MP4 by its first boxes, whose sizes must fit the file.
"""

from __future__ import annotations

import os
import struct
import zipfile

ODP_MIME = b"application/vnd.oasis.opendocument.presentation"
MAX_ZIP_ENTRIES = 10_000  # a real deck has tens to a few thousand parts
MP4_BOXES = {b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"uuid", b"meta", b"pdin", b"moof",
             b"sidx", b"styp", b"mfra", b"prft", b"emsg"}
MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"M4A ",
              b"dash", b"3gp4", b"3gp5", b"3g2a", b"mmp4", b"MSNV", b"qt  ", b"f4v "}


def looks_like(path: str, ext: str) -> bool:
    """True when the file's bytes match what its extension says (pdf, mp4, webm, pptx, odp)."""
    check = {"pdf": _pdf, "mp4": _mp4, "webm": _webm, "pptx": _pptx, "odp": _odp}.get(ext)
    try:
        return bool(check and check(path))
    except (OSError, KeyError, zipfile.BadZipFile, struct.error, EOFError, ValueError, NotImplementedError):
        return False


def _head(path, n=64):
    with open(path, "rb") as f:
        return f.read(n)


def _pdf(path):
    """A PDF starts with %PDF- and ends, within its last kilobyte, with %%EOF."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        head = f.read(8)
        f.seek(max(0, size - 1024))
        tail = f.read()
    return head.startswith(b"%PDF-") and b"%%EOF" in tail


def _mp4(path):
    """An MP4 is a chain of boxes: ftyp first with a known brand, then known boxes whose sizes fit the file."""
    size = os.path.getsize(path)
    offset, seen = 0, 0
    with open(path, "rb") as f:
        while offset < size and seen < 4:
            f.seek(offset)
            header = f.read(16)
            if len(header) < 8:
                return False
            length, kind = struct.unpack(">I4s", header[:8])
            if length == 1:  # a 64-bit size follows
                length = struct.unpack(">Q", header[8:16])[0]
            elif length == 0:  # the box runs to the end of the file
                length = size - offset
            if length < 8 or offset + length > size or kind not in MP4_BOXES:
                return False
            if seen == 0 and (kind != b"ftyp" or header[8:12] not in MP4_BRANDS):
                return False
            offset, seen = offset + length, seen + 1
    return seen >= 2 or offset == size


def _webm(path):
    """A WebM starts with the EBML magic and names its DocType webm early."""
    head = _head(path, 64)
    return head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head


def _zip_entries(path):
    """The entry count from the zip's end record, without reading the central directory (None: not a zip)."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        f.seek(max(0, size - 22 - 65535))  # the end record sits within the last 64 KB + 22 bytes
        tail = f.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    return struct.unpack("<H", tail[at + 10:at + 12])[0]


def _zip(path):
    """Open a zip only if it starts like one and its entry count is that of a document, else None."""
    if not _head(path, 4).startswith(b"PK\x03\x04"):
        return None
    entries = _zip_entries(path)
    if entries is None or entries == 0xFFFF or entries > MAX_ZIP_ENTRIES:  # 0xFFFF: zip64, never a deck
        return None
    return zipfile.ZipFile(path)


def _pptx(path):
    """A pptx is a zip holding ppt/presentation.xml."""
    archive = _zip(path)
    if archive is None:
        return False
    with archive:
        return "ppt/presentation.xml" in archive.namelist()


def _odp(path):
    """An odp is a zip whose first member, ``mimetype``, stored small, names the presentation type."""
    archive = _zip(path)
    if archive is None:
        return False
    with archive:
        info = archive.getinfo("mimetype")
        if info.file_size > 200:  # the real one is 47 bytes; a bigger one is not an odp (or is a bomb)
            return False
        with archive.open(info) as member:
            return member.read(len(ODP_MIME) + 2).strip() == ODP_MIME
