"""An upload cannot hurt (issue 11): a presentation whose zip inflates to half a gigabyte is refused with 400
through the API, the server's memory stays small, and nothing is left on disk."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

from comments_server.web.uploads import ODP_MIME

from .test_presentations_api import upload, uploads


def _bomb():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("mimetype", "w") as member:
            member.write(ODP_MIME)
            zeros = b"\x00" * (1 << 20)
            for _ in range(512):
                member.write(zeros)
    return buf.getvalue()


def test_a_zip_bomb_presentation_is_refused_in_little_memory(app, as_user):
    data = _bomb()
    assert len(data) < 2 << 20
    tracemalloc.start()
    try:
        answer = upload(as_user("ana"), data=data, name="deck.odp")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert answer.status_code == 400 and "does not look like" in answer.get_json()["error"]
    assert peak < 100 << 20, f"the request held {peak / 1e6:.0f} MB"
    assert uploads(app) == []
