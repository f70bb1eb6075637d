"""Uploads cannot hurt (issue 11): a presentation's type is judged from a few bytes in bounded memory; a zip bomb,
a zip of ten thousand parts or a file with only the right first bytes is refused."""

from __future__ import annotations

import struct
import tracemalloc
import zipfile

import pytest

from comments_server.web.uploads import ODP_MIME, looks_like


def _odp(path, mimetype=ODP_MIME, compress=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=compress)
        z.writestr("content.xml", "<office:document-content/>")
    return path


def _box(kind, payload=b""):
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


MP4 = _box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41") + _box(b"moov", b"\x00" * 32) + _box(b"mdat", b"\x01" * 64)


@pytest.mark.parametrize("ext, make", [
    ("odp", lambda p: _odp(p)),
    ("pptx", lambda p: zipfile.ZipFile(p, "w").writestr("ppt/presentation.xml", "<p:presentation/>") or p),
    ("pdf", lambda p: p.write_bytes(b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n") and p),
    ("mp4", lambda p: p.write_bytes(MP4) and p),
    ("webm", lambda p: p.write_bytes(b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + b"\x00" * 32) and p),
])
def test_real_files_of_each_kind_pass(tmp_path, ext, make):
    path = tmp_path / f"deck.{ext}"
    make(path)
    assert looks_like(str(path), ext)


def test_an_odp_whose_mimetype_inflates_to_half_a_gigabyte_is_refused_in_little_memory(tmp_path):
    path = tmp_path / "bomb.odp"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("mimetype", "w", force_zip64=False) as member:
            member.write(ODP_MIME)
            zeros = b"\x00" * (1 << 20)
            for _ in range(512):
                member.write(zeros)
    assert path.stat().st_size < 2 << 20  # about half a megabyte on disk
    tracemalloc.start()
    try:
        assert not looks_like(str(path), "odp")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20, f"the check held {peak / 1e6:.1f} MB"


def test_a_small_compressed_mimetype_that_is_right_still_passes(tmp_path):
    assert looks_like(str(_odp(tmp_path / "deflated.odp", compress=zipfile.ZIP_DEFLATED)), "odp")


def test_a_zip_of_ten_thousand_parts_is_not_a_deck(tmp_path):
    path = tmp_path / "many.pptx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("ppt/presentation.xml", "<p:presentation/>")
        for i in range(10_001):
            z.writestr(f"x/{i}", b"")
    assert not looks_like(str(path), "pptx")


@pytest.mark.parametrize("ext, data", [
    ("mp4", b"\x00\x00\x00\x18ftyp" + b"garbage that only starts like an mp4"),
    ("mp4", _box(b"ftyp", b"zzzz\x00\x00\x00\x00") + _box(b"mdat", b"x")),  # an unknown brand
    ("mp4", _box(b"ftyp", b"isom\x00\x00\x00\x00") + struct.pack(">I4s", 4096, b"mdat")),  # a box past the end
    ("pdf", b"%PDF-1.7 but cut off before its end"),
    ("odp", b"PK\x03\x04 not really a zip"),
    ("webm", b"\x1a\x45\xdf\xa3 matroska only"),
])
def test_files_with_only_the_right_first_bytes_are_refused(tmp_path, ext, data):
    path = tmp_path / f"fake.{ext}"
    path.write_bytes(data)
    assert not looks_like(str(path), ext)


def test_an_odp_with_a_wrong_or_missing_mimetype_is_refused(tmp_path):
    assert not looks_like(str(_odp(tmp_path / "text.odp", mimetype=b"application/vnd.oasis.opendocument.text")),
                          "odp")
    path = tmp_path / "none.odp"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("content.xml", "<x/>")
    assert not looks_like(str(path), "odp")
