"""Event rules as plain functions: RSVPs and the waiting list, changes, cancelling,
follow-ups, feedback, reminders and calendar-feed tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from portal.blueprints.events import services
from portal.blueprints.events.models import Answer, Event, EventStatus, Feedback, Rsvp
from portal.blueprints.events.services import EventError, Needs
from portal.core.db import utcnow
from tests.blueprints.accounts.factories import make_user
from tests.blueprints.events.factories import make_event
from tests.blueprints.events.support import attachments, event_data, subjects
from tests.helpers import outbox


def going(session, event, user, **needs):
    return services.rsvp(session, event, user, True, Needs(**needs))


def not_going(session, event, user):
    return services.rsvp(session, event, user, False, Needs())


def answer_of(session, event, user) -> str | None:
    record = services.find_rsvp(session, event, user)
    return record.answer if record else None


def people(session, count: int) -> list:
    return [make_user(session) for _ in range(count)]


# Going, and the waiting list


def test_going_takes_a_place_and_emails_the_calendar_file(session, event, member):
    result = going(session, event, member)
    assert (result.answer, result.position, result.places_left) == (Answer.GOING, None, 9)
    assert result.message == "You're going. 9 places left."
    session.refresh(event)
    assert event.going_count == 1
    [mail] = outbox(session, member.email)
    assert mail.subject == "You're going: Finding a mentor"
    [ics] = attachments(mail)
    assert ics["content_type"] == "text/calendar; method=PUBLISH"
    assert Calendar.from_ical(ics["data"]).walk("VEVENT")[0]["SUMMARY"] == "Finding a mentor"


def test_going_to_an_event_without_a_limit_says_so_without_counting(session, member, host):
    unlimited = make_event(session, hosts=[host], capacity=None)
    result = going(session, unlimited, member)
    assert (result.places_left, result.message) == (None, "You're going.")


def test_the_last_place_is_announced_in_the_singular(session, host):
    small = make_event(session, hosts=[host], capacity=2)
    first, second = people(session, 2)
    assert going(session, small, first).message == "You're going. 1 place left."
    assert going(session, small, second).message == "You're going. 0 places left."


def test_a_full_event_puts_people_on_the_waiting_list_in_order(session, host):
    full = make_event(session, hosts=[host], capacity=2)
    crowd = people(session, 5)
    results = [going(session, full, person) for person in crowd]
    assert [r.answer for r in results] == [Answer.GOING] * 2 + [Answer.WAITING] * 3
    assert [r.position for r in results[2:]] == [1, 2, 3]
    assert results[4].message == "The event is full. You're number 3 on the waiting list."
    session.refresh(full)
    assert full.going_count == 2
    waiting_mail = outbox(session, crowd[4].email)
    assert [m.subject for m in waiting_mail] == [f"You're on the waiting list: {full.title}"]
    assert "you're number 3 on the waiting list" in waiting_mail[0].text_body
    assert attachments(waiting_mail[0]) == [], "no calendar file until they have a place"


def test_someone_going_who_cancels_makes_way_for_the_first_waiting(session, host):
    full = make_event(session, hosts=[host], capacity=1, title="Small room")
    leaver, first, second = people(session, 3)
    going(session, full, leaver)
    going(session, full, first)
    going(session, full, second)
    result = not_going(session, full, leaver)
    assert result.answer == Answer.NOT_GOING
    assert result.message == "You're not going. Thanks for letting the hosts know."
    assert answer_of(session, full, first) == Answer.GOING
    assert answer_of(session, full, second) == Answer.WAITING
    assert services.waiting_position(session, services.find_rsvp(session, full, second)) == 1
    session.refresh(full)
    assert full.going_count == 1
    promoted = outbox(session, first.email)[-1]
    assert promoted.subject == "A place opened up: you're going to Small room"
    assert "A place opened up" in promoted.text_body
    assert Calendar.from_ical(attachments(promoted)[0]["data"]).walk("VEVENT")
    assert not any("A place opened up" in s for s in subjects(session, second.email))


def test_leaving_the_waiting_list_moves_the_queue_up_without_promoting(session, host):
    full = make_event(session, hosts=[host], capacity=1)
    inside, first, second = people(session, 3)
    for person in (inside, first, second):
        going(session, full, person)
    not_going(session, full, first)
    assert answer_of(session, full, first) == Answer.NOT_GOING
    assert answer_of(session, full, inside) == Answer.GOING
    assert services.waiting_position(session, services.find_rsvp(session, full, second)) == 1
    session.refresh(full)
    assert full.going_count == 1


def test_coming_back_after_saying_no_joins_the_end_of_the_queue(session, host):
    full = make_event(session, hosts=[host], capacity=1)
    inside, fickle, patient = people(session, 3)
    for person in (inside, fickle, patient):
        going(session, full, person)
    not_going(session, full, fickle)
    assert going(session, full, fickle).position == 2


def test_answering_going_twice_takes_one_place_and_sends_one_email(session, event, member):
    going(session, event, member)
    again = going(session, event, member, captions=True)
    assert again.answer == Answer.GOING
    session.refresh(event)
    assert event.going_count == 1
    assert session.scalar(select(func.count()).select_from(Rsvp).where(Rsvp.event_id == event.id)) == 1
    assert len(outbox(session, member.email)) == 1
    assert services.find_rsvp(session, event, member).needs_captions, "the second answer's needs are kept"


def test_asking_again_while_waiting_keeps_the_place_in_the_queue(session, host):
    full = make_event(session, hosts=[host], capacity=1)
    inside, first, second = people(session, 3)
    for person in (inside, first, second):
        going(session, full, person)
    assert going(session, full, first).position == 1
    assert len(outbox(session, first.email)) == 1


def test_saying_no_without_having_said_yes_is_recorded_and_takes_nothing(session, event, member):
    result = not_going(session, event, member)
    assert result.answer == Answer.NOT_GOING
    session.refresh(event)
    assert event.going_count == 0
    assert outbox(session, member.email) == []


def test_raising_the_capacity_promotes_people_waiting(session, host):
    full = make_event(session, hosts=[host], capacity=1)
    inside, first, second, third = people(session, 4)
    for person in (inside, first, second, third):
        going(session, full, person)
    services.update_event(session, full, event_data(full, capacity=3))
    assert [answer_of(session, full, p) for p in (first, second, third)] == [
        Answer.GOING, Answer.GOING, Answer.WAITING]
    session.refresh(full)
    assert full.going_count == 3
    assert any(s.startswith("A place opened up") for s in subjects(session, second.email))


def test_removing_the_limit_promotes_everyone_waiting(session, host):
    full = make_event(session, hosts=[host], capacity=1)
    crowd = people(session, 3)
    for person in crowd:
        going(session, full, person)
    services.update_event(session, full, event_data(full, capacity=None))
    assert {answer_of(session, full, p) for p in crowd} == {Answer.GOING}


def test_lowering_the_capacity_never_removes_anyone_going(session, host):
    roomy = make_event(session, hosts=[host], capacity=3)
    three = people(session, 3)
    for person in three:
        going(session, roomy, person)
    services.update_event(session, roomy, event_data(roomy, capacity=1))
    assert {answer_of(session, roomy, p) for p in three} == {Answer.GOING}
    session.refresh(roomy)
    assert (roomy.going_count, roomy.places_left) == (3, 0)
    late = make_user(session)
    assert going(session, roomy, late).answer == Answer.WAITING
    not_going(session, roomy, three[0])
    assert answer_of(session, roomy, late) == Answer.WAITING, "still over the new limit: nobody is promoted"
    not_going(session, roomy, three[1])
    assert answer_of(session, roomy, late) == Answer.WAITING
    not_going(session, roomy, three[2])
    assert answer_of(session, roomy, late) == Answer.GOING


# When replies are possible


def test_replies_close_at_the_start(session, event, member):
    with pytest.raises(EventError, match="Replies to this event are closed"):
        services.rsvp(session, event, member, True, Needs(), now=event.starts_at)
    services.rsvp(session, event, member, True, Needs(), now=event.starts_at - timedelta(seconds=1))
    with pytest.raises(EventError):
        services.rsvp(session, event, member, False, Needs(), now=event.starts_at + timedelta(minutes=5))


def test_replies_close_at_the_deadline(session, event, member):
    event.rsvp_deadline = event.starts_at - timedelta(days=2)
    session.flush()
    with pytest.raises(EventError):
        services.rsvp(session, event, member, True, Needs(), now=event.rsvp_deadline)
    result = services.rsvp(session, event, member, True, Needs(), now=event.rsvp_deadline - timedelta(minutes=1))
    assert result.answer == Answer.GOING


@pytest.mark.parametrize("status", [EventStatus.DRAFT, EventStatus.CANCELLED])
def test_drafts_and_cancelled_events_take_no_replies(session, host, member, status):
    closed = make_event(session, hosts=[host], status=status)
    with pytest.raises(EventError):
        going(session, closed, member)
    with pytest.raises(EventError):
        not_going(session, closed, member)
    assert services.find_rsvp(session, closed, member) is None


def test_access_needs_are_saved_with_the_reply(session, event, member):
    going(session, event, member, captions=True, interpreter=True, other="  Step-free route, please ")
    record = services.find_rsvp(session, event, member)
    assert (record.needs_captions, record.needs_interpreter, record.needs_other) == (
        True, True, "Step-free route, please")
    assert record.needs == ["Captions", "Sign-language interpreter", "Step-free route, please"]


def test_answers_by_event_reads_the_viewers_answers_at_once(session, host, member):
    first = make_event(session, hosts=[host])
    second = make_event(session, hosts=[host])
    third = make_event(session, hosts=[host])
    going(session, first, member)
    not_going(session, second, member)
    answers = services.answers_by_event(session, member, [first.id, second.id, third.id])
    assert answers == {first.id: "going", second.id: "not_going"}
    assert services.answers_by_event(session, member, []) == {}


# Changing, publishing, cancelling and copying


def test_changing_the_time_tells_people_going_or_waiting_and_raises_the_sequence(session, host):
    full = make_event(session, hosts=[host], capacity=1, title="Talk")
    inside, waiting, declined = people(session, 3)
    going(session, full, inside)
    going(session, full, waiting)
    not_going(session, full, declined)
    sequence = full.sequence
    changed = services.update_event(session, full, event_data(
        full, starts_at=full.starts_at + timedelta(hours=1), ends_at=full.ends_at + timedelta(hours=1)))
    assert changed == ["time"]
    assert full.sequence == sequence + 1
    for person in (inside, waiting):
        [mail] = [m for m in outbox(session, person.email) if m.subject == "Changed: Talk"]
        assert "The time of this event changed" in mail.text_body
        vevent = Calendar.from_ical(attachments(mail)[0]["data"]).walk("VEVENT")[0]
        assert vevent["SEQUENCE"] == sequence + 1
    assert "Changed: Talk" not in subjects(session, declined.email)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"venue": "Room 2, The Library", "format": "hybrid"}, ["place"]),
        ({"join_url": "https://meet.example.org/other"}, ["joining link"]),
        ({"timezone": "Europe/Paris"}, ["time"]),
    ],
)
def test_changes_of_place_or_link_are_named(session, event, member, changes, words):
    going(session, event, member)
    assert services.update_event(session, event, event_data(event, **changes)) == words
    assert f"Changed: {event.title}" in subjects(session, member.email)


def test_changing_only_the_words_emails_nobody(session, event, member):
    going(session, event, member)
    before = len(outbox(session))
    assert services.update_event(session, event, event_data(event, summary="A better summary")) == []
    assert len(outbox(session)) == before


def test_changing_the_title_raises_the_sequence_so_calendars_update(session, event):
    sequence = event.sequence
    services.update_event(session, event, event_data(event, title="Finding a mentor, part two"))
    assert event.sequence > sequence


def test_changing_a_draft_emails_nobody(session, host, manager):
    draft = make_event(session, hosts=[host], status=EventStatus.DRAFT)
    later = timedelta(days=1)
    services.update_event(session, draft, event_data(draft, starts_at=draft.starts_at + later,
                                                     ends_at=draft.ends_at + later))
    assert outbox(session) == []


def test_publishing_a_draft(session, host):
    draft = make_event(session, hosts=[host], status=EventStatus.DRAFT)
    sequence = draft.sequence
    services.publish(session, draft)
    assert draft.is_published and draft.sequence == sequence + 1
    with pytest.raises(EventError, match="Only a draft"):
        services.publish(session, draft)


def test_a_draft_in_the_past_cannot_be_published(session, host):
    draft = make_event(session, hosts=[host], status=EventStatus.DRAFT, starts_in=-timedelta(hours=1))
    with pytest.raises(EventError, match="already started"):
        services.publish(session, draft)
    assert draft.is_draft


def test_cancelling_tells_everyone_who_replied_with_a_cancelled_calendar_file(session, host):
    full = make_event(session, hosts=[host], capacity=1, title="Walk")
    inside, waiting, declined, silent = people(session, 4)
    going(session, full, inside)
    going(session, full, waiting)
    not_going(session, full, declined)
    sequence = full.sequence
    services.cancel(session, full, "  The speaker is ill. ")
    assert full.is_cancelled and full.cancelled_at is not None and full.sequence == sequence + 1
    for person in (inside, waiting, declined):
        [mail] = [m for m in outbox(session, person.email) if m.subject == "Cancelled: Walk"]
        assert "The hosts said: The speaker is ill." in mail.text_body
        vevent = Calendar.from_ical(attachments(mail)[0]["data"]).walk("VEVENT")[0]
        assert vevent["STATUS"] == "CANCELLED"
    assert outbox(session, silent.email) == []
    with pytest.raises(EventError, match="already cancelled"):
        services.cancel(session, full, "")


def test_an_event_that_has_started_cannot_be_cancelled(session, host):
    started = make_event(session, hosts=[host], starts_in=-timedelta(minutes=5))
    with pytest.raises(EventError, match="already started"):
        services.cancel(session, started, "")
    assert started.is_published


def test_needs_change_for_someone_going_or_waiting_without_moving_them(session, host):
    full = make_event(session, hosts=[host], capacity=1)
    inside, waiting, declined = people(session, 3)
    going(session, full, inside)
    going(session, full, waiting)
    not_going(session, full, declined)
    services.save_needs(session, full, waiting, Needs(captions=True, other=" Large print "))
    record = services.find_rsvp(session, full, waiting)
    assert (record.answer, record.needs) == (Answer.WAITING, ["Captions", "Large print"])
    assert services.waiting_position(session, record) == 1 and full.going_count == 1
    with pytest.raises(EventError, match="going or on the waiting list"):
        services.save_needs(session, full, declined, Needs(captions=True))
    full.status = EventStatus.CANCELLED
    with pytest.raises(EventError, match="closed"):
        services.save_needs(session, full, inside, Needs(captions=True))


def test_cancelling_a_draft_emails_nobody(session, host):
    draft = make_event(session, hosts=[host], status=EventStatus.DRAFT)
    services.cancel(session, draft, "")
    assert draft.is_cancelled and outbox(session) == []


def test_a_copy_is_a_draft_with_the_same_details_and_nobody_going(session, event, member, manager):
    event.topics = services._topics(session, ["Careers"])
    going(session, event, member)
    copy = services.duplicate(session, event, manager)
    assert copy.id != event.id and copy.is_draft
    assert copy.title == "Copy of Finding a mentor"
    assert (copy.starts_at, copy.ends_at, copy.capacity, copy.going_count) == (
        event.starts_at, event.ends_at, event.capacity, 0)
    assert [h.id for h in copy.hosts] == [h.id for h in event.hosts]
    assert [t.name for t in copy.topics] == ["Careers"]
    assert copy.created_by_id == manager.id
    assert services.find_rsvp(session, copy, member) is None


def test_a_copy_of_a_past_event_moves_forward_by_whole_weeks(session, host, manager):
    old = make_event(session, hosts=[host], starts_in=-timedelta(days=20))
    old.rsvp_deadline = old.starts_at - timedelta(days=1)
    copy = services.duplicate(session, old, manager)
    assert copy.starts_at > utcnow()
    shift = copy.starts_at - old.starts_at
    assert shift == timedelta(weeks=3)
    assert copy.ends_at - old.ends_at == shift and copy.rsvp_deadline - old.rsvp_deadline == shift


def test_a_copy_of_a_long_title_still_fits(session, host, manager):
    long = make_event(session, hosts=[host], title="T" * 120)
    assert len(services.duplicate(session, long, manager).title) == 120


def test_topics_are_shared_by_their_slug(session, host):
    first = services._topics(session, ["Public speaking", " "])
    second = services._topics(session, ["public speaking", "Careers"])
    assert [t.name for t in first] == ["Public speaking"]
    assert [t.name for t in second] == ["Careers", "Public speaking"]
    assert first[0].id == second[1].id


# After the event


def past_event(session, host, **fields) -> Event:
    """A published event that ended an hour ago."""
    return make_event(session, hosts=[host], starts_in=-timedelta(hours=3), **fields)


def went(session, event, user, attended=None) -> Rsvp:
    record = Rsvp(event_id=event.id, user_id=user.id, answer=Answer.GOING.value, attended=attended)
    session.add(record)
    event.going_count += 1
    session.flush()
    return record


def test_attendance_is_marked_once_the_event_has_started(session, event, member):
    record = going(session, event, member) and services.find_rsvp(session, event, member)
    with pytest.raises(EventError):
        services.mark_attendance(session, event, {record.id})
    assert services.mark_attendance(session, event, {record.id}, now=event.starts_at) == 1
    assert record.attended is True
    assert services.mark_attendance(session, event, set(), now=event.starts_at) == 0
    assert record.attended is False


def test_the_follow_up_is_emailed_once_to_attendees_only(session, host):
    done = past_event(session, host, title="Workshop")
    came, unmarked, absent, waited = people(session, 4)
    went(session, done, came, attended=True)
    went(session, done, unmarked)
    went(session, done, absent, attended=False)
    session.add(Rsvp(event_id=done.id, user_id=waited.id, answer=Answer.WAITING.value))
    session.flush()
    sent = services.post_followup(session, done, "We **talked**.", "https://video.example.org/1", "Join a circle")
    assert sent == 2
    assert subjects(session, came.email) == ["Follow-up: Workshop"]
    assert subjects(session, unmarked.email) == ["Follow-up: Workshop"]
    assert outbox(session, absent.email) == [] and outbox(session, waited.email) == []
    [mail] = outbox(session, came.email)
    assert "https://video.example.org/1" in mail.text_body and "Join a circle" in mail.text_body
    assert f"/events/{done.id}/feedback" in mail.text_body
    assert services.post_followup(session, done, "We talked, and more.", None, "") == 0
    assert len(outbox(session, came.email)) == 1
    assert done.followup_summary == "We talked, and more." and done.followup_link is None


def test_a_follow_up_waits_for_the_end(session, event):
    with pytest.raises(EventError, match="once the event has ended"):
        services.post_followup(session, event, "Too early", None, "")
    assert event.followup_at is None


def test_a_cancelled_event_thanks_nobody_for_coming(session, host, member):
    called_off = past_event(session, host)
    went(session, called_off, member)
    called_off.status = EventStatus.CANCELLED.value
    session.flush()
    with pytest.raises(EventError):
        services.post_followup(session, called_off, "Thank you all", None, "")
    assert outbox(session, member.email) == []


def test_feedback_is_for_attendees_after_the_end_and_may_be_changed(session, host, member):
    done = past_event(session, host)
    went(session, done, member, attended=True)
    services.leave_feedback(session, done, member, 4, " Good ", "")
    services.leave_feedback(session, done, member, 2, "", "Louder")
    [answer] = session.scalars(select(Feedback).where(Feedback.event_id == done.id)).all()
    assert (answer.rating, answer.worked, answer.improve) == (2, "", "Louder")


def test_feedback_is_refused_to_others_and_before_the_end(session, event, host, member):
    done = past_event(session, host)
    absent, stranger = people(session, 2)
    went(session, done, absent, attended=False)
    for person in (absent, stranger):
        with pytest.raises(EventError):
            services.leave_feedback(session, done, person, 5, "", "")
    going(session, event, member)
    with pytest.raises(EventError):
        services.leave_feedback(session, event, member, 5, "", "")


def test_feedback_summary_averages_the_ratings(session, host):
    done = past_event(session, host)
    assert services.feedback_summary(session, done) == ([], None)
    for rating in (5, 4, 4):
        person = make_user(session)
        went(session, done, person)
        services.leave_feedback(session, done, person, rating, "", "")
    answers, average = services.feedback_summary(session, done)
    assert [a.rating for a in answers] == [5, 4, 4] and average == 4.3


# Reminders


def test_reminders_go_once_to_people_going_to_events_within_a_day(session, host):
    soon = make_event(session, hosts=[host], starts_in=timedelta(hours=20), capacity=1, title="Soon")
    later = make_event(session, hosts=[host], starts_in=timedelta(hours=30), title="Later")
    started = make_event(session, hosts=[host], starts_in=-timedelta(minutes=10), title="Started")
    off = make_event(session, hosts=[host], starts_in=timedelta(hours=5), status=EventStatus.CANCELLED)
    inside, waiting, declined, other = people(session, 4)
    going(session, soon, inside)
    going(session, soon, waiting)
    not_going(session, soon, declined)
    going(session, later, other)
    went(session, started, other)
    went(session, off, other)
    now = utcnow()
    assert services.send_reminders(session, now=now) == 1
    assert services.send_reminders(session, now=now + timedelta(minutes=5)) == 0
    assert subjects(session, inside.email).count("Reminder: Soon") == 1
    assert not any(s.startswith("Reminder") for who in (waiting, declined, other) for s in subjects(session, who.email))
    assert services.send_reminders(session, now=now + timedelta(hours=7)) == 1, "the later event comes into range"
    assert "Reminder: Later" in subjects(session, other.email)


def test_a_reminder_names_the_event_and_links_to_it(session, host, member):
    soon = make_event(session, hosts=[host], starts_in=timedelta(hours=3), title="Soon")
    going(session, soon, member)
    services.send_reminders(session)
    [mail] = [m for m in outbox(session, member.email) if m.subject.endswith("Soon") and "Reminder" in m.subject]
    assert f"http://portal.test/events/{soon.id}" in mail.text_body
    assert "Soon" in mail.html_body


# Calendar feeds


def test_the_feed_token_is_kept_until_regenerated(session, member):
    assert services.feed_token(session, member) is None
    token = services.regenerate_feed(session, member)
    assert services.feed_token(session, member) == token
    assert services.feed_owner(session, token).id == member.id
    new = services.regenerate_feed(session, member)
    assert new != token
    assert services.feed_owner(session, token) is None
    assert services.feed_owner(session, new).id == member.id


def test_regenerating_without_a_token_makes_one(session, member):
    token = services.regenerate_feed(session, member)
    assert services.feed_owner(session, token).id == member.id


def test_a_personal_feed_has_events_going_to_or_hosting(session, host, member):
    attending = make_event(session, hosts=[host], capacity=1)
    hosting = make_event(session, hosts=[member])
    waiting = make_event(session, hosts=[host], capacity=1)
    declined = make_event(session, hosts=[host])
    draft = make_event(session, hosts=[member], status=EventStatus.DRAFT)
    long_ago = make_event(session, hosts=[member], starts_in=-timedelta(days=60))
    going(session, attending, member)
    going(session, waiting, make_user(session))
    going(session, waiting, member)
    not_going(session, declined, member)
    ids = {e.id for e in services.personal_feed_events(session, member)}
    assert ids == {attending.id, hosting.id}
    assert not ids & {waiting.id, declined.id, draft.id, long_ago.id}


def test_a_host_does_not_reply_to_their_own_event(session, host):
    event = make_event(session, hosts=[host], capacity=3)
    with pytest.raises(EventError, match="You're hosting this event"):
        going(session, event, host)
    assert session.get(Event, event.id).going_count == 0
