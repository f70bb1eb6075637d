"""Server commands: serve, worker, migrate, roster import, user add/remove, reviews escalate, login-link, seed-demo, export, lrs-forward."""

from __future__ import annotations

import click

from comments_server.domain.links import DEFAULT_ROOT
from comments_server.ops.sizing import THREADS, shape

DEFAULT_BASE = DEFAULT_ROOT.rstrip("/")


def _app():
    """Create the app from the environment (ROUNDTABLE_* and ROUNDTABLE_INSTANCE_PATH), its clock the command's;
    refusals as messages."""
    from comments_server import create_app
    from comments_server.domain import clock
    from comments_server.web.app import InstanceError

    try:
        app = create_app()
    except (InstanceError, ValueError) as exc:  # a lost database, a setting of the wrong type
        raise click.ClickException(str(exc)) from None
    clock.install(app.extensions["clock"])  # a command's writes (joined dates, tokens) are on the app's clock
    return app


def _context(app):
    """The app's context and site root for a command's actions (mail they queue links to BASE_URL)."""
    from contextlib import ExitStack

    from comments_server.domain import links

    stack = ExitStack()
    stack.enter_context(app.app_context())
    stack.enter_context(links.use_root(links.site_root(app.config["BASE_URL"])))
    return stack


def _person(db, email):
    """Return the person with this e-mail address, or stop the command saying there is no one."""
    from comments_server.store import users

    person = users.get_user(db, email=email)
    if person is None:
        raise click.ClickException(f"No one with email {email!r}.")
    return person


def _db(app):
    """Open the app's database outside a request."""
    from comments_server.store.db import connect

    return connect(app.config["DATABASE"])


@click.group()
def commands():
    """Server commands, added to the `roundtable` group by roundtable/cli.py."""


@commands.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, help="Port to listen on.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="worker processes  [default: one per CPU this process may use]")
@click.option("--threads", type=click.IntRange(min=1), default=None, help=f"Threads per worker  [default: {THREADS}]")
@click.option("--quiet", is_flag=True, help="No access log.")
def serve(host, port, workers, threads, quiet):
    """Serve the built site and the API from one port (granian)."""
    from comments_server.domain import links
    from comments_server.ops.serve import record_root, run

    workers, threads = shape(workers, threads)
    app = _app()  # applies migrations and syncs the catalog before any worker starts
    root = links.listening_root(host, port)
    click.echo(f"Roundtable is serving {app.config['SITE_DIR']} and the API at {root} "
               f"(workers: {workers}, threads per worker: {threads})")
    from comments_server.notify.worker import spawn

    forget = record_root(app, root)  # `roundtable login-link` prints links to this server
    outbox = spawn(app)  # the notification worker: one process beside the web workers (issue 7)
    try:
        run(app, host=host, port=port, workers=workers, threads=threads, quiet=quiet)
    finally:
        forget()
        if outbox is not None:
            outbox.terminate()
            outbox.wait(10)


@commands.command()
@click.option("--once", is_flag=True, help="Run one round (checks, digests, sending) and exit.")
@click.option("--parent-pid", type=int, default=None, hidden=True, help="Exit when this process is gone.")
def worker(once, parent_pid):
    """Send notification mail from the outbox (retries, digests, daily checks) until stopped."""
    from comments_server.actions.bus import BUS
    from comments_server.notify.worker import run_command

    # each round also runs the after-commit follow-ups a request left behind (it died, or one failed)
    counts = run_command(_app(), once=once, parent_pid=parent_pid, also=[BUS.finish_pending])
    if counts is not None:
        click.echo(f"digests queued: {counts['digests']}, sent: {counts['sent']}, failed: {counts['failed']}")


@commands.command()
def migrate():
    """Apply pending database migrations (the server also does this at start)."""
    from comments_server.store import schema
    from comments_server.store.db import describe

    app = _app()
    db = _db(app)
    applied = schema.apply(db)
    db.close()
    click.echo(f"{describe(app.config['DATABASE'])}: migrations applied: {', '.join(applied)}")


@commands.group()
def roster():
    """People and cohorts from CSV."""


@roster.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def roster_import(path):
    """Import FILE.csv with columns email,name,cohort,role,manager_email (all or nothing)."""
    from comments_server.ops.roster import RosterError, import_roster

    app = _app()
    db = _db(app)
    try:
        with _context(app):
            counts = import_roster(db, path)
    except RosterError as exc:
        raise click.ClickException(
            f"{path}: nothing imported, fix these rows first:\n" + "\n".join(exc.problems))
    finally:
        db.close()
    click.echo(f"Imported {counts['rows']} rows ({counts['people']} people) from {path}.")


@commands.group()
def user():
    """Manage people."""


@user.command("add")
@click.argument("email")
@click.option("--name", default=None, help="Display name.")
@click.option("--admin", is_flag=True, help="Make this person an admin.")
@click.option("--cohort", default=None, help="Cohort id to add them to.")
@click.option("--role", type=click.Choice(["learner", "coach", "manager", "observer"]),
              default=None, help="Role in --cohort (default learner).")
def user_add(email, name, admin, cohort, role):
    """Add a person (or update them), optionally with a role in a cohort."""
    from comments_server.actions.people import PersonError, add_user

    if role and not cohort:
        raise click.UsageError("--role needs --cohort.")
    app = _app()
    db = _db(app)
    try:
        with _context(app):
            person = add_user(db, email=email, name=name, admin=admin, cohort=cohort, role=role)
    except PersonError as exc:
        raise click.BadParameter(str(exc), param_hint={"email": "EMAIL"}.get(exc.field, f"--{exc.field}")) from None
    finally:
        db.close()
    click.echo(f"{person['email']} ({person['name']})" + (f": {role or 'learner'} in {cohort}" if cohort else ""))


@user.command("remove")
@click.argument("email")
@click.option("--cohort", required=True, help="Cohort id to take them out of.")
def user_remove(email, cohort):
    """Take a person out of a cohort; their open peer reviews go to others of the cohort."""
    from comments_server.actions.people import remove_user

    app = _app()
    db = _db(app)
    try:
        person = _person(db, email)
        with _context(app):
            role = remove_user(db, user_id=person["id"], cohort_id=cohort)
    finally:
        db.close()
    if role is None:
        raise click.ClickException(f"{person['email']} is not in cohort {cohort!r}.")
    click.echo(f"{person['email']} ({role}) removed from {cohort}.")


@commands.group()
def reviews():
    """Peer reviews."""


@reviews.command("escalate")
@click.option("--days", default=None, type=int,
              help="Days after the due date before more peers are asked (twice that: the coaches); "
                   "default REVIEW_ESCALATION_DAYS or 3.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Run as if it were this date (YYYY-MM-DD), e.g. to catch up after downtime.")
def reviews_escalate(days, today):
    """Offer presentations still short of reviews to more peers, then the coach (run daily, e.g. from cron)."""
    from comments_server.actions import reviews as actions
    from comments_server.domain import xapi

    app = _app()
    days = days if days is not None else app.config["REVIEW_ESCALATION_DAYS"]
    db = _db(app)
    try:
        with app.app_context():
            done = actions.escalate_all(db, days=days, today=today.date() if today else None,
                                        xapi_base=xapi.base_from(app.config))
    finally:
        db.close()
    for (activity_id, cohort_id), added in sorted(done.items()):
        click.echo(f"{activity_id} in {cohort_id}: {len(added)} new review assignment(s)")
    click.echo(f"Escalated {sum(len(a) for a in done.values())} review assignment(s) in {len(done)} cohort(s).")


@commands.command("login-link")
@click.argument("email")
@click.option("--next", "next_url", default="", help="Path to open after signing in, e.g. /sales/.")
@click.option("--base-url", default=None,
              help=f"Public URL of the site (default BASE_URL, else where `roundtable serve` runs, else {DEFAULT_BASE}).")
def login_link(email, next_url, base_url):
    """Print a sign-in link for EMAIL, valid for 7 days, for an admin to hand out."""
    from comments_server.domain import links
    from comments_server.ops.auth_links import signin_link_for
    from comments_server.ops.serve import recorded_root
    from comments_server.store import users

    app = _app()
    db = _db(app)
    try:
        person = users.get_user(db, email=email)
        if person is None:
            raise click.ClickException(f"No one with email {email!r}; add them with `roundtable user add`.")
        base = links.cli_root(base_url, app.config["BASE_URL"], recorded_root(app))
        click.echo(signin_link_for(app, db, person, base_url=base, next_url=next_url))
    finally:
        db.close()


@commands.command("seed-demo")
@click.option("--base-url", default=DEFAULT_BASE, show_default=True, help="Where the links point.")
def seed_demo_command(base_url):
    """Seed demo people for every cohort and a few posts; print a sign-in link per role."""
    from comments_server.ops.seed import seed_demo

    app = _app()
    links = seed_demo(app, base_url)
    if len(links) == 1:
        click.echo("No cohorts in the catalog yet: run `roundtable build` first.", err=True)
    for role, name, email, link in links:
        click.echo(f"{role:8} {name} <{email}>\n         {link}")


@commands.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "xapi"]), default="csv", show_default=True,
              help="CSV, or xAPI 1.0.3 statements as a JSON array (events only).")
@click.option("--what", type=click.Choice(["matrix", "events"]), default="events", show_default=True,
              help="The learners x modules matrix of a cohort, or the event log.")
@click.option("--cohort", default=None, help="Cohort id (needed for the matrix; events default to all).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="-",
              help="File to write (default: standard output).")
def export_command(fmt, what, cohort, output):
    """Export the dashboard matrix or the events as CSV or xAPI statements."""
    from comments_server.ops.exports import run_export

    run_export(_app(), fmt=fmt, what=what, cohort=cohort, output=output)


@commands.command("lrs-forward")
@click.option("--batch", default=100, show_default=True, help="Statements per request.")
@click.option("--attempts", default=5, show_default=True, help="Tries per batch before giving up for now.")
@click.option("--backoff", default=1.0, show_default=True, help="First wait between tries, in seconds (doubles).")
def lrs_forward_command(batch, attempts, backoff):
    """Send new events to the learning record store (ROUNDTABLE_LRS_ENDPOINT, _USER, _PASSWORD)."""
    from comments_server.ops.exports import run_lrs_forward

    run_lrs_forward(_app(), batch=batch, attempts=attempts, backoff=backoff)


@commands.command("settings")
def settings_command():
    """Print every server setting (ROUNDTABLE_*) with its default and meaning, as a Markdown table."""
    from comments_server.settings import markdown_table

    click.echo(markdown_table(), nl=False)


@user.command("sign-out")
@click.argument("email")
def user_sign_out(email):
    """End every session of a person (a lost laptop, someone leaving): they must sign in again."""
    from comments_server.store import sessions

    db = _db(_app())
    try:
        person = _person(db, email)
        ended = sessions.end_all(db, user_id=person["id"])
    finally:
        db.close()
    click.echo(f"{person['email']}: {ended} session{'s' * (ended != 1)} ended.")


def _sqlite_only(database, instead):
    """Refuse a SQLite-only command on PostgreSQL, naming the tool to use instead."""
    from comments_server.store.db import describe, is_postgres

    if is_postgres(database):
        raise click.ClickException(f"This instance runs on PostgreSQL ({describe(database)}); back it up and "
                                   f"restore it with PostgreSQL's own tools, e.g. `{instead}`.")


@commands.command("backup")
@click.argument("dest", type=click.Path(file_okay=False))
def backup_command(dest):
    """Copy the database (online, while the server runs) and the uploads into the new folder DEST."""
    from comments_server.ops.backup import BackupError, backup

    app = _app()
    _sqlite_only(app.config["DATABASE"], "pg_dump --format=custom --file=DEST/roundtable.dump")
    try:
        manifest = backup(database=app.config["DATABASE"], files=app.extensions["uploads"], dest=dest)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    rows = sum(manifest["tables"].values())
    click.echo(f"Backed up {rows} rows in {len(manifest['tables'])} tables and {len(manifest['files']) - 1} "
               f"upload(s) into {dest} ({manifest['taken']}). Restore with: roundtable restore {dest}")


def _config():
    """The server's own settings (environment and instance folder), read without starting it."""
    from flask import Config

    from comments_server import settings

    config = Config(settings.instance_path())
    try:
        settings.load(config)
    except ValueError as exc:  # a setting of the wrong type, a bad DATABASE_URL
        raise click.ClickException(str(exc)) from None
    return config


@commands.command("restore")
@click.argument("src", type=click.Path(exists=True, file_okay=False))
@click.option("--replace", is_flag=True, help="Replace an instance that holds data (stop its server first); "
                                              "its current files are kept beside it.")
def restore_command(src, replace):
    """Bring the backup in SRC into this instance (checked against its manifest first)."""
    from comments_server.ops.backup import BackupError, restore
    from comments_server.store import files

    config = _config()  # without starting the server: it would refuse an instance without a database
    _sqlite_only(config["DATABASE"], "pg_restore --dbname=URL SRC/roundtable.dump")
    try:
        manifest = restore(src=src, database=config["DATABASE"], instance_path=config.root_path,
                           files=files.from_config(config, config.root_path), replace=replace)
    except (BackupError, files.FilesError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Restored the backup of {manifest['taken']} into {config.root_path}. "
               "Start the server: roundtable serve")


@user.command("export")
@click.argument("email")
@click.argument("output", type=click.Path(dir_okay=False))
def user_export(email, output):
    """Write everything Roundtable holds about a person to OUTPUT.zip: person.json and their uploads."""
    import json
    import os
    import shutil
    import zipfile

    from comments_server.actions.person_data import export_document

    app = _app()
    db = _db(app)
    try:
        person = _person(db, email)
        document = export_document(db, user_id=person["id"])
    finally:
        db.close()
    files = app.extensions["uploads"]
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("person.json", json.dumps(document, indent=2, sort_keys=True, default=str))
        for name in document["uploads"]:
            try:
                stream = files.open(name)
            except FileNotFoundError:
                continue
            with stream, z.open(f"uploads/{os.path.basename(name)}", "w") as member:
                shutil.copyfileobj(stream, member)
    rows = sum(len(v) for v in document["tables"].values())
    click.echo(f"{email}: {rows} records and {len(document['uploads'])} upload(s) written to {output}.")


@user.command("erase")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do it: erasure cannot be undone (take `roundtable user export` first).")
def user_erase(email, yes):
    """Erase a person: their text, uploads, sessions and name go; others' replies and figures stay (anonymous)."""
    from comments_server.actions.person_data import erase_person

    if not yes:
        raise click.UsageError("Erasure cannot be undone: add --yes (export first with `roundtable user export`).")
    app = _app()
    db = _db(app)
    try:
        person = _person(db, email)
        done = erase_person(db, user_id=person["id"], files=app.extensions["uploads"])
    finally:
        db.close()
    changed = sum(done["rows"].values())
    click.echo(f"{email} erased: {changed} records emptied, anonymised or deleted; "
               f"{done['files_removed']} upload(s) removed.")


@commands.group()
def db():
    """The database itself: moving an instance to PostgreSQL."""


@db.command("copy")
@click.option("--to", "target", required=True, metavar="postgresql://USER:PASSWORD@HOST/NAME",
              help="An empty PostgreSQL database (createdb NAME); the schema is created there.")
def db_copy(target):
    """Copy this SQLite instance's data (a consistent snapshot, while it runs) into an empty PostgreSQL
    database, verify every table's rows and checksum on both sides, and say what to do next."""
    import sys

    from comments_server.ops import db_copy as mover

    config = _config()
    database = config["DATABASE"]
    with click.progressbar(length=mover.count_rows(database), label="Copying rows", file=sys.stderr, show_pos=True) as bar:
        try:
            report = mover.copy(database=database, target=target, progress=bar.update)
        except mover.CopyError as exc:
            raise click.ClickException(str(exc)) from None
    for table, figures in report["tables"].items():
        click.echo(f"  {table:<28} {figures['rows']:>9} rows  checksum {figures['checksum']}  same on both sides")
    click.echo(mover.next_steps(report, target=target, instance_path=config.root_path))
