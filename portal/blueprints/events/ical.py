"""Events as RFC 5545 calendars: a stable UID, SEQUENCE raised on each change,
STATUS:CANCELLED on cancellation, times in the event's own zone."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import parseaddr
from urllib.parse import urlsplit

from flask import current_app
from icalendar import Calendar, Event as IcalEvent

from portal.blueprints.events.models import Event
from portal.core.mail import external_url
from portal.core.time import zone


def _uid(event: Event) -> str:
    host = urlsplit(external_url("pages.home")).hostname or "portal"
    return f"event-{event.id}@{host}"


def _component(event: Event, stamp: datetime) -> IcalEvent:
    url = external_url("events.show", event_id=event.id)
    item = IcalEvent()
    item.add("uid", _uid(event))
    item.add("dtstamp", stamp)
    item.add("sequence", event.sequence)
    item.add("dtstart", event.starts_at.astimezone(zone(event.timezone)))
    item.add("dtend", event.ends_at.astimezone(zone(event.timezone)))
    item.add("summary", event.title)
    item.add("description", f"{event.summary}\n\n{url}")
    item.add("url", url)
    item.add("location", event.venue if event.event_format.has_venue and event.venue else "Online")
    item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    item.add("last-modified", event.updated_at)
    item.add("organizer", f"mailto:{_organizer()}", parameters={"cn": current_app.config["SITE_NAME"]})
    return item


def _organizer() -> str:
    return parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1] or "no-reply@localhost"


def event_calendar(events: Iterable[Event], name: str | None = None, method: str = "PUBLISH") -> str:
    """A VCALENDAR with one VEVENT per event and the VTIMEZONEs they need. ``method``
    CANCEL (RFC 5546) makes mail clients remove the entry, not just mark it."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{current_app.config['SITE_NAME']}//Events//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    stamp = datetime.now(UTC)
    for event in events:
        calendar.add_component(_component(event, stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()
