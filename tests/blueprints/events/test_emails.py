"""Event emails: in the reader's time zone, plain text when they ask, never to people who left."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar

from portal.blueprints.events import services
from portal.blueprints.events.services import Needs
from portal.core.db import utcnow
from tests.blueprints.accounts.factories import make_user
from tests.blueprints.events.factories import make_event
from tests.blueprints.events.support import attachments, event_data
from tests.helpers import outbox


def test_times_are_in_the_events_zone_and_the_readers(session, host):
    event = make_event(session, hosts=[host], title="Zones", timezone="Europe/London")
    reader = make_user(session, timezone="America/New_York")
    services.rsvp(session, event, reader, True, Needs())
    [mail] = outbox(session, reader.email)
    assert "your time, E" in mail.text_body, mail.text_body
    assert " GMT" in mail.text_body or " BST" in mail.text_body


def test_one_zone_is_named_once_for_readers_in_the_events_zone(session, host):
    event = make_event(session, hosts=[host], timezone="Europe/London")
    reader = make_user(session, timezone="Europe/London")
    services.rsvp(session, event, reader, True, Needs())
    assert "your time" not in outbox(session, reader.email)[0].text_body


def test_plain_text_readers_get_no_html(session, event):
    plain = make_user(session, plain_text_email=True)
    rich = make_user(session)
    for person in (plain, rich):
        services.rsvp(session, event, person, True, Needs())
    assert outbox(session, plain.email)[0].html_body is None
    html = outbox(session, rich.email)[0].html_body
    assert "Finding a mentor" in html and f'href="http://portal.test/events/{event.id}"' in html


def test_the_details_link_to_the_event_and_its_calendar_file(session, event, member):
    services.rsvp(session, event, member, True, Needs())
    [mail] = outbox(session, member.email)
    assert f"Event page: http://portal.test/events/{event.id}" in mail.text_body
    assert f"Add to your calendar: http://portal.test/events/{event.id}.ics" in mail.text_body
    [ics] = attachments(mail)
    assert ics["filename"] == "event.ics"
    assert Calendar.from_ical(ics["data"]).walk("VEVENT")[0]["UID"] == f"event-{event.id}@portal.test"


def test_people_who_left_are_not_emailed(session, host):
    full = make_event(session, hosts=[host], capacity=1)
    leaver, waiting = make_user(session), make_user(session)
    services.rsvp(session, full, leaver, True, Needs())
    services.rsvp(session, full, waiting, True, Needs())
    leaver_address = leaver.email
    waiting.deleted_at = utcnow()
    session.flush()
    before = len(outbox(session))
    services.update_event(session, full, event_data(full, starts_at=full.starts_at + timedelta(hours=1),
                                                    ends_at=full.ends_at + timedelta(hours=1)))
    services.cancel(session, full, "")
    recipients = [m.recipient for m in outbox(session)[before:]]
    assert waiting.email not in recipients
    assert recipients == [leaver_address, leaver_address]


def test_a_change_of_time_and_place_names_both(session, event, member):
    services.rsvp(session, event, member, True, Needs())
    later = timedelta(hours=2)
    services.update_event(session, event, event_data(event, starts_at=event.starts_at + later,
                                                     ends_at=event.ends_at + later, format="hybrid",
                                                     venue="The Library"))
    mail = outbox(session, member.email)[-1]
    assert mail.subject == "Changed: Finding a mentor"
    assert "The place and time of this event changed" in mail.text_body
    assert "Venue: The Library" in mail.text_body
