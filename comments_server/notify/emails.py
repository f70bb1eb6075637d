"""Notification mails: plain text + HTML (escaped), a link to act on, and a one-click unsubscribe (RFC 8058)."""

from __future__ import annotations

import hashlib
import html
import json
from email.message import EmailMessage
from urllib.parse import urlencode, urljoin

from itsdangerous import BadSignature, URLSafeSerializer

from comments_server.notify.core import KINDS

UNSUBSCRIBE_SALT = "roundtable-unsubscribe"
ALL_KINDS = "*"  # a digest's unsubscribe link stops every kind of mail


def unsubscribe_token(secret, *, user_id, kind):
    """Return a signed token that unsubscribes one person from one kind of mail (or all: ``*``)."""
    return URLSafeSerializer(secret, salt=UNSUBSCRIBE_SALT).dumps({"u": user_id, "k": kind})


def read_unsubscribe_token(secret, token):
    """Return ``(user_id, kind)`` of a valid token, or None."""
    try:
        data = URLSafeSerializer(secret, salt=UNSUBSCRIBE_SALT).loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or data.get("k") not in {*KINDS, ALL_KINDS}:
        return None
    return data["u"], data["k"]


def build(row, *, config, base):
    """Return the EmailMessage for one outbox row; ``base`` is the site's public root ending in '/'."""
    kind = ALL_KINDS if row["kind"] == "digest" else row["kind"]
    unsubscribe = urljoin(base, "unsubscribe?" + urlencode(
        {"token": unsubscribe_token(config["SECRET_KEY"], user_id=row["user_id"], kind=kind)}))
    text, body_html = (_digest(row, base) if row["kind"] == "digest" else _single(row, base))
    what = "these mails" if kind == ALL_KINDS else f"mails about “{KINDS[kind][0].lower()}”"
    prefs = urljoin(base, "notifications/")
    message = EmailMessage()
    message["Subject"] = row["subject"]
    message["From"] = config["SMTP_FROM"]
    message["To"] = row["to_addr"]
    message["Message-ID"] = _message_id(row, config)
    message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(f"{text}\n\n-- \nStop {what}: {unsubscribe}\nAll your choices: {prefs}\n")
    message.add_alternative(
        f"<!doctype html><html><body style=\"font-family: sans-serif\">{body_html}"
        f"<hr><p style=\"font-size: smaller; color: #555\"><a href=\"{_e(unsubscribe)}\">Stop {_e(what)}</a>"
        f" · <a href=\"{_e(prefs)}\">All your choices</a></p></body></html>\n", subtype="html")
    return message


def _single(row, base):
    """Return (text, html) of a one-event mail."""
    link = urljoin(base, row["url"])
    text = f"{row['subject']}\n\n{row['text']}\n\nOpen it: {link}"
    body = (f"<p><strong>{_e(row['subject'])}</strong></p><blockquote>{_e(row['text'])}</blockquote>"
            f"<p><a href=\"{_e(link)}\">Open it on the site</a></p>")
    return text, body


def _digest(row, base):
    """Return (text, html) of a daily digest: the items grouped by kind, each with its link."""
    items = json.loads(row["items"] or "[]")
    text, body = [row["subject"]], [f"<p><strong>{_e(row['subject'])}</strong></p>"]
    for kind in [k for k in KINDS if any(i["kind"] == k for i in items)]:
        group = [i for i in items if i["kind"] == kind]
        text += ["", f"{KINDS[kind][0]} ({len(group)})"]
        body.append(f"<h3>{_e(KINDS[kind][0])} ({len(group)})</h3><ul>")
        for item in group:
            link = urljoin(base, item["url"])
            text.append(f"- {item['subject']}\n  {link}")
            body.append(f"<li><a href=\"{_e(link)}\">{_e(item['subject'])}</a><br>{_e(item['text'])}</li>")
        body.append("</ul>")
    return "\n".join(text), "".join(body)


def _message_id(row, config):
    """Return a Message-ID fixed by the outbox row: a resend after a crash is recognisably the same mail."""
    domain = config["SMTP_FROM"].rpartition("@")[2] or "roundtable.invalid"
    digest = hashlib.sha256(f"{config['SECRET_KEY']}:{row['id']}:{row['created']}".encode()).hexdigest()[:16]
    return f"<outbox-{row['id']}.{digest}@{domain}>"


def _e(text):
    """Escape text for HTML (quotes too, for attributes)."""
    return html.escape(str(text), quote=True)
