"""Events test helpers: subjects and attachments of queued email, and valid answers for the
event form."""

from __future__ import annotations

import json
from datetime import timedelta

from portal.blueprints.events.services import EVENT_FIELDS, EventData
from portal.core.db import utcnow
from portal.core.mail import OutboxMessage
from tests.helpers import outbox


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

