"""Notification commands: ``flask --app portal send-digests``."""

from __future__ import annotations

import click

from portal.blueprints.notifications.services import send_digests
from portal.extensions import db


def digests_pass(session) -> int:
    """Queue the daily digests that are due and commit; returns how many were queued."""
    sent = send_digests(session)
    session.commit()
    return sent


@click.command("send-digests")
def send_digests_command() -> None:
    """Email each person their notifications waiting for the daily digest.
    Run it once a day (from cron); each notification is included once."""
    click.echo(f"Queued {digests_pass(db.session)} digests.")
