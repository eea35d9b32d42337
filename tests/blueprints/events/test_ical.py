"""iCalendar files: one event, the public feed and the personal feed, parsed back as RFC 5545."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from portal.blueprints.events import services
from portal.blueprints.events.models import EventStatus
from portal.blueprints.events.services import Needs
from portal.core.mail import OutboxMessage
from tests.blueprints.accounts.factories import make_user
from tests.blueprints.events.factories import make_event
from tests.blueprints.events.support import event_data


def parse(response) -> Calendar:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.data)


def only_event(calendar: Calendar):
    [vevent] = calendar.walk("VEVENT")
    return vevent


def test_an_events_file_is_a_valid_calendar_in_the_events_zone(client, session, host):
    event = make_event(session, hosts=[host], title="Pitch practice", timezone="America/New_York",
                       format="hybrid", venue="12 High Street")
    response = client.get(f"/events/{event.id}.ics")
    assert response.headers["Content-Disposition"] == f'attachment; filename="event-{event.id}.ics"'
    body = response.data
    assert body.startswith(b"BEGIN:VCALENDAR\r\n") and body.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in body.split(b"\r\n")), "lines are folded at 75 octets"
    calendar = parse(response)
    assert calendar["VERSION"] == "2.0" and "Mentoring Circle" in str(calendar["PRODID"])
    vevent = only_event(calendar)
    assert vevent["UID"] == f"event-{event.id}@portal.test"
    assert vevent["SUMMARY"] == "Pitch practice"
    assert vevent["DTSTART"].params["TZID"] == "America/New_York"
    assert vevent["DTEND"].params["TZID"] == "America/New_York"
    assert vevent.decoded("DTSTART") == event.starts_at
    assert vevent.decoded("DTEND") == event.ends_at
    assert vevent.decoded("DTSTART").utcoffset() in (timedelta(hours=-5), timedelta(hours=-4))
    assert vevent.decoded("DTSTAMP").tzinfo is not None
    assert vevent["STATUS"] == "CONFIRMED"
    assert vevent["LOCATION"] == "12 High Street"
    assert vevent["URL"] == f"http://portal.test/events/{event.id}"
    assert f"http://portal.test/events/{event.id}" in vevent["DESCRIPTION"]
    [zone] = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "America/New_York"


def test_an_online_event_is_located_online(client, session, host):
    event = make_event(session, hosts=[host], venue="Left over from before")
    assert only_event(parse(client.get(f"/events/{event.id}.ics")))["LOCATION"] == "Online"


def test_awkward_titles_survive_the_round_trip(client, session, host):
    title = "Résumés; CVs, and \\ backslashes: a “Q&A”"
    event = make_event(session, hosts=[host], title=title, summary="Line one,\nline two; done")
    vevent = only_event(parse(client.get(f"/events/{event.id}.ics")))
    assert vevent["SUMMARY"] == title
    assert vevent["DESCRIPTION"].startswith("Line one,\nline two; done")


def test_the_uid_stays_and_the_sequence_rises_with_each_change_until_cancelled(client, session, host):
    draft = make_event(session, hosts=[host], status=EventStatus.DRAFT)
    snapshots = []

    def snapshot():
        session.flush()
        snapshots.append(only_event(parse(client.get(f"/events/{draft.id}.ics"))))

    services.publish(session, draft)
    snapshot()
    services.update_event(session, draft, event_data(draft, starts_at=draft.starts_at + timedelta(hours=1)))
    snapshot()
    services.update_event(session, draft, event_data(draft, title="A new name"))
    snapshot()
    services.cancel(session, draft, "")
    snapshot()
    assert len({s["UID"] for s in snapshots}) == 1
    sequences = [s["SEQUENCE"] for s in snapshots]
    assert sequences == sorted(set(sequences)), f"each change raises SEQUENCE: {sequences}"
    assert [s["STATUS"] for s in snapshots] == ["CONFIRMED"] * 3 + ["CANCELLED"]
    assert snapshots[1].decoded("DTSTART") - snapshots[0].decoded("DTSTART") == timedelta(hours=1)
    assert snapshots[2]["SUMMARY"] == "A new name"


def test_a_drafts_file_is_hidden_like_its_page(client, session, host):
    draft = make_event(session, hosts=[host], status=EventStatus.DRAFT)
    assert client.get(f"/events/{draft.id}.ics").status_code == 404
    assert client.get("/events/999999.ics").status_code == 404


def test_the_public_feed_has_upcoming_and_recent_events_but_no_drafts(client, session, host):
    london = make_event(session, hosts=[host], title="London talk")
    tokyo = make_event(session, hosts=[host], title="Tokyo talk", timezone="Asia/Tokyo")
    make_event(session, hosts=[host], title="Called off", status=EventStatus.CANCELLED)
    make_event(session, hosts=[host], title="Last week", starts_in=-timedelta(days=5))
    make_event(session, hosts=[host], title="Long ago", starts_in=-timedelta(days=30))
    make_event(session, hosts=[host], title="Secret", status=EventStatus.DRAFT)
    response = client.get("/events/feed.ics")
    assert response.headers["Content-Disposition"] == 'attachment; filename="events.ics"'
    calendar = parse(response)
    assert calendar["X-WR-CALNAME"] == "Mentoring Circle events"
    by_title = {str(v["SUMMARY"]): v for v in calendar.walk("VEVENT")}
    assert set(by_title) == {"London talk", "Tokyo talk", "Called off", "Last week"}
    assert by_title["Called off"]["STATUS"] == "CANCELLED"
    assert by_title["Tokyo talk"]["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert {str(z["TZID"]) for z in calendar.walk("VTIMEZONE")} == {"Europe/London", "Asia/Tokyo"}
    assert by_title["London talk"]["UID"] == f"event-{london.id}@portal.test"
    assert by_title["Tokyo talk"]["UID"] == f"event-{tokyo.id}@portal.test"


def test_the_personal_feed_has_what_the_person_is_going_to_or_hosting(app, session, host, member):
    attending = make_event(session, hosts=[host], title="Attending", capacity=1)
    hosting = make_event(session, hosts=[member], title="Hosting")
    waiting = make_event(session, hosts=[host], title="Waiting", capacity=1)
    make_event(session, hosts=[host], title="Someone else's")
    services.rsvp(session, attending, member, True, Needs())
    services.rsvp(session, waiting, make_user(session), True, Needs())
    services.rsvp(session, waiting, member, True, Needs())
    token = services.regenerate_feed(session, member)
    response = app.test_client().get(f"/events/calendar-feed/{token}.ics")
    assert response.headers["Cache-Control"] == "private, no-store"
    calendar = parse(response)
    assert calendar["X-WR-CALNAME"] == "My Mentoring Circle events"
    assert {str(v["UID"]) for v in calendar.walk("VEVENT")} == {
        f"event-{attending.id}@portal.test", f"event-{hosting.id}@portal.test"}


def test_an_empty_feed_is_still_a_calendar(client):
    calendar = parse(client.get("/events/feed.ics"))
    assert calendar.walk("VEVENT") == [] and calendar["VERSION"] == "2.0"


@pytest.mark.parametrize("zone_name", ["Europe/London", "Australia/Lord_Howe", "America/St_Johns", "UTC"])
def test_start_times_are_right_in_any_zone(client, session, host, zone_name):
    event = make_event(session, hosts=[host], timezone=zone_name)
    event.starts_at = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # the night the clocks go forward in Europe
    event.ends_at = event.starts_at + timedelta(hours=2)
    session.flush()
    vevent = only_event(parse(client.get(f"/events/{event.id}.ics")))
    assert vevent.decoded("DTSTART") == event.starts_at
    assert vevent.decoded("DTEND") == event.ends_at
    assert vevent.decoded("DTSTART").tzinfo.key == zone_name


def test_the_cancellation_email_carries_a_cancel_request(session, event, member, manager):
    services.rsvp(session, event, member, True, services.Needs())
    services.cancel(session, event, "The venue flooded")
    row = session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == member.email,
                                    OutboxMessage.subject.startswith("Cancelled"))
    ).one()
    [attachment] = json.loads(row.attachments_json)
    assert attachment["content_type"] == "text/calendar; method=CANCEL"
    calendar = Calendar.from_ical(attachment["data"])
    assert calendar["METHOD"] == "CANCEL"
    [vevent] = calendar.walk("VEVENT")
    assert vevent["STATUS"] == "CANCELLED" and str(vevent["ORGANIZER"]).startswith("mailto:")
