"""Event pages through the real forms, with no JavaScript, and the htmx path where there is one."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import select

from portal.blueprints.events import services
from portal.blueprints.events.models import Answer, Event, EventStatus, Feedback, Rsvp
from portal.blueprints.events.services import Needs
from portal.core.permissions import Role
from tests.blueprints.accounts.factories import make_user, sign_in
from tests.blueprints.events.factories import make_event
from tests.blueprints.events.support import attachments, future_form, subjects
from tests.helpers import Browser, csrf_token, outbox, text_of

HX = {"HX-Request": "true"}
LONDON = ZoneInfo("Europe/London")


def newest_event(session) -> Event:
    session.expire_all()
    return session.scalars(select(Event).order_by(Event.id.desc())).first()


def browser_for(app, user) -> Browser:
    """Another person's browser, signed in through the real form (or signed out for None)."""
    other = Browser(app.test_client())
    if user is not None:
        sign_in(other, user)
    return other


def reply(session, event, user, going=True, **needs):
    return services.rsvp(session, event, user, going, Needs(**needs))


def went(session, event, user, attended=None) -> Rsvp:
    """A reply recorded before the event started (replies close at the start)."""
    record = Rsvp(event_id=event.id, user_id=user.id, answer=Answer.GOING.value, attended=attended)
    session.add(record)
    event.going_count += 1
    session.flush()
    return record


# Creating, publishing, editing, copying, cancelling


def test_a_manager_creates_a_draft_members_cannot_see_then_publishes_it(app, browser, session, manager, host,
                                                                         member):
    sign_in(browser, manager)
    browser.get("/events/new")
    assert dict(browser.form(button="Save event").fields)["hosts"].strip() == "mia@example.org", (
        "the manager is offered as the first host")
    answers = future_form()
    browser.submit(answers, button="Save event")
    page = text_of(browser.page)
    assert "The event is saved as a draft. Check it, then publish it." in page
    assert "Draft:" in page
    event = newest_event(session)
    assert browser.url == f"/events/{event.id}"
    assert event.is_draft and event.created_by_id == manager.id
    start = datetime.combine(date.fromisoformat(answers["start_date"]), time(18, 0), tzinfo=LONDON)
    assert event.starts_at == start and event.ends_at == start + timedelta(minutes=90)
    assert (event.title, event.capacity, event.format, event.timezone) == (
        "Finding a mentor", 20, "online", "Europe/London")
    assert event.join_url == "https://meet.example.org/finding" and event.venue is None
    assert event.live_captions and not event.sign_language
    assert [h.id for h in event.hosts] == [host.id]
    assert [t.name for t in event.topics] == ["Careers", "Mentoring"]

    visitor = browser_for(app, member)
    assert visitor.get(f"/events/{event.id}").status_code == 404
    assert "Finding a mentor" not in visitor.get("/events/").get_data(as_text=True)

    browser.submit(button="Publish this event")
    assert "The event is published. Members can now find it." in text_of(browser.page)
    assert "Publish this event" not in browser.html
    assert visitor.get(f"/events/{event.id}").status_code == 200
    assert "Finding a mentor" in visitor.get("/events/").get_data(as_text=True)


def test_publishing_a_draft_that_has_started_says_why_not(browser, session, manager, host):
    draft = make_event(session, hosts=[host], status=EventStatus.DRAFT, starts_in=timedelta(hours=1))
    sign_in(browser, manager)
    browser.get(f"/events/{draft.id}")
    draft.starts_at -= timedelta(hours=2)
    draft.ends_at -= timedelta(hours=2)
    session.flush()
    browser.submit(button="Publish this event")
    assert "This event has already started; change its time before publishing it." in text_of(browser.page)
    assert 'class="notice notice-error" role="alert"' in browser.html
    session.refresh(draft)
    assert draft.is_draft


def test_a_host_who_is_not_a_manager_edits_their_event(browser, session, event, host):
    sign_in(browser, host)
    browser.get(f"/events/{event.id}")
    assert "Hosting tools" in browser.html
    assert "Publish this event" not in browser.html and "Make a copy" not in browser.html
    assert f"/events/{event.id}/cancel" not in browser.html, "only managers cancel"
    browser.get(f"/events/{event.id}/edit")
    filled = dict(browser.form(button="Save event").fields)
    local = event.starts_at.astimezone(LONDON)
    assert (filled["title"], filled["capacity"], filled["hosts"].strip(), filled["timezone"]) == (
        "Finding a mentor", "10", "hana@example.org", "Europe/London")
    assert (filled["start_date"], filled["start_time"]) == (local.date().isoformat(), f"{local:%H:%M}")
    browser.submit({"title": "Finding a mentor who fits"}, button="Save event")
    page = text_of(browser.page)
    assert "The event has been saved." in page
    assert "has been told" not in page, "nothing people need to hear about changed"
    session.refresh(event)
    assert event.title == "Finding a mentor who fits"
    assert outbox(session) == []


def test_saving_the_form_unchanged_changes_nothing(browser, session, event, host, member):
    reply(session, event, member)
    sequence = event.sequence
    sign_in(browser, host)
    browser.get(f"/events/{event.id}/edit")
    browser.submit(button="Save event")
    assert text_of(browser.page).count("The event has been saved.") == 1
    session.refresh(event)
    assert event.sequence == sequence
    assert subjects(session, member.email) == ["You're going: Finding a mentor"]


def test_moving_the_event_tells_people_going_or_waiting_and_updates_calendars(browser, client, session, host):
    full = make_event(session, hosts=[host], capacity=1, title="Talk")
    inside, waiting, declined = (make_user(session) for _ in range(3))
    reply(session, full, inside)
    reply(session, full, waiting)
    reply(session, full, declined, going=False)
    before = Calendar.from_ical(client.get(f"/events/{full.id}.ics").data).walk("VEVENT")[0]
    sign_in(browser, host)
    browser.get(f"/events/{full.id}/edit")
    filled = dict(browser.form(button="Save event").fields)
    next_day = {name: (date.fromisoformat(filled[name]) + timedelta(days=1)).isoformat()
                for name in ("start_date", "end_date")}
    browser.submit(next_day, button="Save event")
    assert "Everyone going or waiting has been told about the new time." in text_of(browser.page)
    for person in (inside, waiting):
        [mail] = [m for m in outbox(session, person.email) if m.subject == "Changed: Talk"]
        assert "The time of this event changed" in mail.text_body
    assert "Changed: Talk" not in subjects(session, declined.email)
    after = Calendar.from_ical(client.get(f"/events/{full.id}.ics").data).walk("VEVENT")[0]
    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert after.decoded("DTSTART") == before.decoded("DTSTART") + timedelta(days=1)


def test_make_a_copy_opens_a_draft_copy_for_editing(browser, session, event, manager):
    sign_in(browser, manager)
    browser.get(f"/events/{event.id}")
    browser.submit(button="Make a copy")
    copy = newest_event(session)
    assert copy.id != event.id and copy.is_draft
    assert browser.url == f"/events/{copy.id}/edit"
    assert "This is a draft copy. Change what you need, then save." in text_of(browser.page)
    assert 'value="Copy of Finding a mentor"' in browser.html


def test_cancelling_keeps_the_page_and_tells_everyone_who_replied(app, browser, session, event, manager, member):
    declined = make_user(session)
    reply(session, event, member)
    reply(session, event, declined, going=False)
    sign_in(browser, manager)
    browser.get(f"/events/{event.id}")
    browser.get(f"/events/{event.id}/cancel")
    response = browser.submit({"reason": "The speaker is ill."}, button="Cancel the event", follow=False)
    assert response.status_code == 422
    assert 'id="confirm-error"' in browser.html
    assert "Tick the box to confirm you want to cancel the event" in browser.html
    assert "The speaker is ill." in browser.html, "the reason typed is kept"
    browser.submit({"confirm": True}, button="Cancel the event")
    page = text_of(browser.page)
    assert browser.url == f"/events/{event.id}"
    assert "The event is cancelled. Everyone who replied has been told." in page
    assert "This event is cancelled." in page
    for person in (member, declined):
        [mail] = [m for m in outbox(session, person.email) if m.subject == "Cancelled: Finding a mentor"]
        assert "The hosts said: The speaker is ill." in mail.text_body
        [ics] = attachments(mail)
        assert Calendar.from_ical(ics["data"]).walk("VEVENT")[0]["STATUS"] == "CANCELLED"
    visitor = browser_for(app, member)
    page = text_of(visitor.get(f"/events/{event.id}"))
    assert visitor.page.status_code == 200
    assert "This event is cancelled, so there is nothing to reply to." in page
    assert "Attend" not in page
    assert browser.get(f"/events/{event.id}/cancel").status_code == 302, "nothing left to cancel"


# Replying


def test_one_button_attends_then_asks_for_needs_filled_in_from_the_profile(browser, session, event, member):
    member.usual_needs_captions, member.usual_needs_other = True, "A quiet seat"
    session.flush()
    sign_in(browser, member)
    page = text_of(browser.get(f"/events/{event.id}"))
    assert "<strong>10 of 10</strong> places left" in page
    assert "Your access needs" not in page, "needs are asked after replying, not before"
    response = browser.submit(button="Attend", follow=False)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/events/{event.id}#rsvp")
    page = text_of(browser.follow(response))
    assert '<div class="notice notice-success" role="status"> <p>You\'re going. 9 places left.</p>' in page
    assert "<strong>You're going.</strong>" in page and "<strong>9 of 10</strong> places left" in page
    assert page.count("places left") == 2, "the places appear once on the page, beside the banner"
    record = services.find_rsvp(session, event, member)
    assert record.answer == "going" and record.needs == [], "nothing is sent to the hosts unasked"
    assert "Your usual needs, from your profile, are filled in below" in page
    filled = dict(browser.form(button="Send my access needs").fields)
    assert filled.get("needs_captions") == "y" and filled["needs_other"] == "A quiet seat"
    assert "needs_interpreter" not in filled
    browser.submit(button="Send my access needs")
    page = text_of(browser.page)
    assert "Your access needs are saved. Only the hosts and community managers see them." in page
    assert "The hosts know: Captions; A quiet seat." in page
    session.refresh(record)
    assert (record.answer, record.needs_captions, record.needs_other) == ("going", True, "A quiet seat")
    assert ">Attend<" not in page and "Cancel my place" in page


def test_reply_with_htmx_swaps_the_reply_and_who_is_going_and_announces_the_places(browser, session, event,
                                                                                   member):
    sign_in(browser, member)
    browser.get(f"/events/{event.id}")
    assert "Nobody has said they're going yet." in browser.html
    response = browser.submit(button="Attend", follow=False, headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.startswith('<section id="rsvp"')
    assert "<html" not in body and "<main" not in body
    assert "<strong>You're going.</strong>" in body and "<strong>9 of 10</strong> places left" in body
    assert '<section id="going" class="going" aria-labelledby="going-heading" data-hx-swap-oob="true">' in body
    assert member.public_name in body.split('id="going"')[1], "the swap shows them among the people going"
    assert body.endswith('<div id="live-region" data-hx-swap-oob="innerHTML">You&#39;re going. 9 places left.</div>')
    assert "HX-Request" in response.headers["Vary"]


def test_a_full_event_offers_the_waiting_list_and_gives_the_position(browser, session, host, member):
    full = make_event(session, hosts=[host], capacity=1)
    reply(session, full, make_user(session))
    reply(session, full, make_user(session))
    sign_in(browser, member)
    browser.get(f"/events/{full.id}")
    assert "<strong>Full:</strong> all 1 places are taken" in text_of(browser.page)
    response = browser.submit(button="Join the waiting list (you would be number 2)", follow=False, headers=HX)
    body = text_of(response)
    assert "<strong>You're number 2 on the waiting list.</strong>" in body
    assert '<div id="live-region" data-hx-swap-oob="innerHTML">The event is full. You\'re number 2 on the waiting list.</div>' in body
    assert "Leave the waiting list" in body
    assert "<strong>You're number 2 on the waiting list.</strong>" in text_of(browser.get(f"/events/{full.id}"))


def test_a_reply_without_an_answer_is_refused(browser, session, event, member):
    sign_in(browser, member)
    browser.get(f"/events/{event.id}")
    response = browser.client.post(f"/events/{event.id}/rsvp", data={"csrf_token": csrf_token(browser, f"/events/{event.id}")})
    assert response.status_code == 422
    page = text_of(response)
    assert "<title>Error: " in page and "Choose whether you are going" in page
    assert services.find_rsvp(session, event, member) is None


def test_hosts_are_not_asked_whether_they_are_going(browser, session, event, host):
    sign_in(browser, host)
    page = text_of(browser.get(f"/events/{event.id}"))
    assert "You're hosting this event." in page
    assert ">Attend<" not in page
    assert page.index("Hosting tools") < page.index("Starts"), "hosting tools come first"


def test_unverified_members_are_told_why_they_cannot_reply(browser, session, event):
    unverified = make_user(session, verified=False)
    sign_in(browser, unverified)
    page = text_of(browser.get(f"/events/{event.id}"))
    assert "To reply, first confirm your email address." in page
    assert ">Attend<" not in page
    response = browser.client.post(f"/events/{event.id}/rsvp",
                                   data={"csrf_token": csrf_token(browser, f"/events/{event.id}"), "answer": "going"})
    assert response.status_code == 403
    assert "You need to confirm your email address before you can take part." in text_of(response)
    assert services.find_rsvp(session, event, unverified) is None


def test_signed_out_visitors_are_invited_to_sign_in_to_reply(client, event):
    page = text_of(client.get(f"/events/{event.id}"))
    assert f'/sign-in?next=/events/{event.id}' in page
    assert "Sign in to reply to “Finding a mentor”" in page
    response = client.post(f"/events/{event.id}/rsvp", data={"answer": "going"})
    assert response.status_code in (302, 400)


def test_a_reply_after_the_deadline_is_refused_with_the_reason(browser, session, event, member):
    sign_in(browser, member)
    browser.get(f"/events/{event.id}")
    event.rsvp_deadline = event.starts_at - timedelta(days=8)
    session.flush()
    response = browser.submit(button="Attend", follow=False)
    assert response.status_code == 409
    page = text_of(response)
    assert 'role="alert"' in page and "Replies to this event are closed.</strong> Your reply was not saved." in page
    assert "Replies closed" in page and ">Attend<" not in page
    assert services.find_rsvp(session, event, member) is None
    page = text_of(browser.get(f"/events/{event.id}"))
    assert "Replies closed" in page and ">Attend<" not in page


def test_a_going_member_who_cancels_hands_the_place_to_the_first_waiting(browser, session, host, member):
    full = make_event(session, hosts=[host], capacity=1, title="Small room")
    reply(session, full, member)
    first = make_user(session)
    reply(session, full, first)
    sign_in(browser, member)
    browser.get(f"/events/{full.id}")
    browser.submit(button="Cancel my place")
    assert "You're not going. Thanks for letting the hosts know." in text_of(browser.page)
    assert "You said you're not going." in text_of(browser.page)
    assert services.find_rsvp(session, full, first).answer == Answer.GOING
    assert "A place opened up: you're going to Small room" in subjects(session, first.email)


# The joining link


def test_the_joining_link_shows_to_people_going_and_hosts_from_15_minutes_before(app, session, host, member):
    soon = make_event(session, hosts=[host], starts_in=timedelta(minutes=10), join_url="https://meet.example.org/soon")
    later = make_event(session, hosts=[host], starts_in=timedelta(hours=3), join_url="https://meet.example.org/later")
    ended = make_event(session, hosts=[host], starts_in=-timedelta(hours=3), join_url="https://meet.example.org/ended")
    for one in (soon, later, ended):
        went(session, one, member)
    other = make_user(session)
    browsers = {"member": browser_for(app, member), "host": browser_for(app, host),
                "other": browser_for(app, other), "signed out": browser_for(app, None)}
    seen = {
        (who, name): one.join_url in b.get(f"/events/{one.id}").get_data(as_text=True)
        for who, b in browsers.items() for name, one in (("soon", soon), ("later", later), ("ended", ended))
    }
    assert {key for key, shown in seen.items() if shown} == {("member", "soon"), ("host", "soon")}
    page = text_of(browsers["member"].get(f"/events/{later.id}"))
    assert "The joining link appears here for people going from 15 minutes before the start." in page


# Hosting: attendees, needs, attendance, spreadsheet


def test_access_needs_are_seen_by_hosts_and_managers_only(app, session, event, host, manager, member):
    reply(session, event, member, captions=True, other="A seat near the door")
    other = make_user(session)
    for viewer in (host, manager):
        b = browser_for(app, viewer)
        page = text_of(b.get(f"/events/{event.id}/attendees"))
        assert b.page.status_code == 200
        assert "Mo Member" in page and "Captions; A seat near the door" in page
        assert "A seat near the door" in b.get(f"/events/{event.id}/attendees.csv").get_data(as_text=True)
    outsider = browser_for(app, other)
    assert "A seat near the door" not in outsider.get(f"/events/{event.id}").get_data(as_text=True)
    assert outsider.get(f"/events/{event.id}/attendees").status_code == 403
    assert outsider.get(f"/events/{event.id}/attendees.csv").status_code == 403
    assert "A seat near the door" not in browser_for(app, None).get(f"/events/{event.id}").get_data(as_text=True)


def test_hosts_mark_attendance_once_the_event_has_started(browser, session, host):
    started = make_event(session, hosts=[host], starts_in=-timedelta(minutes=30))
    came, missed = make_user(session, display_name="Came"), make_user(session, display_name="Missed")
    came_record, missed_record = went(session, started, came), went(session, started, missed)
    sign_in(browser, host)
    browser.get(f"/events/{started.id}/attendees")
    browser.submit({"attended": str(came_record.id)}, button="Save attendance")
    assert "Attendance saved: 1 person attended." in text_of(browser.page)
    assert browser.url == f"/events/{started.id}/attendees"
    session.refresh(came_record)
    session.refresh(missed_record)
    assert (came_record.attended, missed_record.attended) == (True, False)
    assert f'value="{came_record.id}" id="attended-{came_record.id}" checked' in browser.html


def test_attendance_cannot_be_marked_before_the_start(browser, session, event, host, member):
    record = reply(session, event, member) and services.find_rsvp(session, event, member)
    sign_in(browser, host)
    browser.get(f"/events/{event.id}/attendees")
    assert "Save attendance" not in browser.html and 'name="attended"' not in browser.html
    response = browser.client.post(f"/events/{event.id}/attendance",
                                   data={"csrf_token": csrf_token(browser, f"/events/{event.id}"),
                                         "attended": str(record.id)})
    assert response.status_code == 303
    assert "Attendance can be marked once the event has started." in text_of(browser.follow(response))
    session.refresh(record)
    assert record.attended is None


def test_the_attendee_spreadsheet_has_a_header_the_needs_and_no_formulas(browser, session, host):
    small = make_event(session, hosts=[host], capacity=2)
    plain = make_user(session, display_name="Plain Person", email="plain@example.org")
    formula = make_user(session, display_name='=HYPERLINK("http://evil.example","x")',
                        email="=cmd|'/Ccalc'!A0@example.org")
    waiting = make_user(session, display_name="Wendy Waiting", email="wendy@example.org")
    reply(session, small, plain, captions=True, interpreter=True)
    reply(session, small, formula, other="+SUM(A1:A9)")
    reply(session, small, waiting, other="Step-free")
    sign_in(browser, host)
    response = browser.get(f"/events/{small.id}/attendees.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == f'attachment; filename="event-{small.id}-attendees.csv"'
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["Name", "Email", "Answer", "Waiting position", "Captions", "Interpreter", "Other needs",
                       "Attended"]
    assert rows[1] == ["Plain Person", "plain@example.org", "going", "", "yes", "yes", "", ""]
    assert rows[2][0] == '\'=HYPERLINK("http://evil.example","x")'
    assert rows[2][6] == "'+SUM(A1:A9)"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row), rows
    assert rows[3] == ["Wendy Waiting", "wendy@example.org", "waiting", "1", "", "", "Step-free", ""]


# After the event: follow-up and feedback


def test_the_follow_up_is_written_after_the_event_emailed_once_and_shown(app, browser, session, host):
    done = make_event(session, hosts=[host], starts_in=-timedelta(hours=3), title="Workshop")
    came, absent = make_user(session), make_user(session)
    went(session, done, came, attended=True)
    went(session, done, absent, attended=False)
    sign_in(browser, host)
    browser.get(f"/events/{done.id}")
    assert "Write a follow-up" in browser.html
    browser.get(f"/events/{done.id}/follow-up")
    browser.submit({"summary": "We practised **introductions**.", "link": "https://video.example.org/w1",
                    "action": "Join the next circle"}, button="Save and send the follow-up")
    page = text_of(browser.page)
    assert "The follow-up is on the event page and was emailed to 1 attendee." in page
    assert browser.url == f"/events/{done.id}"
    assert "<strong>introductions</strong>" in page and "Join the next circle" in page
    assert 'href="https://video.example.org/w1"' in page
    assert subjects(session, came.email) == ["Follow-up: Workshop"]
    assert outbox(session, absent.email) == []
    browser.get(f"/events/{done.id}/follow-up")
    assert "We practised **introductions**." in browser.html, "the saved follow-up is offered to edit"
    browser.submit({"summary": "We practised introductions and pitches."}, button="Save and send the follow-up")
    assert "was emailed to 0 attendees" in text_of(browser.page)
    assert len(outbox(session, came.email)) == 1
    past = text_of(browser_for(app, None).get("/events/past"))
    assert "Workshop" in past and "We practised introductions and pitches." in past
    assert "Recording or transcript of “Workshop”" in past


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"summary": " "}, "summary", "Write a short summary of the event"),
        ({"summary": "Fine", "link": "ftp://files.example.org/rec"}, "link",
         "Enter the recording or transcript link as a web address starting with https://"),
        ({"summary": "Fine", "link": "javascript:alert(1)"}, "link",
         "Enter the recording or transcript link as a web address starting with https://"),
        ({"summary": "Fine", "action": "a" * 301}, "action", "The next step must be 300 characters or fewer"),
    ],
)
def test_follow_up_errors_are_shown_beside_the_field(browser, session, host, answers, field, message):
    done = make_event(session, hosts=[host], starts_in=-timedelta(hours=3))
    sign_in(browser, host)
    browser.get(f"/events/{done.id}/follow-up")
    response = browser.submit(answers, button="Save and send the follow-up", follow=False)
    assert response.status_code == 422
    page = text_of(response)
    assert f'id="{field}-error"' in page and message in page
    for value in answers.values():
        if value.strip():
            assert value in page, "what was typed is kept"
    session.refresh(done)
    assert done.followup_at is None


def test_a_follow_up_before_the_end_is_refused(browser, session, event, host):
    sign_in(browser, host)
    browser.get(f"/events/{event.id}/follow-up")
    response = browser.submit({"summary": "Too soon"}, button="Save and send the follow-up", follow=False)
    assert response.status_code == 422
    assert "A follow-up can be written once the event has ended." in text_of(response)


def test_attendees_give_feedback_after_the_end_and_hosts_see_the_average(app, browser, session, host):
    done = make_event(session, hosts=[host], starts_in=-timedelta(hours=3), title="Workshop")
    first, second = make_user(session), make_user(session)
    went(session, done, first, attended=True)
    went(session, done, second)
    sign_in(browser, first)
    browser.get(f"/events/{done.id}")
    assert "Tell the hosts how “Workshop” went" in text_of(browser.page)
    browser.get(f"/events/{done.id}/feedback")
    browser.submit({"rating": "5", "worked": "Small groups", "improve": "More time"}, button="Send feedback")
    assert "Thank you for your feedback." in text_of(browser.page)
    other = browser_for(app, second)
    other.get(f"/events/{done.id}/feedback")
    other.submit({"rating": "2"}, button="Send feedback")
    results = browser_for(app, host)
    page = text_of(results.get(f"/events/{done.id}/feedback/results"))
    assert "2 answers, average rating 3.5 out of 5." in page
    assert "Small groups" in page and "More time" in page


@pytest.mark.parametrize(("rating", "message"), [(None, "Choose a rating from 1 to 5"), ("9", "Choose a rating from 1 to 5")])
def test_feedback_needs_a_rating_from_the_list(browser, session, host, member, rating, message):
    done = make_event(session, hosts=[host], starts_in=-timedelta(hours=3))
    went(session, done, member)
    sign_in(browser, member)
    browser.get(f"/events/{done.id}/feedback")
    data = {"csrf_token": dict(browser.form(button="Send feedback").fields)["csrf_token"],
            "worked": "The speaker"}
    if rating:
        data["rating"] = rating
    response = browser.client.post(f"/events/{done.id}/feedback", data=data)
    assert response.status_code == 422
    page = text_of(response)
    assert 'id="rating-error"' in page and message in page
    assert "The speaker" in page
    assert session.scalar(select(Feedback).where(Feedback.event_id == done.id)) is None


def test_feedback_is_only_for_attendees_after_the_end(app, session, event, host, member):
    done = make_event(session, hosts=[host], starts_in=-timedelta(hours=3))
    absent = make_user(session)
    went(session, done, absent, attended=False)
    reply(session, event, member)
    assert browser_for(app, absent).get(f"/events/{done.id}/feedback").status_code == 403
    assert browser_for(app, member).get(f"/events/{event.id}/feedback").status_code == 403
    assert "Tell the hosts how" not in browser_for(app, absent).get(f"/events/{done.id}").get_data(as_text=True)


# My events and the private calendar feed


def test_my_events_lists_going_waiting_hosting_and_past(browser, session, host, member):
    attending = make_event(session, hosts=[host], title="Attending")
    full = make_event(session, hosts=[host], capacity=1, title="Crowded")
    make_event(session, hosts=[member], title="Hosting mine")
    done = make_event(session, hosts=[host], starts_in=-timedelta(days=2), title="Been there")
    reply(session, attending, member)
    reply(session, full, make_user(session))
    reply(session, full, make_user(session))
    reply(session, full, member)
    went(session, done, member)
    sign_in(browser, member)
    page = text_of(browser.get("/events/mine"))
    sections = [page.index(h) for h in ("<h2>Going</h2>", "<h2>On the waiting list</h2>", "<h2>Hosting</h2>",
                                         "<h2>Past events you went to</h2>", 'id="calendar-feed"')]
    assert sections == sorted(sections)
    going_part, waiting_part, hosting_part, past_part = (page[a:b] for a, b in zip(sections, sections[1:]))
    assert "Attending" in going_part and "Crowded" not in going_part
    assert "Crowded" in waiting_part and "you're number 2" in waiting_part
    assert "Hosting mine" in hosting_part
    assert "Been there" in past_part and "Attending" not in past_part


def test_the_private_feed_address_works_until_a_new_one_is_made(app, browser, session, event, member):
    client = app.test_client()  # a calendar app: no cookie
    reply(session, event, member)
    sign_in(browser, member)
    browser.get("/events/mine")
    assert 'class="feed-url"' not in browser.html, "looking at the page makes no address"
    browser.submit(button="Make my calendar address")
    assert "Your calendar feed address is ready." in text_of(browser.page)
    old = urlsplit(feed_address(browser.html)).path
    response = client.get(old)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "private, no-store"
    [vevent] = Calendar.from_ical(response.data).walk("VEVENT")
    assert vevent["SUMMARY"] == "Finding a mentor"
    assert browser.get("/events/mine") and urlsplit(feed_address(browser.html)).path == old, "the address is kept"
    browser.submit(button="Make a new address")
    assert "Your calendar feed has a new address. The old one no longer works." in text_of(browser.page)
    new = urlsplit(feed_address(browser.html)).path
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def feed_address(page: str) -> str:
    return re.search(r'<p class="feed-url"><code>([^<]+)</code>', page).group(1)


def test_a_deleted_members_feed_stops_working(client, session, member):
    token = services.regenerate_feed(session, member)
    assert client.get(f"/events/calendar-feed/{token}.ics").status_code == 200
    member.deleted_at = member.created_at
    session.flush()
    assert client.get(f"/events/calendar-feed/{token}.ics").status_code == 404
    assert client.get("/events/calendar-feed/not-a-token.ics").status_code == 404


def test_managers_see_every_draft_and_hosts_see_theirs(app, session, host, manager):
    draft = make_event(session, hosts=[host], status=EventStatus.DRAFT, title="Secret plans")
    admin = make_user(session, role=Role.ADMIN)
    for viewer in (host, manager, admin):
        b = browser_for(app, viewer)
        assert b.get(f"/events/{draft.id}").status_code == 200
        assert "Secret plans" in b.get("/events/mine" if viewer is host else "/events/").get_data(as_text=True)


def test_overlong_needs_are_refused_and_kept(browser, session, event, member):
    reply(session, event, member)
    sign_in(browser, member)
    browser.get(f"/events/{event.id}")
    for headers in ({}, HX):
        response = browser.submit({"needs_other": "n" * 501}, button="Send my access needs", follow=False,
                                  headers=headers)
        assert response.status_code == 422
        page = text_of(response)
        assert 'id="needs_other-error"' in page and "Your access needs must be 500 characters or fewer" in page
        assert "n" * 501 in page
    assert services.find_rsvp(session, event, member).needs == []


def test_an_overlong_cancellation_reason_is_refused_and_kept(browser, session, event, manager):
    sign_in(browser, manager)
    browser.get(f"/events/{event.id}/cancel")
    response = browser.submit({"reason": "r" * 1001, "confirm": True}, button="Cancel the event", follow=False)
    assert response.status_code == 422
    assert 'id="reason-error"' in browser.html and "r" * 1001 in browser.html
    session.refresh(event)
    assert event.is_published


def test_the_event_page_names_the_events_zone_and_the_viewers(browser, session, host):
    event = make_event(session, hosts=[host], timezone="Europe/London")
    sign_in(browser, make_user(session, timezone="Europe/Paris"))
    page = text_of(browser.get(f"/events/{event.id}"))
    local = event.starts_at.astimezone(ZoneInfo("Europe/Paris"))
    assert f"({local:%H:%M} your time, {local.tzname()})" in page
    assert f'<time datetime="{event.starts_at.isoformat()}">' in page


def test_someone_waiting_keeps_their_place_when_they_update_their_needs(browser, session, host, member):
    full = make_event(session, hosts=[host], capacity=1)
    reply(session, full, make_user(session))
    reply(session, full, member)
    sign_in(browser, member)
    browser.get(f"/events/{full.id}")
    browser.submit({"needs_captions": True}, button="Send my access needs")
    assert "You're number 1 on the waiting list." in text_of(browser.page)
    record = services.find_rsvp(session, full, member)
    assert record.answer == Answer.WAITING and record.needs_captions
    browser.submit(button="Leave the waiting list")
    session.refresh(record)
    assert record.answer == Answer.NOT_GOING and record.needs == [], "leaving takes the needs away too"


def test_needs_from_someone_not_going_are_refused_in_words(browser, session, event, member):
    reply(session, event, member)
    sign_in(browser, member)
    browser.get(f"/events/{event.id}")
    services.rsvp(session, event, member, False, Needs())
    response = browser.submit({"needs_captions": True}, button="Send my access needs", follow=False)
    assert response.status_code == 409
    assert "Access needs are for people going or on the waiting list." in text_of(response)


def test_a_past_event_offers_no_cancel_and_a_future_draft_does_not_say_replies_closed(browser, session, host,
                                                                                       manager):
    ended = make_event(session, hosts=[host], starts_in=-timedelta(hours=3))
    draft = make_event(session, hosts=[host], status=EventStatus.DRAFT)
    sign_in(browser, manager)
    page = text_of(browser.get(f"/events/{ended.id}"))
    assert f"/events/{ended.id}/cancel" not in page and "Cancel my place" not in page
    response = browser.get(f"/events/{ended.id}/cancel")
    assert response.status_code == 302
    page = text_of(browser.get(f"/events/{draft.id}"))
    assert "Replies closed" not in page and "Members can reply once the event is published." in page
    assert page.index("Publish this event") < page.index("Taking part")


def test_who_is_going_shows_eight_people_who_allow_it_then_a_count(app, browser, session, event, member):
    event.capacity = None
    hidden = make_user(session, display_name="Private Person", show_in_attendee_lists=False)
    people = [make_user(session, display_name=f"Goer {n}") for n in range(10)]
    reply(session, event, hidden)
    for person in people:
        reply(session, event, person)
    sign_in(browser, member)
    page = text_of(browser.get(f"/events/{event.id}"))
    going = page.split('id="going-heading"')[1]
    assert [f"Goer {n}" in going for n in range(10)] == [True] * 8 + [False] * 2
    assert "Private Person" not in page
    assert "and 3 others" in going
    assert 'id="going-heading"' not in text_of(browser_for(app, None).get(f"/events/{event.id}")), "members only"


def test_a_cancelled_event_offers_no_follow_up(browser, session, host):
    called_off = make_event(session, hosts=[host], starts_in=-timedelta(hours=3), status=EventStatus.CANCELLED)
    sign_in(browser, host)
    page = text_of(browser.get(f"/events/{called_off.id}"))
    assert "Hosting tools" in page
    assert "Write a follow-up" not in page and "Read the feedback" not in page


def test_the_edit_form_shows_the_reply_by_time_in_the_events_zone(browser, session, host):
    event = make_event(session, hosts=[host], timezone="Asia/Tokyo")
    event.rsvp_deadline = event.starts_at - timedelta(days=1, hours=2)
    session.flush()
    sign_in(browser, host)
    browser.get(f"/events/{event.id}/edit")
    filled = dict(browser.form(button="Save event").fields)
    local = event.rsvp_deadline.astimezone(ZoneInfo("Asia/Tokyo"))
    assert (filled["deadline_date"], filled["deadline_time"]) == (local.date().isoformat(), f"{local:%H:%M}")
    browser.submit({"deadline_date": "", "deadline_time": ""}, button="Save event")
    assert "The event has been saved." in text_of(browser.page)
    session.refresh(event)
    assert event.rsvp_deadline is None


@pytest.mark.parametrize("value", ["²", "9" * 5000, "99999999999999999999", "-1"])
def test_attendance_ignores_ids_that_are_not_plain_numbers_in_range(browser, session, host, value):
    started = make_event(session, hosts=[host], starts_in=-timedelta(minutes=30))
    came = went(session, started, make_user(session))
    sign_in(browser, host)
    response = browser.client.post(f"/events/{started.id}/attendance",
                                   data={"csrf_token": csrf_token(browser, f"/events/{started.id}"),
                                         "attended": [value, str(came.id)]})
    assert response.status_code == 303
    session.refresh(came)
    assert came.attended is True
