"""Forwarding statements to a Learning Record Store, in batches, losing nothing.

The cursor (``lrs_cursor``, migration 0004) holds the id of the last event the
store accepted. A batch is the next events after it; the cursor moves only
after the store answers 2xx, so a store that is down, slow or failing keeps
the events for the next try. Statement ids are stable (``exports``), so a
batch sent twice (the answer lost on the way back) is kept once by the store.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.request

from comments_server.domain import exports
from comments_server.store import dashboard as store
from comments_server.store.db import write_transaction

RETRYABLE = {408, 425, 429, 500, 502, 503, 504}


class LrsError(Exception):
    """The store refused or could not be reached after every attempt."""


def post_batch(endpoint, statements, *, user="", password="", timeout=10):
    """POST a list of statements to ``{endpoint}/statements``; return the HTTP status."""
    request = urllib.request.Request(
        endpoint.rstrip("/") + "/statements", data=json.dumps(statements).encode(), method="POST",
        headers={"Content-Type": "application/json", "X-Experience-API-Version": "1.0.3"})
    if user or password:
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def send_with_retry(send, statements, *, attempts=5, backoff=1.0, sleep=time.sleep):
    """Send one batch, retrying unreachable or 5xx/429 answers with doubling waits; raise LrsError."""
    problem = ""
    for attempt in range(attempts):
        try:
            status = send(statements)
        except OSError as exc:  # refused, reset, timed out
            status, problem = None, f"unreachable: {exc}"
        else:
            if 200 <= status < 300:
                return status
            problem = f"HTTP {status}"
            if status not in RETRYABLE:
                raise LrsError(f"The learning record store refused the batch ({problem}).")
        if attempt + 1 < attempts:
            sleep(backoff * 2 ** attempt)
    raise LrsError(f"The learning record store did not accept the batch after {attempts} attempts ({problem}).")


def forward(db, *, endpoint, context, user="", password="", batch=100, attempts=5, backoff=1.0,
            sleep=time.sleep, name="default"):
    """Send every event after the cursor, batch by batch; return ``{"sent", "batches", "last_event_id"}``.

    Stops at the first batch the store does not accept (LrsError is raised
    after recording it on the cursor); everything sent before stays sent.
    """
    def send(statements):
        return post_batch(endpoint, statements, user=user, password=password)

    sent = batches = 0
    while True:
        after = store.lrs_cursor(db, name=name)["last_event_id"]
        rows = store.events_page(db, after_id=after, limit=batch)
        if not rows:
            return {"sent": sent, "batches": batches, "last_event_id": after}
        statements = exports.statements(rows, **context)
        try:
            if statements:
                send_with_retry(send, statements, attempts=attempts, backoff=backoff, sleep=sleep)
        except LrsError as exc:
            with write_transaction(db):
                store.set_lrs_cursor(db, name=name, error=str(exc))
            raise
        with write_transaction(db):
            store.set_lrs_cursor(db, name=name, last_event_id=rows[-1]["id"], sent=len(statements))
        sent, batches = sent + len(statements), batches + 1
