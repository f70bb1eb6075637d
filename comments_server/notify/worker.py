"""The outbox worker: daily checks, daily digests, and mail delivery with retries.

Delivery guarantees, and how:

* nothing lost: a mail is a row written in the transaction of the event;
  the worker only changes its status, and a failure puts it back to
  ``pending`` with a later ``next_attempt`` (doubling from
  ``NOTIFY_RETRY_SECONDS`` up to ``NOTIFY_RETRY_MAX_SECONDS``). After
  ``NOTIFY_MAX_ATTEMPTS`` (or a permanent 5xx refusal) it stays ``failed``
  with its error, listed for admins at GET /api/admin/outbox.
* nothing sent twice: each row is claimed by a conditional UPDATE checked
  by its rowcount (``sending``, with the worker's name and time), so of two
  workers that read the same due rows one takes each, whatever the database
  locks; a row is marked ``sent`` right after the server accepts it. A claim older than ``NOTIFY_LEASE_SECONDS``
  (a worker that died) is claimed again; the only window for a duplicate
  is a crash between the server's "250 OK" and that one-row UPDATE, and a
  resend then carries the same Message-ID.
* without ``SMTP_HOST`` each mail is written to the log and marked sent.
* one bad row does not stop the rest: a row that cannot even be built into
  a mail is kept as ``failed`` with its error, and the batch goes on.
* sign-in links (kind ``signin``) are claimed first, never digested and
  never subject to preferences; the request only queued the address typed,
  and the worker makes the token for whoever it belongs to (nobody: the row
  is dropped), so the request takes the same time for every address.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import smtplib
import socket
import threading

from comments_server.domain import clock, links
from comments_server.domain.completion import learner_due_date
from comments_server.notify import emails, mail
from comments_server.notify.core import KINDS, notify
from comments_server.store import completions, tokens, users
from comments_server.store import notifications as store
from comments_server.store.db import connect, write_transaction

log = logging.getLogger("roundtable.worker")
HOUR = dt.timedelta(hours=1)

class Worker:
    """One outbox worker for an app; ``run_once`` does one round, ``run`` loops until stopped."""

    def __init__(self, app, *, name=None, also=()):
        self.app = app
        self.also = tuple(also)  # more work for each round, ``task(db)``: e.g. follow-ups left behind (ops/cli.py)
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
        self.checked_day = None

    def setting(self, key):
        """Return a worker setting (ROUNDTABLE_NOTIFY_*, declared in settings.py)."""
        return int(self.app.config[key])

    def run_once(self, at=None):
        """Run the daily checks and digests when due, then send what is due; return counts.

        ``at`` defaults to the app's clock (``CLOCK``), which every write of the round asks too.
        """
        app_clock = self.app.extensions["clock"]
        db = connect(self.app.config["DATABASE"])
        try:
            root = links.site_root(self.app.config.get("BASE_URL"))
            with self.app.app_context(), clock.use(app_clock), links.use_root(root):
                for task in self.also:  # first: what they write (notifications, mail) goes out this round
                    task(db)
                at = at or app_clock.now()
                if self.checked_day != at.date():
                    self.daily_checks(db, at)
                    self.checked_day = at.date()
                digests = self.make_digests(db, at)
                sent, failed = self.deliver(db, at)
        finally:
            db.close()
        return {"digests": digests, "sent": sent, "failed": failed}

    def run(self, stop, *, parent_pid=None):
        """Loop until ``stop`` (a threading.Event) is set, or the parent process is gone."""
        log.info("Outbox worker %s started", self.name)
        while not stop.is_set():
            if parent_pid and os.getppid() != parent_pid:
                break  # `roundtable serve` died without stopping us
            try:
                self.run_once()
            except Exception:  # a bad round must not end the worker; the rows stay in the outbox
                log.exception("Outbox worker round failed")
            stop.wait(self.setting("NOTIFY_INTERVAL_SECONDS"))
        log.info("Outbox worker %s stopped", self.name)

    # ----------------------------------------------------------------------- delivery

    def deliver(self, db, at):
        """Claim due rows (sign-in links first) and send them over one SMTP connection; return (sent, failed)."""
        rows = store.claim(db, worker=self.name, at=at, lease_seconds=self.setting("NOTIFY_LEASE_SECONDS"),
                           limit=self.setting("NOTIFY_BATCH"))
        rows = self.within_hourly_limit(db, rows, at)
        if not rows:
            return 0, 0
        if not self.app.config.get("SMTP_HOST"):
            return self.each_row(db, rows, at, lambda row: self.log_row(db, row), transport="log")
        try:
            smtp = mail.open_smtp(self.app.config)
        except (OSError, smtplib.SMTPException) as exc:
            for row in rows:
                self.failed(db, row, exc, at)
            return 0, len(rows)
        with smtp:
            return self.each_row(db, rows, at, lambda row: self.send_row(smtp, db, row), transport="smtp")

    def within_hourly_limit(self, db, rows, at):
        """Keep each person within NOTIFY_MAX_PER_HOUR notification mails an hour; sign-in links never wait.

        Of a person's claimed mails, those the hour has room for go. When more
        are due than that, the last mail the hour allows carries the rest as
        its items (one mail "N notifications"); with no room left, they go back
        to the queue until the hour's oldest mail is an hour old, and are then
        sent (or folded) the same way. Nothing is dropped.
        """
        most = self.setting("NOTIFY_MAX_PER_HOUR")
        if most <= 0:
            return rows
        keep, waiting = [], {}
        for row in rows:
            if row["kind"] == store.SIGNIN or row["user_id"] is None:
                keep.append(row)
            else:
                waiting.setdefault(row["user_id"], []).append(row)
        for user_id, mine in waiting.items():
            sent, oldest = store.sent_since(db, user_id=user_id, since=at - HOUR)
            room = most - sent
            if len(mine) <= room:
                keep += mine
            elif room <= 0:
                store.hold(db, ids=[r["id"] for r in mine], until=dt.datetime.fromisoformat(oldest) + HOUR)
            else:
                keep += mine[:room - 1]
                rest = mine[room - 1:]
                items = [item for row in rest for item in _items(row)]
                store.fold(db, rows=rest, items=items, user_id=user_id, to_addr=rest[0]["to_addr"], at=at,
                           subject=f"{len(items)} Roundtable notifications (held back: at most {most} mails an hour)")
        return sorted(keep, key=lambda r: (r["kind"] != store.SIGNIN, r["id"]))

    def each_row(self, db, rows, at, send, *, transport):
        """Deliver claimed rows one by one with ``send(row)``; a row that fails never stops the rest of the batch."""
        sent = failed = 0
        for row in rows:
            try:
                done = send(row)
            except (OSError, smtplib.SMTPException) as exc:
                self.failed(db, row, exc, at)
                failed += 1
                continue
            except Exception as exc:  # the row cannot become a mail (e.g. a line break in a header): no retry helps
                log.exception("Mail %s to %s cannot be built", row["id"], row["to_addr"])
                self.failed(db, row, exc, at, permanent=True)
                failed += 1
                continue
            if done:
                # at once (the duplicate window), at the round's time (the hourly limit counts by it)
                store.mark_sent(db, outbox_id=row["id"], transport=transport, at=at)
                sent += 1
        return sent, failed

    def send_row(self, smtp, db, row):
        """Send one row over ``smtp``; False when there was nothing to send (a sign-in asked for no one)."""
        message = self.message(db, row)
        if message is None:
            return False
        smtp.send_message(message)
        return True

    def message(self, db, row):
        """Return the EmailMessage of one claimed row, or None for a sign-in request for no one."""
        if row["kind"] != store.SIGNIN:
            return emails.build(row, config=self.app.config, base=self.base(row))
        found = self.signin_link(db, row)
        if found is None:
            return None
        person, link = found
        return mail.signin_message(self.app.config, to=person["email"], name=person["name"], link=link)

    def signin_link(self, db, row):
        """Make the sign-in link a request asked for: (person, link), or None (and the row dropped) for no one.

        The request only queued the address typed, the same work for enrolled
        and unknown addresses; here, out of the request, the person is looked
        up and the token made (its LOGIN_LINK_MINUTES count from now).
        """
        person = users.get_user(db, email=row["to_addr"])
        if person is None:
            store.drop(db, outbox_id=row["id"])
            return None
        with write_transaction(db):
            token = tokens.add_token(db, user_id=person["id"], next_url=row["url"],
                                     minutes=self.setting("LOGIN_LINK_MINUTES"))
        return person, links.signin_link(self.base(row), token, row["url"])

    def failed(self, db, row, exc, at, *, permanent=False):
        """Record one failed attempt with its error; schedule the next with a doubling wait."""
        attempts = row["attempts"] + 1
        permanent = permanent or isinstance(exc, smtplib.SMTPRecipientsRefused) or (
            isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500)
        wait = min(self.setting("NOTIFY_RETRY_SECONDS") * 2 ** (attempts - 1), self.setting("NOTIFY_RETRY_MAX_SECONDS"))
        give_up = permanent or attempts >= self.setting("NOTIFY_MAX_ATTEMPTS")
        error = f"{type(exc).__name__}: {exc}"
        store.mark_failed(db, outbox_id=row["id"], error=error,
                          retry_at=None if give_up else at + dt.timedelta(seconds=wait))
        what = "Could not send the sign-in link" if row["kind"] == store.SIGNIN else "Mail"
        log.warning("%s %s to %s failed (attempt %s%s): %s", what, row["id"], row["to_addr"], attempts,
                    ", giving up" if give_up else "", error)

    def base(self, row):
        """Return the site root for links: BASE_URL, else the host the event came in on (domain/links)."""
        return links.site_root(self.app.config.get("BASE_URL"), row["base_url"], default=links.DEFAULT_ROOT)

    def log_row(self, db, row):
        """Write a mail to the log instead of sending it (no SMTP_HOST configured); False if none was due."""
        if row["kind"] == store.SIGNIN:
            found = self.signin_link(db, row)
            if found is not None:
                mail.show_signin_link(log, to=found[0]["email"], link=found[1])
            return found is not None
        message = emails.build(row, config=self.app.config, base=self.base(row))
        log.warning("Mail to %s (no SMTP_HOST configured): %s\n%s", row["to_addr"], row["subject"],
                    message.get_body(("plain",)).get_content())
        return True

    # ----------------------------------------------------------------------- digests

    def make_digests(self, db, at):
        """From NOTIFY_DIGEST_HOUR on, queue one digest per person per day with their waiting items."""
        if at.hour < self.setting("NOTIFY_DIGEST_HOUR"):
            return 0
        made = 0
        for user_id in store.digest_due_people(db):
            with write_transaction(db):
                made += bool(self.digest_for(db, user_id, at))
        return made

    def digest_for(self, db, user_id, at):
        """Queue one person's digest for the day (inside a write); None if it went out already today."""
        person = store.recipient(db, user_id=user_id)
        items = store.digest_items(db, user_id=user_id)
        if person is None or not items:
            return None
        counts = ", ".join(f"{sum(i['kind'] == k for i in items)} × {KINDS[k][0].lower()}"
                           for k in KINDS if any(i["kind"] == k for i in items))
        outbox_id = store.enqueue(
            db, user_id=user_id, to_addr=person["email"], kind="digest", when=at,
            subject=f"Your Roundtable digest for {at.date().isoformat()}: {len(items)} new", text=counts,
            items=[{k: i[k] for k in ("kind", "subject", "text", "url")} for i in items],
            dedupe_key=f"digest:{user_id}:{at.date().isoformat()}")
        if outbox_id:
            store.attach_to_digest(db, ids=[i["id"] for i in items], outbox_id=outbox_id)
        return outbox_id

    # ----------------------------------------------------------------------- daily checks

    def daily_checks(self, db, at):
        """Remind reviewers of reviews due soon; tell coaches about learners falling behind."""
        today = at.date()
        for row in store.open_assignments_due(db):
            with write_transaction(db):
                self.remind(db, row, today)
        for cohort in store.live_cohorts(db):
            for learner_id in store.cohort_people(db, cohort_id=cohort["id"], role="learner"):
                with write_transaction(db):
                    self.check_behind(db, cohort, learner_id, today)

    def remind(self, db, row, today):
        """Remind one reviewer when their review is due within NOTIFY_REMINDER_DAYS."""
        # the reviewer's own due date for the module: the same rule as progress and the dashboard
        due = learner_due_date(row, {"id": row["module_id"], "due_days": row["due_days"]}, row["reviewer_joined"])
        if due is None or not today <= due <= today + dt.timedelta(days=self.setting("NOTIFY_REMINDER_DAYS")):
            return
        notify(db, kind="review_reminder", recipients=[row["reviewer_id"]], actor=None,
               subject=f"Reminder: your review of {row['presenter_name']}'s presentation is due {due.isoformat()}",
               text=f"“{row['module_title']}”: the review is due on {due.isoformat()}.",
               url=links.review_path(row["module_url"], row["submission_id"]), dedupe_key=f"reminder:{row['id']}")

    def check_behind(self, db, cohort, learner_id, today):
        """Tell a cohort's coaches when a learner has more overdue modules than they were last told of.

        Overdue is the dashboard's rule, asked of the same function (store/completions.overdue_modules):
        the cohort's own due dates, and work left to do (waiting for feedback is never overdue).
        """
        overdue = completions.overdue_modules(db, user_id=learner_id, cohort=cohort, today=today)
        if not overdue:
            return
        person = store.recipient(db, user_id=learner_id)
        notify(db, kind="learner_behind", recipients=store.cohort_people(db, cohort_id=cohort["id"], role="coach"),
               actor=None, subject=f"{person['name']} is behind by {len(overdue)} module(s) in {cohort['id']}",
               text="Overdue: " + ", ".join(m["title"] for m in overdue), url=links.learner_path(cohort["id"], learner_id),
               dedupe_key=f"behind:{cohort['id']}:{learner_id}:{len(overdue)}")


def _items(row):
    """What one outbox row tells, as digest items: a digest's own items, or the one notification."""
    if row["kind"] == "digest":
        return json.loads(row["items"] or "[]")
    return [{k: row[k] for k in ("kind", "subject", "text", "url")}]


def start_thread(app):
    """Start a worker in a daemon thread of this process; return (thread, stop event)."""
    stop = threading.Event()
    thread = threading.Thread(target=Worker(app).run, args=(stop,), name="roundtable-outbox", daemon=True)
    thread.start()
    return thread, stop


def run_command(app, *, once=False, parent_pid=None, also=()):
    """`roundtable worker`: one round (``once``) or rounds until SIGTERM/SIGINT (or the parent is gone)."""
    import signal

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    worker = Worker(app, also=also)
    if once:
        return worker.run_once()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    worker.run(stop, parent_pid=parent_pid)
    return None


def spawn(app):
    """Start `python -m comments_server worker` beside `roundtable serve`; None when turned off.

    One separate process, whatever the number of web workers: each web
    worker is a fork of the app, so a thread started in the app would run once
    per worker, and threads in the serving process do not mix with its forking
    and signal handling. The child exits when serve's process is gone.
    """
    import subprocess
    import sys

    if not app.config["NOTIFY_EMBEDDED_WORKER"]:
        return None
    return subprocess.Popen([sys.executable, "-m", "comments_server", "worker", "--parent-pid", str(os.getpid())])
