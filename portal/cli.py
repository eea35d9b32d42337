"""Operator commands: ``flask --app portal <command>``."""

from __future__ import annotations

import sys
import threading

import click
from email_validator import EmailNotValidError, validate_email
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from portal.blueprints.accounts import demo as accounts_demo
from portal.blueprints.accounts.models import User
from portal.blueprints.accounts.passwords import problem_with
from portal.blueprints.accounts.services import AccountError, NewAccount, create_verified_user
from portal.core import migrations
from portal.blueprints.events import demo as events_demo
from portal.blueprints.events.services import send_reminders
from portal.blueprints.forums import demo as forums_demo
from portal.blueprints.forums.services import send_digests
from portal.core.background import run_periodically
from portal.core.mail import deliver_due
from portal.core.permissions import Role
from portal.extensions import db

db_cli = AppGroup("db", help="Database migrations (Alembic).")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    migrations.upgrade(db.engine, revision)
    click.echo(f"Database at {migrations.current(db.engine)}.")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Undo migrations down to REVISION ("base" for an empty database)."""
    migrations.downgrade(db.engine, revision)
    click.echo(f"Database at {migrations.current(db.engine)}.")


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    migrations.revision(db.engine, message)


@db_cli.command("check")
def db_check() -> None:
    """Exit 1 when the models have changes no migration holds."""
    changes = migrations.pending_changes(db.engine)
    for change in changes:
        click.echo(f"pending: {change}")
    sys.exit(1 if changes else 0)


@click.command("create-user")
@click.argument("email")
@click.option("--name", required=True, help="Display name.")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.MEMBER.value)
@click.option("--password-stdin", is_flag=True, required=True, help="Read the password from standard input.")
def create_user(email: str, name: str, role: str, password_stdin: bool) -> None:
    """Create a verified account with EMAIL, without any prompt."""
    password = sys.stdin.readline().rstrip("\r\n")
    problem = _problem_with_account(email, name, password)
    if problem:
        raise click.ClickException(problem)
    try:
        user = create_verified_user(db.session, NewAccount(email, name, password, Role(role)))
    except AccountError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Created {user.email} ({user.role_label}).")


def _problem_with_account(email: str, name: str, password: str) -> str | None:
    """What stops this account being created, the same rules as registering."""
    try:
        validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        return f"{email.strip()!r} is not an email address: {error}"
    if not name.strip():
        return "Give a display name with --name"
    if len(name.strip()) > User.display_name.type.length:
        return f"The display name must be {User.display_name.type.length} characters or fewer"
    return problem_with(password, email=email, name=name)


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only when the database has no accounts yet.")
def seed_demo(if_empty: bool) -> None:
    """Load demo data; running it again adds nothing twice."""
    if if_empty and db.session.scalar(select(User.id).limit(1)) is not None:
        click.echo("The database already has accounts; demo data not loaded.")
        return
    people = accounts_demo.seed(db.session)
    events = events_demo.seed(db.session, people)
    threads = forums_demo.seed(db.session, people)
    db.session.commit()
    click.echo(f"Demo data ready: {len(people)} demo accounts (password '{accounts_demo.DEMO_PASSWORD}'), "
               f"{events} events, {threads} forum threads.")


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


def reminders_pass(session) -> int:
    """Send the reminders that are due and commit; returns how many were sent."""
    sent = send_reminders(session)
    session.commit()
    return sent


def digests_pass(session) -> int:
    """Queue the daily digests that are due and commit; returns how many were queued."""
    sent = send_digests(session)
    session.commit()
    return sent


@click.command("send-digests")
def send_digests_command() -> None:
    """Email each person who chose a daily digest their notifications not yet emailed.
    Run it once a day (from cron); each notification is included once."""
    click.echo(f"Queued {digests_pass(db.session)} digests.")


@click.command("send-reminders")
def send_reminders_command() -> None:
    """Email everyone going to an event that starts within a day. Run it as often as
    you like (from cron, say every 10 minutes): each reminder goes once."""
    click.echo(f"Sent {reminders_pass(db.session)} reminders.")


def register(app: Flask) -> None:
    for command in (db_cli, create_user, seed_demo, mail_worker, send_reminders_command, send_digests_command):
        app.cli.add_command(command)

