"""Operator commands: ``flask --app portal <command>``. Features add their own."""

from __future__ import annotations

import sys
import threading

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import text

from portal import schema
from portal.core.background import run_periodically, start_thread
from portal.core.features import registry
from portal.core.mail import deliver_due
from portal.core.rendered import render_stale
from portal.extensions import db

db_cli = AppGroup("db", help="Database migrations (Alembic).")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the newest); at the newest, render again
    the stored Markdown that an older renderer wrote."""
    schema.upgrade(db.engine, revision)
    now_at = schema.current(db.engine)
    click.echo(f"Database at {now_at}.")
    if now_at == schema.head(db.engine):
        _render(everything=False)


@click.command("render-markdown")
@click.option("--all", "everything", is_flag=True, help="Every row, not only those an older renderer wrote.")
def render_markdown_command(everything: bool) -> None:
    """Render stored Markdown into its HTML columns again, after a renderer change."""
    _render(everything)


def _render(everything: bool) -> None:
    count = render_stale(db.session, everything)
    if count or everything:
        click.echo(f"Rendered {count} {'text' if count == 1 else 'texts'} with Markdown.")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Undo migrations down to REVISION ("base" for an empty database)."""
    schema.downgrade(db.engine, revision)
    click.echo(f"Database at {schema.current(db.engine)}.")


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    schema.revision(db.engine, message)


@db_cli.command("check")
def db_check() -> None:
    """Exit 1 when the models have changes no migration holds."""
    changes = schema.pending_changes(db.engine)
    for change in changes:
        click.echo(f"pending: {change}")
    sys.exit(1 if changes else 0)


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only when the database has no accounts yet.")
def seed_demo(if_empty: bool) -> None:
    """Load every feature's demo data; running it again adds nothing twice."""
    if if_empty and _has_accounts():
        click.echo("The database already has accounts; demo data not loaded.")
        return
    context: dict = {}
    made = [summary for f in registry().features if f.demo and (summary := f.demo(db.session, context))]
    db.session.commit()
    click.echo(f"Demo data ready: {', '.join(made)}.")


def _has_accounts() -> bool:
    return db.session.execute(text("SELECT 1 FROM user_account LIMIT 1")).first() is not None


@click.command("mail-worker")
@click.option("--once", is_flag=True, help="Deliver what is due now, then stop.")
def mail_worker(once: bool) -> None:
    """Deliver queued email, retrying failures with backoff."""
    if once:
        sent, failed = deliver_due(db.session)
        click.echo(f"Sent {sent}, failed {failed}.")
        return
    app = current_app._get_current_object()
    stop = threading.Event()
    click.echo("Mail worker running; Ctrl+C stops it.")
    try:
        run_periodically(app, deliver_due, app.config["MAIL_WORKER_INTERVAL"], stop)
    except KeyboardInterrupt:
        stop.set()


@click.command("scheduler")
@click.option("--once", is_flag=True, help="Run every job once now, then stop.")
def scheduler(once: bool) -> None:
    """Run every feature's scheduled work (event reminders, notification digests), each
    at its own interval: one such process for the whole site, beside the app servers."""
    jobs = [job for feature in registry().features for job in feature.background]
    if once:
        for job in jobs:
            click.echo(f"{job.name}: {job.run(db.session)}")
        return
    app = current_app._get_current_object()
    stops = [start_thread(app, job.run, app.config[job.interval], job.name) for job in jobs]
    click.echo(f"Scheduler running {', '.join(job.name for job in jobs)}; Ctrl+C stops it.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        for stop in stops:
            stop.set()


def register(app: Flask) -> None:
    for command in (db_cli, seed_demo, mail_worker, render_markdown_command, scheduler):
        app.cli.add_command(command)
    for feature in app.extensions["features"].features:
        for command in feature.commands:
            app.cli.add_command(command)
