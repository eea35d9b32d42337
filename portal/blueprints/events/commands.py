"""Event commands: ``flask --app portal send-reminders``."""

from __future__ import annotations

import click

from portal.blueprints.events.services import send_reminders
from portal.extensions import db


def reminders_pass(session) -> int:
    """Send the reminders that are due and commit; returns how many were sent."""
    sent = send_reminders(session)
    session.commit()
    return sent


@click.command("send-reminders")
def send_reminders_command() -> None:
    """Email everyone going to an event that starts within a day. Run it as often as
    you like (from cron, say every 10 minutes): each reminder goes once."""
    click.echo(f"Sent {reminders_pass(db.session)} reminders.")
