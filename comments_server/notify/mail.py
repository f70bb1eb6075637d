"""Deliver sign-in links: by SMTP when ROUNDTABLE_SMTP_HOST is set, else to the log and console."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

import click


def send_signin_link(config, logger, *, to, name, link):
    """Send (or, without SMTP, log and print) a sign-in link."""
    if not config.get("SMTP_HOST"):
        logger.warning("Sign-in link for %s: %s", to, link)
        click.echo(f"Sign-in link for {to}: {link}", err=True)
        return
    message = EmailMessage()
    message["Subject"] = "Your Roundtable sign-in link"
    message["From"] = config["SMTP_FROM"]
    message["To"] = to
    minutes = config["LOGIN_LINK_MINUTES"]
    message.set_content(
        f"Hello {name},\n\nOpen this link to sign in to Roundtable:\n\n{link}\n\n"
        f"It works once and expires in {minutes} minutes. If you did not ask for it, ignore this mail.\n"
    )
    with open_smtp(config) as smtp:
        smtp.send_message(message)


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
