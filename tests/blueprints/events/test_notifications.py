"""Promotion from the waiting list, a change and a cancellation are notifications: in the
list, by each person's choice, and by email at once (the default) as the events' own
emails with their calendar files and one-click unsubscribe. Replies, waiting-list places,
reminders and follow-ups are not notifications: they always come at once."""

from __future__ import annotations

from datetime import timedelta

from portal.blueprints.events import services
from portal.blueprints.events.services import Needs
from portal.blueprints.notifications import services as notifications
from tests.blueprints.accounts.factories import make_user
from tests.blueprints.events.factories import make_event
from tests.blueprints.events.support import attachments, event_data, subjects
from tests.helpers import outbox
from tests.helpers import headers_of
from tests.blueprints.notifications.support import notes_for


def test_a_promotion_is_a_notification_and_the_events_own_email(session, host):
    small = make_event(session, hosts=[host], capacity=1, title="Small room")
    going, waiting = make_user(session), make_user(session)
    services.rsvp(session, small, going, True, Needs())
    services.rsvp(session, small, waiting, True, Needs())
    services.rsvp(session, small, going, False, Needs())
    [note] = notes_for(session, waiting)
    assert (note.kind, note.url, note.target_text, note.text, note.email_state) == (
        "events.promoted", f"/events/{small.id}", "Small room", "A place opened up: you're going to “Small room”",
        "sent")
    mail = outbox(session, waiting.email)[-1]
    assert mail.subject == "A place opened up: you're going to Small room"
    assert [a["filename"] for a in attachments(mail)] == ["event.ics"]
    link = headers_of(mail)["List-Unsubscribe"][1:-1]
    assert headers_of(mail)["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in mail.text_body and link in mail.html_body
    assert notes_for(session, going) == [], "a reply of your own is no notification"


def test_a_change_reaches_people_by_their_choice(session, event, member):
    quiet, digest = make_user(session), make_user(session)
    for person in (member, quiet, digest):
        services.rsvp(session, event, person, True, Needs())
    notifications.save_deliveries(session, quiet, {"events.changed": "portal"})
    notifications.save_deliveries(session, digest, {"events.changed": "digest"})
    later = timedelta(hours=1)
    services.update_event(session, event, event_data(event, starts_at=event.starts_at + later,
                                                     ends_at=event.ends_at + later))
    assert subjects(session, member.email)[-1] == "Changed: Finding a mentor"
    assert subjects(session, quiet.email)[-1] != "Changed: Finding a mentor"
    for person, state in ((member, "sent"), (quiet, "none"), (digest, "waiting")):
        [note] = notes_for(session, person, "events.changed")
        assert (note.text, note.email_state) == ("The time of “Finding a mentor” changed", state)
    assert notifications.send_digests(session) == 1
    assert "The time of “Finding a mentor” changed" in outbox(session, digest.email)[-1].text_body


def test_a_cancellation_is_told_even_to_people_who_said_no_unless_they_chose_off(session, event, member):
    declined, off = make_user(session), make_user(session)
    services.rsvp(session, event, member, True, Needs())
    services.rsvp(session, event, declined, False, Needs())
    services.rsvp(session, event, off, True, Needs())
    notifications.save_deliveries(session, off, {"events.cancelled": "off"})
    before = len(outbox(session, off.email))
    services.cancel(session, event, "The speaker is ill")
    for person in (member, declined):
        [note] = notes_for(session, person, "events.cancelled")
        assert note.text == "“Finding a mentor” is cancelled"
        mail = outbox(session, person.email)[-1]
        assert mail.subject == "Cancelled: Finding a mentor" and "The speaker is ill" in mail.text_body
        assert attachments(mail)[0]["content_type"] == "text/calendar; method=CANCEL"
    assert notes_for(session, off) == [] and len(outbox(session, off.email)) == before
