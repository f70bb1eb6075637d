"""Sign-in mail and the SMTP connection: the worker sends by SMTP when ROUNDTABLE_SMTP_HOST is set, else to the log."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

import click

SIGNIN_SUBJECT = "Your Roundtable sign-in link"


def signin_message(config, *, to, name, link):
    """Return the sign-in mail for one person (the worker sends it: sign-in never mails inside a request)."""
    message = EmailMessage()
    message["Subject"] = SIGNIN_SUBJECT
    message["From"] = config["SMTP_FROM"]
    message["To"] = to
    message["Auto-Submitted"] = "auto-generated"
    minutes = config["LOGIN_LINK_MINUTES"]
    message.set_content(
        f"Hello {name},\n\nOpen this link to sign in to Roundtable:\n\n{link}\n\n"
        f"It works once and expires in {minutes} minutes. If you did not ask for it, ignore this mail.\n"
    )
    return message


def show_signin_link(logger, *, to, link):
    """Without SMTP: write a sign-in link to the log and the console, for whoever runs the server."""
    logger.warning("Sign-in link for %s: %s", to, link)
    click.echo(f"Sign-in link for {to}: {link}", err=True)


def open_smtp(config):
    """Connect to ROUNDTABLE_SMTP_HOST:PORT, with STARTTLS and login when configured (a context manager)."""
    smtp = smtplib.SMTP(config["SMTP_HOST"], int(config["SMTP_PORT"]), timeout=10)
    try:
        if config.get("SMTP_STARTTLS"):
            smtp.starttls()
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
    except BaseException:
        smtp.close()
        raise
    return smtp
