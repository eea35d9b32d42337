"""Events test helpers: the outbox, attachments, and valid answers for the event form."""

from __future__ import annotations

import html
import json
import re
from datetime import timedelta

from sqlalchemy import select

from portal.blueprints.events.services import EVENT_FIELDS, EventData
from portal.core.db import utcnow
from portal.core.mail import OutboxMessage


def outbox(session, to: str | None = None) -> list[OutboxMessage]:
    """Queued emails, oldest first, optionally only those to one address."""
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if to is not None:
        query = query.where(OutboxMessage.recipient == to)
    return list(session.scalars(query))


def subjects(session, to: str | None = None) -> list[str]:
    return [m.subject for m in outbox(session, to)]


def attachments(message: OutboxMessage) -> list[dict]:
    return json.loads(message.attachments_json)


def future_form(days: int = 30, **changes) -> dict:
    """Valid answers for the event form: an online event ``days`` from now, in London."""
    day = (utcnow() + timedelta(days=days)).date().isoformat()
    values = {
        "title": "Finding a mentor",
        "summary": "How to find a mentor who fits.",
        "description": "We talk about **finding** a mentor.",
        "agenda": "1. Welcome\n2. Talk",
        "start_date": day,
        "start_time": "18:00",
        "end_date": day,
        "end_time": "19:30",
        "timezone": "Europe/London",
        "format": "online",
        "join_url": "https://meet.example.org/finding",
        "venue": "",
        "capacity": "20",
        "deadline_date": "",
        "deadline_time": "",
        "hosts": "hana@example.org",
        "topics": "Careers, Mentoring",
        "access_notes": "Ask us for anything else.",
        "live_captions": True,
    }
    values.update(changes)
    return values


def event_data(event, **changes):
    """The event's current values as the form would give them, with ``changes``."""
    values = {name: getattr(event, name) for name in EVENT_FIELDS}
    hosts = changes.pop("hosts", list(event.hosts))
    topics = changes.pop("topics", [t.name for t in event.topics])
    values.update(changes)
    return EventData(values, hosts, topics)


def text_of(response) -> str:
    """The response body with HTML character references decoded ("You're", not "You&#39;re")."""
    return html.unescape(response.get_data(as_text=True))


def csrf_token(browser, url: str = "/sign-in") -> str:
    """A CSRF token for this browser's session, read from a page's form."""
    page = browser.client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
