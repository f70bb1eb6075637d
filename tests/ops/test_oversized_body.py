"""An oversized body's 413 says ``Connection: close`` and then closes (issue 11): a server that answered
keep-alive and then dropped the connection it could not drain left the client guessing. Raw sockets
against a real `roundtable serve`; a refusal whose body was read keeps the connection."""

from __future__ import annotations

import socket

import pytest
from support.journeys import MODULE, PEOPLE, journey_port, journey_site  # noqa: F401
from support.live import LiveServer, free_port

pytestmark = pytest.mark.browser  # a real `roundtable serve`, like the browser tests

UPLOAD = f"/api/activities/{MODULE}/presentation/presentation"


@pytest.fixture(scope="module")
def server(journey_site, tmp_path_factory):  # noqa: F811
    """The journey program served with a 1 MB upload limit and a 64 KB JSON limit."""
    running = LiveServer(journey_site, tmp_path_factory.mktemp("instance"), free_port(),
                         MAX_UPLOAD_MB=1, MAX_CONTENT_LENGTH=64 * 1024).start()
    running.add_people(PEOPLE)
    yield running
    running.stop()


def _post(server, http, path, content_type, body: bytes):
    """Send one POST on a fresh socket; return (socket, status line + headers as a dict)."""
    cookie = "; ".join(f"{k}={v}" for k, v in http.cookies.items())
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    sock.sendall((f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n"
                  f"X-CSRF-Token: {http.headers['X-CSRF-Token']}\r\nContent-Type: {content_type}\r\n"
                  f"Content-Length: {len(body)}\r\n\r\n").encode())
    try:
        sock.sendall(body)
    except OSError:  # the server may stop reading once it has answered
        pass
    return sock, _read_response(sock)


def _read_response(sock):
    """Read one response (headers and its Content-Length body); return its status and headers."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"the connection closed before a whole answer: {data!r}"
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    while len(rest) < int(headers.get("content-length", 0)):
        rest += sock.recv(65536)
    return {"status": int(lines[0].split()[1]), **headers}


def _closed(sock) -> bool:
    """Whether the server ended the connection (EOF or reset) rather than waiting for another request."""
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


@pytest.mark.parametrize(("path", "content_type", "size"), [
    (UPLOAD, "multipart/form-data; boundary=rt", 3 * 1024 * 1024),  # a presentation over 1 MB
    ("/api/notifications/read", "application/json", 512 * 1024),  # JSON over 64 KB
])
def test_an_oversized_body_is_answered_413_with_connection_close(server, path, content_type, size):
    http = server.api_as("lea@example.com")
    sock, answer = _post(server, http, path, content_type, b"a" * size)
    with sock:
        assert answer["status"] == 413
        assert answer["connection"] == "close"
        assert _closed(sock)


def test_a_refusal_that_read_the_body_keeps_the_connection_alive(server):
    http = server.api_as("lea@example.com")
    sock, answer = _post(server, http, "/api/notifications/read", "application/json", b'{"ids": "x"}')
    with sock:
        assert answer["status"] == 400 and answer.get("connection", "keep-alive") == "keep-alive"  # HTTP/1.1's default
        sock.sendall(b"GET /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert _read_response(sock)["status"] == 200  # the same connection serves the next request
