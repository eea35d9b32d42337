"""Events test data."""

from __future__ import annotations

import itertools
from datetime import timedelta

from sqlalchemy.orm import Session

from portal.blueprints.events.models import Event, EventStatus
from portal.core.db import utcnow

_numbers = itertools.count(1)


def make_event(session: Session, *, hosts=(), starts_in: timedelta = timedelta(days=7),
               duration: timedelta = timedelta(hours=2), status: EventStatus = EventStatus.PUBLISHED,
               **fields) -> Event:
    number = next(_numbers)
    # Whole minutes, as the event form enters them, so saving the form unchanged changes no time.
    starts = utcnow().replace(second=0, microsecond=0) + starts_in
    event = Event(
        title=fields.pop("title", f"Event {number}"),
        summary=fields.pop("summary", f"Summary of event {number}"),
        starts_at=starts,
        ends_at=starts + duration,
        timezone=fields.pop("timezone", "Europe/London"),
        format=fields.pop("format", "online"),
        join_url=fields.pop("join_url", "https://meet.example.org/room"),
        status=status.value,
        going_count=0,
        **fields,
    )
    event.hosts = list(hosts)
    session.add(event)
    session.flush()
    return event
