"""Sign-in links go out by SMTP when ROUNDTABLE_SMTP_HOST is set: from the outbox worker, never inside the request."""

from __future__ import annotations

import socketserver
import threading

import pytest

from comments_server.notify.worker import Worker

from .conftest import PEOPLE


class FakeSMTP(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: records each message's DATA."""

    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 fake ready")
        while line := self.rfile.readline().decode():
            verb = line[:4].upper()
            if verb == "DATA":
                self.reply("354 go on")
                body = []
                while (row := self.rfile.readline().decode()) != ".\r\n":
                    body.append(row)
                self.server.messages.append("".join(body))
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


@pytest.fixture
def smtp_server():
    """A fake SMTP server on a free port; yields it (its .messages fill up)."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), FakeSMTP)
    server.messages = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_link_is_mailed_when_smtp_is_configured(app, anon, smtp_server, capsys):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.server_address[1],
                      SMTP_STARTTLS=False)
    assert anon.post("/api/auth/request-link", {"email": PEOPLE["coach"][0]}).status_code == 202
    assert smtp_server.messages == []  # nothing is sent inside the request
    Worker(app).run_once()
    (message,) = smtp_server.messages
    assert f"To: {PEOPLE['coach'][0]}" in message and "/signin/?token=" in message
    assert "Sign-in link" not in capsys.readouterr().err


def test_mail_failure_is_logged_and_still_202(app, anon, caplog):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=1, SMTP_STARTTLS=False)
    assert anon.post("/api/auth/request-link", {"email": PEOPLE["coach"][0]}).status_code == 202
    Worker(app).run_once()
    assert "Could not send the sign-in link" in caplog.text
