"""Event rules: RSVPs and the waiting list, changes, cancellation, reminders, follow-ups.

Functions take the session and plain values; they flush, never commit.
Places are taken with one conditional UPDATE on the event's ``going_count``
(no oversell under any number of concurrent requests), and the unique
(event, person) constraint makes a double RSVP impossible.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from portal.blueprints.accounts.models import User
from portal.blueprints.events import ical, policies
from portal.blueprints.events.models import (
    PROVISION_NAMES,
    Answer,
    CalendarFeed,
    Event,
    EventStatus,
    Feedback,
    Rsvp,
    Topic,
    event_host,
)
from portal.blueprints.notifications.services import Email, notify
from portal.core.db import column_length, utcnow
from portal.core.mail import Attachment, external_url, queue_email
from portal.core.routing import path_for
from portal.core.text import slugify
from portal.core.time import format_for_viewer

# The notification kinds events declare (in ``feature()``).
PROMOTED = "events.promoted"
CHANGED = "events.changed"
CANCELLED = "events.cancelled"


class EventError(Exception):
    """A rule stopped the change; ``message`` says why in words for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Needs:
    captions: bool = False
    interpreter: bool = False
    other: str = ""


@dataclass(frozen=True)
class RsvpResult:
    answer: Answer
    position: int | None
    places_left: int | None

    @property
    def message(self) -> str:
        if self.answer == Answer.GOING:
            if self.places_left is None:
                return "You're going."
            places = "1 place" if self.places_left == 1 else f"{self.places_left} places"
            return f"You're going. {places} left."
        if self.answer == Answer.WAITING:
            return f"The event is full. You're number {self.position} on the waiting list."
        return "You're not going. Thanks for letting the hosts know."


# Mail


def _zone(user: User) -> str:
    return user.timezone or current_app.config["DEFAULT_TIMEZONE"]


def _calendar_file(event: Event) -> Attachment:
    method = "CANCEL" if event.is_cancelled else "PUBLISH"
    return Attachment("event.ics", f"text/calendar; method={method}", ical.event_calendar([event], method=method))


def _event_context(event: Event, user: User) -> dict:
    """What every event email shows: the event, its times in the reader's zone, its links."""
    return {
        "user": user,
        "event": event,
        "when": format_for_viewer(event.starts_at, event.timezone, _zone(user)),
        "ends": format_for_viewer(event.ends_at, event.timezone, _zone(user)),
        "event_url": external_url("events.show", event_id=event.id),
        "ics_url": external_url("events.ics", event_id=event.id),
    }


def _event_mail(session: Session, event: Event, user: User, subject: str, template: str,
                attach_ics: bool = False, **context) -> None:
    """An email about the person's own reply (going, waiting, reminder, follow-up)."""
    queue_email(
        session,
        to=user.email,
        subject=subject,
        template=f"events/{template}",
        plain_text_only=user.plain_text_email,
        attachments=[_calendar_file(event)] if attach_ics else None,
        **_event_context(event, user),
        **context,
    )


def _tell(session: Session, people: list[User], kind: str, event: Event, text: str, subject: str,
          template: str, **context) -> None:
    """A notification of ``kind`` to ``people`` about the event; by email it is the event's
    own email with its calendar file."""

    def email(user: User) -> Email:
        return Email(f"events/{template}", subject, {**_event_context(event, user), **context},
                     (_calendar_file(event),))

    notify(session, people, kind, text=text, url=path_for("events.show", event_id=event.id),
           target_text=event.title, email=email)


def _mailable(user: User) -> bool:
    return user.email is not None and not user.is_deleted


# RSVPs


def _take_place(session: Session, event: Event) -> bool:
    """Take one place if any is left, atomically; True when taken."""
    result = session.execute(
        update(Event)
        .where(Event.id == event.id, or_(Event.capacity.is_(None), Event.going_count < Event.capacity))
        .values(going_count=Event.going_count + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _give_back_place(session: Session, event: Event) -> None:
    session.execute(
        update(Event).where(Event.id == event.id, Event.going_count > 0)
        .values(going_count=Event.going_count - 1)
        .execution_options(synchronize_session=False)
    )


def find_rsvp(session: Session, event: Event, user: User) -> Rsvp | None:
    return session.scalar(select(Rsvp).where(Rsvp.event_id == event.id, Rsvp.user_id == user.id))


def waiting_position(session: Session, rsvp: Rsvp) -> int:
    """1 for the first on the waiting list."""
    ahead = session.scalar(
        select(func.count()).select_from(Rsvp).where(
            Rsvp.event_id == rsvp.event_id,
            Rsvp.answer == Answer.WAITING,
            or_(Rsvp.queued_at < rsvp.queued_at, and_(Rsvp.queued_at == rsvp.queued_at, Rsvp.id < rsvp.id)),
        )
    )
    return ahead + 1


def _result(session: Session, event: Event, rsvp: Rsvp) -> RsvpResult:
    session.refresh(event, ["going_count", "capacity"])
    position = waiting_position(session, rsvp) if rsvp.answer == Answer.WAITING else None
    return RsvpResult(Answer(rsvp.answer), position, event.places_left)


def _apply_needs(rsvp: Rsvp, needs: Needs) -> None:
    rsvp.needs_captions = needs.captions
    rsvp.needs_interpreter = needs.interpreter
    rsvp.needs_other = needs.other.strip()


def rsvp(session: Session, event: Event, user: User, going: bool, needs: Needs,
         now: datetime | None = None) -> RsvpResult:
    """Record the person's answer. Going takes a place, or a place on the waiting list
    when the event is full; not going gives a place back and promotes the next person."""
    # Replies to one event take turns (a row lock on PostgreSQL; SQLite's BEGIN
    # IMMEDIATE already serialises writers), so each person on the waiting list is
    # told a different place and a double submit finds the first reply, not races it.
    session.execute(select(Event.id).where(Event.id == event.id).with_for_update())
    now = now or utcnow()
    if not policies.rsvp_open(event, now):
        raise EventError("Replies to this event are closed.")
    if event.is_host(user):
        raise EventError("You're hosting this event, so you need not reply.")
    existing = find_rsvp(session, event, user)
    if going:
        if existing is not None and existing.answer in (Answer.GOING, Answer.WAITING):
            _apply_needs(existing, needs)
            session.flush()
            return _result(session, event, existing)
        record = _join(session, event, user, existing, needs, now)
        if record.answer == Answer.GOING:
            _event_mail(session, event, user, f"You're going: {event.title}", "going", attach_ics=True)
        else:
            _event_mail(session, event, user, f"You're on the waiting list: {event.title}", "waiting",
                        position=waiting_position(session, record))
        return _result(session, event, record)
    if existing is None:
        existing = Rsvp(event_id=event.id, user_id=user.id, answer=Answer.NOT_GOING.value)
        session.add(existing)
    elif existing.answer == Answer.GOING:
        _give_back_place(session, event)
        existing.answer = Answer.NOT_GOING.value
        session.flush()
        promote_waiting(session, event)
    else:
        existing.answer = Answer.NOT_GOING.value
    _apply_needs(existing, needs)
    session.flush()
    return _result(session, event, existing)


def save_needs(session: Session, event: Event, user: User, needs: Needs, now: datetime | None = None) -> None:
    """Tell the hosts the person's access needs for an event they are going to or waiting
    for; their answer and place in the queue stay as they are."""
    if not policies.rsvp_open(event, now or utcnow()):
        raise EventError("Replies to this event are closed.")
    record = find_rsvp(session, event, user)
    if record is None or record.answer == Answer.NOT_GOING:
        raise EventError("Access needs are for people going or on the waiting list.")
    _apply_needs(record, needs)
    session.flush()


def _join(session: Session, event: Event, user: User, existing: Rsvp | None, needs: Needs,
          now: datetime) -> Rsvp:
    """Take a place or join the waiting list. A concurrent double submit by the same
    person loses on the unique constraint and gets the other request's answer."""
    savepoint = session.begin_nested()
    try:
        answer = Answer.GOING if _take_place(session, event) else Answer.WAITING
        record = existing or Rsvp(event_id=event.id, user_id=user.id)
        record.answer = answer.value
        record.queued_at = now
        _apply_needs(record, needs)
        session.add(record)
        session.flush()
    except IntegrityError:
        savepoint.rollback()
        winner = find_rsvp(session, event, user)
        if winner is None:
            raise
        return winner
    savepoint.commit()
    return record


def promote_waiting(session: Session, event: Event) -> list[Rsvp]:
    """Move people from the waiting list into free places, first come first served,
    and email each of them."""
    promoted = []
    while True:
        query = (
            select(Rsvp).where(Rsvp.event_id == event.id, Rsvp.answer == Answer.WAITING)
            .order_by(Rsvp.queued_at, Rsvp.id).limit(1)
        )
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        first = session.scalar(query)
        if first is None or not _take_place(session, event):
            break
        first.answer = Answer.GOING.value
        session.flush()
        promoted.append(first)
        _tell(session, [first.user], PROMOTED, event, f"A place opened up: you're going to “{event.title}”",
              f"A place opened up: you're going to {event.title}", "promoted")
    return promoted


def answers_by_event(session: Session, user, event_ids: list[int]) -> dict[int, str]:
    """The viewer's answer for each of these events, in one query."""
    if not (user and user.is_authenticated) or not event_ids:
        return {}
    rows = session.execute(
        select(Rsvp.event_id, Rsvp.answer).where(Rsvp.user_id == user.id, Rsvp.event_id.in_(event_ids))
    )
    return dict(rows.all())


# Managing events


EVENT_FIELDS = (
    "title", "summary", "description", "agenda", "starts_at", "ends_at", "timezone", "format",
    "join_url", "venue", "capacity", "rsvp_deadline", "access_notes", *PROVISION_NAMES,
)
# Changing these tells everyone who is going or waiting.
NOTIFIED_FIELDS = {"starts_at": "time", "ends_at": "time", "timezone": "time", "venue": "place",
                   "format": "place", "join_url": "joining link"}
# Changing these changes the calendar entry, so its SEQUENCE goes up.
CALENDAR_FIELDS = {"title", "summary", *NOTIFIED_FIELDS}


@dataclass
class EventData:
    """The values of the event form, already validated."""

    values: dict
    hosts: list[User]
    topics: list[str] = field(default_factory=list)


def _topics(session: Session, names: list[str]) -> list[Topic]:
    wanted = {slugify(name, column_length(Topic.slug)): name.strip() for name in names if name.strip()}
    existing = {t.slug: t for t in session.scalars(select(Topic).where(Topic.slug.in_(wanted)))}
    for slug, name in wanted.items():
        if slug not in existing:
            existing[slug] = Topic(name=name, slug=slug)
            session.add(existing[slug])
    return sorted(existing.values(), key=lambda t: t.name)


def create_event(session: Session, data: EventData, creator: User) -> Event:
    event = Event(created_by_id=creator.id, status=EventStatus.DRAFT.value, going_count=0)
    for name in EVENT_FIELDS:
        setattr(event, name, data.values[name])
    event.hosts = data.hosts
    event.topics = _topics(session, data.topics)
    session.add(event)
    session.flush()
    return event


def update_event(session: Session, event: Event, data: EventData) -> list[str]:
    """Apply the edit; tell people going or waiting when the time, place or link changed.
    Returns what changed, in words ("time", "place"), for the page to say."""
    changed = sorted({label for name, label in NOTIFIED_FIELDS.items() if getattr(event, name) != data.values[name]})
    revised = any(getattr(event, name) != data.values[name] for name in CALENDAR_FIELDS)
    for name in EVENT_FIELDS:
        setattr(event, name, data.values[name])
    event.hosts = data.hosts
    event.topics = _topics(session, data.topics)
    if revised:
        event.sequence += 1
    session.flush()
    if changed and event.is_published:
        _tell(session, _replied(session, event, (Answer.GOING, Answer.WAITING)), CHANGED, event,
              f"The {' and '.join(changed)} of “{event.title}” changed", f"Changed: {event.title}",
              "changed", changes=changed)
    if event.is_published:
        promote_waiting(session, event)
    return changed


def _replied(session: Session, event: Event, answers) -> list[User]:
    users = session.scalars(
        select(User).join(Rsvp, Rsvp.user_id == User.id)
        .where(Rsvp.event_id == event.id, Rsvp.answer.in_([a.value for a in answers]))
    ).all()
    return [u for u in users if _mailable(u)]


def publish(session: Session, event: Event) -> None:
    if not event.is_draft:
        raise EventError("Only a draft can be published.")
    if event.starts_at <= utcnow():
        raise EventError("This event has already started; change its time before publishing it.")
    event.status = EventStatus.PUBLISHED.value
    event.sequence += 1
    session.flush()


def cancel(session: Session, event: Event, reason: str, now: datetime | None = None) -> None:
    """Cancel an event that has not started, keep the page, and tell everyone who replied."""
    if event.is_cancelled:
        raise EventError("This event is already cancelled.")
    if not policies.cancellable(event, now or utcnow()):
        raise EventError("This event has already started, so it can no longer be cancelled.")
    was_published = event.is_published
    event.status = EventStatus.CANCELLED.value
    event.cancelled_at = utcnow()
    event.sequence += 1
    session.flush()
    if was_published:
        _tell(session, _replied(session, event, tuple(Answer)), CANCELLED, event,
              f"“{event.title}” is cancelled", f"Cancelled: {event.title}", "cancelled",
              reason=reason.strip())


def duplicate(session: Session, event: Event, creator: User) -> Event:
    """A draft copy; a copy of a past event moves forward by whole weeks into the future."""
    shift = timedelta(0)
    now = utcnow()
    while event.starts_at + shift <= now:
        shift += timedelta(weeks=1)
    copy = Event(created_by_id=creator.id, status=EventStatus.DRAFT.value, going_count=0)
    for name in EVENT_FIELDS:
        setattr(copy, name, getattr(event, name))
    copy.title = f"Copy of {event.title}"[:column_length(Event.title)]
    copy.starts_at = event.starts_at + shift
    copy.ends_at = event.ends_at + shift
    copy.rsvp_deadline = event.rsvp_deadline + shift if event.rsvp_deadline else None
    copy.hosts = list(event.hosts)
    copy.topics = list(event.topics)
    session.add(copy)
    session.flush()
    return copy


# After the event


def attendees(session: Session, event: Event, answer: Answer) -> list[Rsvp]:
    return list(
        session.scalars(
            select(Rsvp).where(Rsvp.event_id == event.id, Rsvp.answer == answer)
            .options(selectinload(Rsvp.user)).order_by(Rsvp.queued_at, Rsvp.id)
        )
    )


def mark_attendance(session: Session, event: Event, attended_ids: set[int], now: datetime | None = None) -> int:
    if not event.is_published:
        raise EventError("Attendance is for events that took place.")
    if (now or utcnow()) < event.starts_at:
        raise EventError("Attendance can be marked once the event has started.")
    going = attendees(session, event, Answer.GOING)
    for record in going:
        record.attended = record.id in attended_ids
    session.flush()
    return sum(1 for r in going if r.attended)


def post_followup(session: Session, event: Event, summary: str, link: str | None, action: str,
                  now: datetime | None = None) -> int:
    """Save the follow-up and email it once to each attendee; returns how many were emailed."""
    now = now or utcnow()
    if not event.is_published:
        raise EventError("Only an event that took place can have a follow-up.")
    if now < event.ends_at:
        raise EventError("A follow-up can be written once the event has ended.")
    event.followup_summary, event.followup_link, event.followup_action = summary, link, action
    event.followup_at = now
    sent = 0
    for record in attendees(session, event, Answer.GOING):
        if record.attended is False or record.followup_sent_at is not None or not _mailable(record.user):
            continue
        _event_mail(session, event, record.user, f"Follow-up: {event.title}", "followup",
                    feedback_url=external_url("events.feedback", event_id=event.id))
        record.followup_sent_at = now
        sent += 1
    session.flush()
    return sent


def leave_feedback(session: Session, event: Event, user: User, rating: int, worked: str, improve: str,
                   now: datetime | None = None) -> Feedback:
    """One answer per person, which they may change."""
    if not policies.can_give_feedback(event, find_rsvp(session, event, user), now or utcnow()):
        raise EventError("Feedback is for people who went, after the event.")
    feedback = session.scalar(select(Feedback).where(Feedback.event_id == event.id, Feedback.user_id == user.id))
    if feedback is None:
        feedback = Feedback(event_id=event.id, user_id=user.id)
        session.add(feedback)
    feedback.rating, feedback.worked, feedback.improve = rating, worked.strip(), improve.strip()
    session.flush()
    return feedback


def feedback_summary(session: Session, event: Event) -> tuple[list[Feedback], float | None]:
    answers = list(session.scalars(select(Feedback).where(Feedback.event_id == event.id).order_by(Feedback.id)))
    average = round(sum(a.rating for a in answers) / len(answers), 1) if answers else None
    return answers, average


# Reminders


REMINDER_WINDOW = timedelta(days=1)


def send_reminders(session: Session, now: datetime | None = None) -> int:
    """Email a reminder to everyone going to an event starting within a day, once each.

    Safe to run as often as you like: each RSVP is marked when reminded, and on
    PostgreSQL rows another run is handling are skipped.
    """
    now = now or utcnow()
    query = (
        select(Rsvp).join(Event, Event.id == Rsvp.event_id)
        .where(Event.status == EventStatus.PUBLISHED, Event.starts_at > now,
               Event.starts_at <= now + REMINDER_WINDOW, Rsvp.answer == Answer.GOING,
               Rsvp.reminder_sent_at.is_(None))
        .order_by(Rsvp.id)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=Rsvp, skip_locked=True)
    sent = 0
    for record in session.scalars(query).all():
        record.reminder_sent_at = now
        if _mailable(record.user):
            _event_mail(session, record.event, record.user, f"Reminder: {record.event.title}", "reminder")
            sent += 1
    session.flush()
    return sent


# Calendar feeds


def feed_token(session: Session, user: User) -> str | None:
    """The person's calendar-feed token, if they have made one."""
    feed = session.get(CalendarFeed, user.id)
    return feed.token if feed else None


def regenerate_feed(session: Session, user: User) -> str:
    """Make the person's feed token, or replace it so the old address stops working."""
    feed = session.get(CalendarFeed, user.id)
    if feed is None:
        feed = CalendarFeed(user_id=user.id)
        session.add(feed)
    feed.token = secrets.token_urlsafe(24)
    feed.created_at = utcnow()
    session.flush()
    return feed.token


def feed_owner(session: Session, token: str) -> User | None:
    feed = session.scalar(select(CalendarFeed).where(CalendarFeed.token == token))
    if feed is None:
        return None
    user = session.get(User, feed.user_id)
    return None if user is None or user.is_deleted else user


def personal_feed_events(session: Session, user: User) -> list[Event]:
    """Events the person is going to or hosting, from 30 days back on."""
    since = utcnow() - timedelta(days=30)
    going = select(Rsvp.event_id).where(Rsvp.user_id == user.id, Rsvp.answer == Answer.GOING)
    hosting = select(event_host.c.event_id).where(event_host.c.user_id == user.id)
    return list(
        session.scalars(
            select(Event).where(Event.status != EventStatus.DRAFT, Event.ends_at >= since,
                                or_(Event.id.in_(going), Event.id.in_(hosting)))
            .order_by(Event.starts_at)
        )
    )
