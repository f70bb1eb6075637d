"""The work behind `roundtable export` and `roundtable lrs-forward` (thin click commands in ../cli.py)."""

from __future__ import annotations

import json

import click

from comments_server.domain import timeutil
from comments_server.store import dashboard as store
from comments_server.store.db import connect


def run_export(app, *, fmt, what, cohort, output):
    """Write the matrix or the events of a cohort (or of every cohort) to ``output``."""
    from comments_server.dashboard import service
    from comments_server.domain import exports, figures

    if what == "matrix" and fmt != "csv":
        raise click.UsageError("The matrix exports as CSV only: use --format csv.")
    if what == "matrix" and not cohort:
        raise click.UsageError("--what matrix needs --cohort.")
    db = connect(app.config["DATABASE"])
    try:
        with app.app_context():
            rows = store.cohorts_with_programs(db, cohort_ids=[cohort]) if cohort else None
            if cohort and not rows:
                raise click.BadParameter(f"unknown cohort {cohort!r}", param_hint="--cohort")
            if what == "matrix":
                view = service.snapshot(db, cohort=rows[0], today=timeutil.now().date())
                text = exports.matrix_csv(figures.matrix(view))
            else:
                body = service.export_events(db, cohort_ids=[cohort] if cohort else None, fmt=fmt)
                text = json.dumps(body, indent=1) + "\n" if fmt == "xapi" else body
    finally:
        db.close()
    with click.open_file(output, "w") as f:
        f.write(text)
    if output != "-":
        click.echo(f"Wrote {what} ({fmt}) to {output}.", err=True)


def run_lrs_forward(app, *, batch, attempts, backoff):
    """Forward new events to the configured learning record store; exit 1 when it did not accept them."""
    from comments_server.dashboard import service
    from comments_server.ops import lrs

    endpoint = app.config.get("LRS_ENDPOINT")
    if not endpoint:
        raise click.UsageError("Set ROUNDTABLE_LRS_ENDPOINT (and _USER, _PASSWORD) to forward statements.")
    db = connect(app.config["DATABASE"])
    try:
        with app.app_context():
            context = service.export_context(db)
        done = lrs.forward(db, endpoint=endpoint, context=context, user=app.config["LRS_USER"],
                           password=app.config["LRS_PASSWORD"], batch=batch, attempts=attempts,
                           backoff=backoff)
    except lrs.LrsError as exc:
        raise click.ClickException(f"{exc} Nothing is lost: the next run starts where this one stopped.")
    finally:
        db.close()
    click.echo(f"Sent {done['sent']} statements in {done['batches']} batches; last event {done['last_event_id']}.")
